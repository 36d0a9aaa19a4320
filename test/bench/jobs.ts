// Jobs for the bench: a spec in the jobs directory a running onedeck watches, run by the real
// detached runner (dist/job-runner.js), exactly as the job service starts one.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { JobCluster, JobRecord } from '../../src/domain/job.js';
import { createJobDir, FILES, newJobId, readJson, type JobSpec } from '../../src/jobs/job-store.js';

export interface BenchJob {
  id: string;
  dir: string;
  startedAt: number;
  /** resolves with the wall time (ms, from spawning the runner) once the runner has exited */
  done: Promise<number>;
  runnerPid: number;
  status(): JobRecord | undefined;
  cancel(): void;
}

export function startJob(o: {
  jobsDir: string;
  runner: string;
  title: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  secretEnv?: string[];
  /** the cluster the job belongs to: a session shows only its own cluster's jobs */
  cluster?: JobCluster;
}): BenchJob {
  const id = newJobId('other');
  const spec: JobSpec = {
    id,
    kind: 'other',
    title: o.title,
    command: o.command,
    args: o.args,
    cwd: o.cwd,
    env: {},
    secretEnv: o.secretEnv ?? [],
    display: [o.command, ...o.args].join(' '),
    format: 'plain',
    mutating: false,
    user: 'bench',
    host: hostname(),
    killGraceMs: 2000,
    ...(o.cluster ? { cluster: o.cluster } : {}),
  };
  const dir = createJobDir(o.jobsDir, spec);
  const errFd = openSync(join(dir, 'runner.err'), 'a', 0o600);
  const startedAt = performance.now();
  const child = spawn(process.execPath, [o.runner, dir], { detached: true, stdio: ['ignore', 'ignore', errFd], cwd: o.cwd, env: { ...process.env, ...o.env } });
  closeSync(errFd);
  const done = new Promise<number>((resolve) => child.once('exit', () => resolve(performance.now() - startedAt)));
  return {
    id,
    dir,
    startedAt,
    done,
    runnerPid: child.pid!,
    status: () => readJson<JobRecord>(join(dir, FILES.status)),
    cancel: () => {
      try {
        process.kill(child.pid!, 'SIGINT');
      } catch {
        // finished already
      }
    },
  };
}

/** Kill a runner and its tool's process group outright (a stuck run). */
export function killJob(job: BenchJob): void {
  const pgid = job.status()?.pgid;
  for (const [pid, neg] of [[pgid, true], [job.runnerPid, false]] as const) {
    if (!pid) continue;
    try {
      process.kill(neg ? -pid : pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
