// Fakes for the operations tests: a job starter whose jobs end when the test says so.
import type { JobOutcome, JobPeek, JobStarter, OperationJobRequest } from '../../src/operations/types.js';

export interface FakeJob {
  id: string;
  req: OperationJobRequest;
  state: 'running' | JobOutcome['state'];
  outcome?: JobOutcome;
  finish(o?: Partial<JobOutcome>): void;
}

export class FakeJobs implements JobStarter {
  jobs: FakeJob[] = [];
  cancelled: string[] = [];
  private waiters = new Map<string, ((o: JobOutcome) => void)[]>();
  /** what a job returns when it is started (default: succeed at once) */
  onStart: (job: FakeJob) => void = (j) => j.finish();

  async start(req: OperationJobRequest): Promise<string> {
    const id = `job-${this.jobs.length + 1}-${req.kind}`;
    const job: FakeJob = {
      id,
      req,
      state: 'running',
      finish: (o = {}) => {
        if (job.state !== 'running') return;
        job.outcome = { id, state: 'succeeded', ...o };
        job.state = job.outcome.state;
        for (const w of this.waiters.get(id) ?? []) w(job.outcome);
        this.waiters.delete(id);
      },
    };
    this.jobs.push(job);
    this.onStart(job);
    return id;
  }

  wait(jobId: string): Promise<JobOutcome> {
    const j = this.jobs.find((x) => x.id === jobId)!;
    if (j.outcome) return Promise.resolve(j.outcome);
    return new Promise((r) => this.waiters.set(jobId, [...(this.waiters.get(jobId) ?? []), r]));
  }

  async peek(jobId: string): Promise<JobPeek> {
    return this.jobs.find((x) => x.id === jobId)?.state;
  }

  async cancel(jobId: string): Promise<void> {
    this.cancelled.push(jobId);
    this.jobs.find((x) => x.id === jobId)?.finish({ state: 'cancelled', summary: 'cancelled' });
  }
}

export const noLock = { acquire() {}, release() {} };

/** Resolve once `cond` holds (polled on the event loop; no fixed sleep). */
export async function until(cond: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 4000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}
