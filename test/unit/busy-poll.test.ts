// busyPoll: ticks every busyMs while busy() says so, every idleMs otherwise, never after its stop.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { busyPoll } from '../../src/jobs/busy-poll.js';

afterEach(() => vi.useRealTimers());

describe('busyPoll', () => {
  it('looks 4 times a second while busy, once a second when not, and not at all once stopped', () => {
    vi.useFakeTimers();
    let busy = false;
    let ticks = 0;
    const stop = busyPoll({ tick: () => ticks++, busy: () => busy, idleMs: 1000 });
    vi.advanceTimersByTime(3000);
    expect(ticks).toBe(3);
    busy = true; // asked for the delay after the next tick
    vi.advanceTimersByTime(1000);
    expect(ticks).toBe(4);
    vi.advanceTimersByTime(1000);
    expect(ticks).toBe(8);
    stop();
    vi.advanceTimersByTime(5000);
    expect(ticks).toBe(8);
  });
});
