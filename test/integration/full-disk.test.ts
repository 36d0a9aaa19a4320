// A full state disk, for real: a 64 KiB tmpfs filled to the last byte. Nothing half-written is
// left (no .tmp, no mutating-job.lock.new-*), no phantom job directory, and the message says why.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchJob, type LaunchContext, type LaunchRequest } from '../../src/jobs/launcher.js';
import { byNewest, jobNames, readJob, writeJsonAtomic } from '../../src/jobs/job-store.js';

const listJobs = (dir: string) => jobNames(dir).map((n) => readJob(dir, n)).sort(byNewest);
import { acquireLock } from '../../src/jobs/lock.js';
import { ensureRunner, RUNNER } from './jobs-helpers.js';
import { ensureSandbox } from '../../src/sandbox/config.js';
import { resolve } from 'node:path';

let base: string;
let state: string;
beforeAll(async () => {
  await ensureRunner();
});
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'onedeck-full-'));
  state = join(base, 'state');
  mkdirSync(state);
  // a real full file system (the tests run as root in the sandbox; unmounted after each test)
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', state]);
  mkdirSync(join(state, 'jobs'));
});
afterEach(() => {
  execFileSync('umount', [state]);
  rmSync(base, { recursive: true, force: true });
});

/** Fill the file system; `reserve` bytes (whole pages) are kept free by a file deleted at the end. */
function fill(reserve = 0): void {
  if (reserve) writeFileSync(join(state, 'reserve'), Buffer.alloc(reserve, 1));
  try {
    for (let i = 0; ; i++) writeFileSync(join(state, `filler-${i}`), Buffer.alloc(16 * 1024, 1));
  } catch (err) {
    expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
  }
  if (reserve) unlinkSync(join(state, 'reserve'));
}
const leftovers = () => (readdirSync(state, { recursive: true }) as string[]).filter((f) => /\.tmp$|\.new-|\.tool-/.test(f));

const req: LaunchRequest = { kind: 'plan', title: 'tofu plan', command: '/bin/echo', args: ['hello'], cwd: '/', format: 'plain', mutating: false };
const ctx = (): LaunchContext => ({ jobsDir: join(state, 'jobs'), lockFile: join(state, 'mutating-job.lock'), runnerScript: RUNNER, user: 'ops', secrets: {}, killGraceMs: 1000, startTimeoutMs: 15_000 });

describe('a full state disk', () => {
  it('an atomic JSON write fails whole: the error surfaces and no .tmp is left', () => {
    fill();
    expect(() => writeJsonAtomic(join(state, 'status.json'), { big: 'x'.repeat(8192) })).toThrow(/ENOSPC/);
    expect(leftovers()).toEqual([]);
  });

  it('the job lock cannot be taken: says so, and leaves no mutating-job.lock.new-* file', () => {
    fill();
    const info = { jobId: 'j1', kind: 'apply', pid: process.pid, user: 'ops', host: 'h', startedAt: Date.now(), command: 'tofu apply', pad: 'x'.repeat(8192) };
    expect(() => acquireLock(join(state, 'mutating-job.lock'), info)).toThrow(/cannot take the job lock .*no space left on the device \(ENOSPC\)/);
    expect(leftovers()).toEqual([]);
    expect(readdirSync(state).filter((f) => f.startsWith('mutating-job.lock'))).toEqual([]);
  });

  it('a job cannot be recorded: a clear refusal, no phantom job with only spec.json.*.tmp', async () => {
    fill();
    await expect(launchJob(req, ctx())).rejects.toThrow(/cannot record the job .*: no space left on the device \(ENOSPC\) in .*jobs\./);
    expect(readdirSync(join(state, 'jobs'))).toEqual([]);
    expect(listJobs(join(state, 'jobs'))).toEqual([]);
    expect(leftovers()).toEqual([]);
  });

  it('a mutating job whose audit entry cannot be written is refused: nothing runs unaudited', async () => {
    fill();
    await expect(launchJob({ ...req, mutating: true }, ctx())).rejects.toThrow(/tofu plan: refused, the audit log .*audit\.log cannot be written: no space left on the device \(ENOSPC\)/);
    expect(readdirSync(join(state, 'jobs'))).toEqual([]);
    expect(readdirSync(state).filter((f) => f.startsWith('mutating-job.lock'))).toEqual([]);
  });

  it('an audit log that cannot be appended to (not a file) refuses a mutating job the same way', async () => {
    mkdirSync(join(state, 'audit.log'));
    await expect(launchJob({ ...req, mutating: true }, ctx())).rejects.toThrow(/refused, the audit log .* cannot be written: EISDIR/);
    expect(readdirSync(join(state, 'jobs'))).toEqual([]);
  });

  it('the spec fits but the runner cannot write: the job is refused and removed, not listed as lost', async () => {
    fill(4096);
    await expect(launchJob(req, ctx())).rejects.toThrow(/tofu plan: the job runner (could not record|stopped before recording) the job/);
    expect(listJobs(join(state, 'jobs'))).toEqual([]);
    expect(leftovers()).toEqual([]);
  }, 30_000);

  it.each([
    ['not even its start lock fits', 0],
    ['its start lock fits but the daemon cannot write', 4096],
  ])('the sandbox cannot start on a full disk (%s): says why (ENOSPC, exit 74), promptly, and leaves nothing half-written', async (_what, reserve) => {
    const repoRoot = resolve(import.meta.dirname, '../..');
    const dir = join(state, 'sandbox');
    mkdirSync(dir);
    fill(reserve);
    const err = await ensureSandbox({ dir, repoRoot, distDir: join(repoRoot, 'dist'), timeoutMs: 60_000 }).then(
      () => undefined,
      (e: unknown) => e as Error & { exitCode?: number },
    );
    expect(err?.message).toMatch(/the sandbox daemon did not start: no space left on the device \(ENOSPC\)/);
    expect(err?.exitCode).toBe(74);
    expect(leftovers()).toEqual([]);
    // no empty pid file or start lock that would look like a daemon (or a starter) later
    expect(readdirSync(dir)).toEqual(reserve ? ['daemon.log'] : []);
  }, 90_000);
});
