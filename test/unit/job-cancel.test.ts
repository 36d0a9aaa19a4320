// :cancel on a job whose runner died (crash, reboot) long ago: its pids may belong to other
// processes by now, which must not be signalled.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { createJobService, toolGroupAlive, type JobServiceOptions } from '../../src/jobs/job-service.js';
import { isAlive, procStat } from '../../src/jobs/proc.js';
import { waitFor } from '../harness/wait.js';

let dir: string | undefined;
let child: ChildProcess | undefined;
afterEach(() => {
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  child = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const until = (what: string, cond: () => boolean) => waitFor(cond, what, 5000);

describe('cancel of a job whose runner is gone', () => {
  it('does not signal a process that merely reuses the recorded pids', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobs-cancel-'));
    // an unrelated process group leader standing in for whatever got the pids after a reboot
    child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    const pid = child.pid!;
    await until('the stand-in to run', () => isAlive(pid));
    const start = procStat(pid)!.start;
    const id = '20261127-140000-apply-eeee';
    mkdirSync(join(dir, id), { recursive: true });
    writeFileSync(
      join(dir, id, 'status.json'),
      JSON.stringify({ id, kind: 'apply', title: 'tofu apply', command: 'tofu apply', mutating: true, user: 'alice', startedAt: 1, state: 'running', logFile: 'x', pid, pidStart: start + 1, pgid: pid, pgidStart: start + 1 }),
    );
    // a spec from before jobs named their cluster: its cwd (the terraform directory) makes it this cluster's
    writeFileSync(join(dir, id, 'spec.json'), JSON.stringify({ id, kind: 'apply', cwd: dir }));
    const opts = {
      config: { cluster: 't', source: { file: null }, paths: { terraform: dir, inventory: join(dir, 'inv.yml'), ansible: dir } } as unknown as Config,
      paths: { jobsDir: dir, lockFile: join(dir, 'lock'), stateDir: dir },
      cluster: { getState: () => ({ jobs: [] }), setState: () => undefined, subscribe: () => () => undefined },
      logHub: {},
      runnerScript: join(dir, 'none.js'),
      secrets: () => ({}),
    } as unknown as JobServiceOptions;
    const service = createJobService(opts);
    expect(toolGroupAlive(pid, start)).toBe(true);
    expect(toolGroupAlive(pid, start + 1)).toBe(false);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child!.once('exit', (_code, sig) => resolve(sig)));
    await service.cancel({ id: 's', readonly: false, user: 'alice' }, id);
    // kill(2) makes a signal pending before it returns, and pending signals are delivered lowest
    // number first: had cancel sent SIGINT (2) or SIGKILL (9), that is what ends the stand-in
    process.kill(pid, 'SIGTERM');
    expect(await exited).toBe('SIGTERM');
  });
});
