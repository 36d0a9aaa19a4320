import { describe, expect, it } from 'vitest';
import { currentNotice, NOTICE_MS, progressText } from '../../src/domain/job-progress.js';

describe('progressText', () => {
  it('says nothing without progress or without resources to change', () => {
    expect(progressText(undefined)).toBeUndefined();
    expect(progressText({ kind: 'tofu', resources: [], done: 0, total: 0 })).toBeUndefined();
    expect(progressText({ kind: 'ansible', hosts: {}, failures: [] })).toBeUndefined();
  });
  it('counts tofu resources and names the one in progress and the errored', () => {
    expect(progressText({ kind: 'tofu', done: 1, total: 4, resources: [
      { addr: 'a', action: 'delete', state: 'running' },
      { addr: 'b', action: 'create', state: 'errored' },
    ] })).toBe('1/4 resources · 1 errored · destroying a');
  });
  it('names the play when no task started yet', () => {
    expect(progressText({ kind: 'ansible', play: 'OneDeploy: frontend', hosts: { fe: { ok: 0, changed: 0, failed: 0, unreachable: 1, skipped: 0 } }, failures: [] })).toBe('PLAY [OneDeploy: frontend] · 1 host · 1 failed');
  });
});

describe('currentNotice', () => {
  const n = (at: number) => ({ level: 'info' as const, text: `at ${at}`, at });
  it('is the newest notice while it is recent', () => {
    expect(currentNotice([n(0), n(1000)], 1000 + NOTICE_MS - 1)?.text).toBe('at 1000');
    expect(currentNotice([n(0), n(1000)], 1000 + NOTICE_MS)).toBeUndefined();
    expect(currentNotice([], 0)).toBeUndefined();
  });
});
