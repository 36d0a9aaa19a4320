// Two acquirers at the same instant: the second one looks while the first is writing its lock.
// It must never see a half-made (empty) lock file and take it over as stale: one holder only.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// the "other process" runs at the moment the first acquirer writes its lock content
const hook: { during?: () => void } = {};
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const fire = () => {
    const f = hook.during;
    hook.during = undefined;
    f?.();
  };
  const writeSync = ((...a: Parameters<typeof fs.writeSync>) => {
    fire();
    return (fs.writeSync as (...x: unknown[]) => number)(...a);
  }) as typeof fs.writeSync;
  const writeFileSync = ((...a: Parameters<typeof fs.writeFileSync>) => {
    fire();
    return fs.writeFileSync(...a);
  }) as typeof fs.writeFileSync;
  return { ...fs, default: { ...fs, writeSync, writeFileSync }, writeSync, writeFileSync };
});

const { acquireLock } = await import('../../src/jobs/lock.js');
type Info = Parameters<typeof acquireLock>[1];

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const info = (jobId: string): Info => ({ jobId, kind: 'apply', pid: process.pid, user: 'alice', host: 'ops', startedAt: Date.now(), command: 'tofu apply' });

describe('mutating-job lock, concurrent acquirers', () => {
  it('a second acquirer arriving while the first writes its lock does not take it over', () => {
    dir = mkdtempSync(join(tmpdir(), 'lock-race-'));
    const file = join(dir, 'mutating-job.lock');
    let second: 'held' | 'refused' | undefined;
    hook.during = () => {
      try {
        acquireLock(file, info('job-b'));
        second = 'held';
      } catch {
        second = 'refused';
      }
    };
    let first: 'held' | 'refused';
    try {
      acquireLock(file, info('job-a'));
      first = 'held';
    } catch {
      first = 'refused';
    }
    expect(second).toBeDefined();
    // exactly one of them holds the lock, and the file names that one
    expect([first, second].filter((x) => x === 'held')).toHaveLength(1);
    const holder = JSON.parse(readFileSync(file, 'utf8')).jobId;
    expect(holder).toBe(first === 'held' ? 'job-a' : 'job-b');
  });
});
