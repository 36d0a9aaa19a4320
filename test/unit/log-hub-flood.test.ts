// LogHub publishes a log's new lines at most every 80 ms; while lines flood in (500 or more in
// one interval) every 250 ms, so the panes following a flood draw 4 frames a second, not 12.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogHub } from '../../src/logs/log-hub.js';
import { createClusterStore } from '../../src/store/cluster-store.js';

afterEach(() => vi.useRealTimers());

const cluster = () => createClusterStore({ name: 't', zone: 'fr-par-2', region: 'fr-par', opennebulaVersion: '7.0', sandbox: true, configFile: null, refreshSeconds: 10 });

describe('LogHub flush interval', () => {
  it('publishes every 80 ms, every 250 ms while a flood comes in, and every 80 ms again after it', () => {
    vi.useFakeTimers();
    const store = cluster();
    const hub = new LogHub(store);
    const version = () => store.getState().logVersions['job:1'] ?? 0;
    const lines = (n: number) => {
      for (let i = 0; i < n; i++) hub.append('job:1', `line ${i}`);
    };
    /** the version published once `ms` more have passed */
    const after = (ms: number) => {
      vi.advanceTimersByTime(ms);
      return version();
    };
    lines(10);
    expect(after(79)).toBe(0);
    expect(after(1)).toBe(10);
    // a flood: 600 lines in one interval, published at 80 ms; the next ones wait 250 ms
    lines(600);
    expect(after(80)).toBe(610);
    hub.skip('job:1', 5000);
    expect(after(249)).toBe(610);
    expect(after(1)).toBe(5610);
    // the flood is over: a few lines, published at the flood's pace once, then at 80 ms again
    lines(3);
    expect(after(250)).toBe(5613);
    lines(3);
    expect(after(80)).toBe(5616);
    hub.stop();
  });
});
