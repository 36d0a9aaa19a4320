// Runs an operation's steps in order from its journal: each transition is recorded (fsync'ed)
// before it takes effect; a failure stops the operation at that step; a resume starts again at
// the first step not done (a step found `running` after a crash is checked, then run again); a
// cancel aborts the running step (and its job) and shows the operation cancelled at that step.
import { describeError } from '../errors.js';
import { isAlive, procStat } from '../jobs/proc.js';
import { appendRecord, readRecords } from './journal.js';
import { summarize } from './summary.js';
import type { JobOutcome, JobStarter, OperationJobRequest, OperationSummary, StepContext, StepDef, StepResult } from './types.js';

/** The machine-wide mutating lock as the engine sees it (src/jobs/lock.ts in production). */
export interface OperationLock {
  acquire(): void;
  release(): void;
}

export interface RunOptions {
  dir: string;
  steps: StepDef[];
  jobs: JobStarter;
  lock: OperationLock;
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  pid?: number;
  /** called once a step's start is in the journal, before it checks or acts (tests stop the runner there) */
  onStepStart?: (stepId: string) => void;
}

export class OperationCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new OperationCancelled());
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new OperationCancelled());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

export function readSummary(dir: string): OperationSummary | undefined {
  return summarize(readRecords(dir), (pid, start) => isAlive(pid, start));
}

/** Run (or resume) the operation in `dir`; resolves with its summary once it has stopped. */
export async function runOperation(o: RunOptions): Promise<OperationSummary> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? abortableSleep;
  const signal = o.signal ?? new AbortController().signal;
  const pid = o.pid ?? process.pid;
  const before = summarize(readRecords(o.dir), (p, s) => p !== pid && isAlive(p, s));
  if (!before) throw new Error(`${o.dir} holds no operation`);
  if (before.state === 'done' || before.state === 'abandoned') return before;
  if (before.state === 'running') throw new Error(`operation ${before.id} is already running (runner pid ${before.runnerPid})`);
  o.lock.acquire();
  // the lock is freed before the end is recorded: whoever reads an ended operation (and resumes
  // it, say) finds the lock free
  let held = true;
  const free = () => {
    if (held) o.lock.release();
    held = false;
  };
  const rec = (r: Parameters<typeof appendRecord>[1]) => {
    if (r.t === 'end') free();
    appendRecord(o.dir, r);
  };
  try {
    rec({ t: 'run', at: now(), pid, pidStart: procStat(pid)?.start, resume: before.startedAt !== undefined });
    const outputs: Record<string, unknown> = {};
    for (const s of before.steps) if (s.state === 'done' || s.state === 'skipped') outputs[s.id] = s.data;
    for (const step of o.steps) {
      const prior = before.steps.find((s) => s.id === step.id);
      if (prior && (prior.state === 'done' || prior.state === 'skipped')) continue;
      if (signal.aborted) {
        rec({ t: 'step', at: now(), step: step.id, state: 'cancelled', message: 'cancelled before it started' });
        rec({ t: 'end', at: now(), state: 'cancelled', step: step.id, message: 'cancelled' });
        return readSummary(o.dir)!;
      }
      rec({ t: 'step', at: now(), step: step.id, state: 'running' });
      o.onStepStart?.(step.id);
      const jobsBefore = [...(prior?.jobIds ?? [])];
      const ctx: StepContext = {
        operationId: before.id,
        spec: before.spec,
        signal,
        outputs,
        attempt: (prior?.attempts ?? 0) + 1,
        now,
        log: (line) => rec({ t: 'log', at: now(), step: step.id, line }),
        sleep: (ms) => sleep(ms, signal),
        runJob: (req) => runJob(o.jobs, req, step.id, before.id, jobsBefore, prior?.state === 'running', signal, (jobId) => rec({ t: 'job', at: now(), step: step.id, jobId })),
        waitEarlierJobs: async () => {
          for (const id of jobsBefore) if ((await o.jobs.peek(id)) === 'running') await o.jobs.wait(id);
        },
      };
      try {
        let result: StepResult | void = undefined;
        // interrupted while its job ran, and that job still runs: the step is not done until the
        // job is (a check would see half its effect, a server created mid-apply): act() picks it up
        const lastJob = prior?.state === 'running' ? prior.jobIds[prior.jobIds.length - 1] : undefined;
        const jobLive = lastJob !== undefined && (await o.jobs.peek(lastJob)) === 'running';
        if (jobLive) ctx.log(`job ${lastJob} outlived the runner: waiting for it`);
        const already = !jobLive && step.check ? await step.check(ctx) : false;
        if (already) result = typeof already === 'object' ? already : { message: 'already done' };
        else {
          if (signal.aborted) throw new OperationCancelled();
          result = await step.act(ctx);
        }
        outputs[step.id] = result?.data;
        rec({ t: 'step', at: now(), step: step.id, state: 'done', ...(result?.message ? { message: result.message } : {}), ...(result?.data !== undefined ? { data: result.data } : {}) });
      } catch (err) {
        const cancelled = signal.aborted || err instanceof OperationCancelled;
        const message = cancelled ? 'cancelled' : describeError(err);
        rec({ t: 'step', at: now(), step: step.id, state: cancelled ? 'cancelled' : 'failed', message });
        rec({ t: 'end', at: now(), state: cancelled ? 'cancelled' : 'failed', step: step.id, message });
        return readSummary(o.dir)!;
      }
    }
    const first = readSummary(o.dir)!;
    const total = first.startedAt !== undefined ? Math.round((now() - first.startedAt) / 1000) : 0;
    rec({ t: 'end', at: now(), state: 'done', message: `done in ${total} s` });
    return readSummary(o.dir)!;
  } finally {
    free();
  }
}

/** Start (or pick up again) the step's job and wait for it; a cancel cancels the job first. */
async function runJob(
  jobs: JobStarter,
  req: OperationJobRequest,
  step: string,
  operationId: string,
  earlier: string[],
  interrupted: boolean,
  signal: AbortSignal,
  record: (jobId: string) => void,
): Promise<JobOutcome> {
  if (signal.aborted) throw new OperationCancelled();
  let id: string | undefined;
  const last = earlier[earlier.length - 1];
  if (last) {
    // interrupted while its job ran: that job may still run, or have succeeded meanwhile. A step
    // that failed after its job succeeded (a plan the check refused) runs a new one: what made it
    // fail may be fixed now, and the old job's result would fail it again
    const st = await jobs.peek(last, req);
    if (st === 'running' || (st === 'succeeded' && interrupted)) id = last;
  }
  if (!id) {
    id = await jobs.start(req, { operationId, step });
    record(id);
  }
  const jobId = id;
  const onAbort = () => void jobs.cancel(jobId).catch(() => {});
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const out = await jobs.wait(jobId);
    if (signal.aborted || out.state === 'cancelled') throw new OperationCancelled();
    return out;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Run a job and throw unless it succeeded (the message names the job and its summary). */
export async function runJobOrThrow(ctx: StepContext, req: OperationJobRequest, what: string): Promise<JobOutcome> {
  const out = await ctx.runJob(req);
  if (out.state !== 'succeeded') throw new Error(`${what} ${out.state}${out.summary ? `: ${out.summary}` : ''} (job ${out.id})`);
  return out;
}
