import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, lockHolder, noteLockTool, releaseLock, type LockInfo } from '../../src/jobs/lock.js';
import { procStat } from '../../src/jobs/proc.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const info = (jobId: string, pid = process.pid): LockInfo => ({
  jobId, kind: 'deploy', pid, user: 'alice', from: '10.0.0.5', host: 'ops', startedAt: new Date(2026, 10, 27, 14, 2).getTime(), command: 'ansible-playbook site.yml',
});

describe('mutating-job lock', () => {
  it('lets one acquirer in and tells the second who holds it', () => {
    dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const file = join(dir, 'mutating-job.lock');
    expect(acquireLock(file, info('job-a'))).toEqual({});
    expect(() => acquireLock(file, info('job-b'))).toThrow(
      'another mutating job is running: job job-a (deploy) started by alice from 10.0.0.5 at 14:02 — wait for it or cancel it with :cancel',
    );
    expect(lockHolder(file)?.jobId).toBe('job-a');
    releaseLock(file, 'job-b'); // not the holder: no effect
    expect(lockHolder(file)?.jobId).toBe('job-a');
    releaseLock(file, 'job-a');
    expect(lockHolder(file)).toBeUndefined();
    expect(acquireLock(file, info('job-b'))).toEqual({});
  });

  it('takes over a stale lock whose holder is dead, and says whose it was', () => {
    dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const file = join(dir, 'mutating-job.lock');
    const dead = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim();
    writeFileSync(file, JSON.stringify(info('job-old', Number(dead))));
    expect(lockHolder(file)).toBeUndefined();
    const r = acquireLock(file, info('job-new'));
    expect(r.tookOver?.jobId).toBe('job-old');
    expect(JSON.parse(readFileSync(file, 'utf8')).jobId).toBe('job-new');
  });

  it('a runner killed outright does not free the lock while its tool still runs', () => {
    dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const file = join(dir, 'mutating-job.lock');
    const dead = Number(spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim());
    writeFileSync(file, JSON.stringify(info('job-orphan', dead)));
    // the runner noted its tool's process group (here: this live test process)
    noteLockTool(file, 'job-orphan', process.pid, procStat(process.pid)?.start);
    expect(lockHolder(file)?.jobId).toBe('job-orphan');
    expect(() => acquireLock(file, info('job-next'))).toThrow(/job job-orphan/);
    // once the tool is gone too, the lock is stale
    noteLockTool(file, 'job-orphan', dead, undefined);
    expect(lockHolder(file)).toBeUndefined();
    // a lock held by another job is never rewritten
    acquireLock(file, info('job-next'));
    noteLockTool(file, 'job-orphan', process.pid, undefined);
    expect(JSON.parse(readFileSync(file, 'utf8')).toolPgid).toBeUndefined();
  });

  it('a reused pid (other start time) does not keep a lock alive; a corrupt lock is stale', () => {
    dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const file = join(dir, 'mutating-job.lock');
    writeFileSync(file, JSON.stringify({ ...info('job-reused'), pidStart: 1 }));
    expect(acquireLock(file, info('job-c')).tookOver?.jobId).toBe('job-reused');
    releaseLock(file, 'job-c');
    writeFileSync(file, '{"jobId": "half');
    expect(acquireLock(file, info('job-d')).tookOver).toBeUndefined();
    expect(lockHolder(file)?.jobId).toBe('job-d');
  });
});
