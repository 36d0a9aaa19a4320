// A JobStarter over the job service and its status files: the only place the operations meet
// src/jobs. `service(hypervisors?)` gives a job service for the config (with the hypervisor list
// a plan must target); the job's outcome is read from its status and plan-summary files.
import { join } from 'node:path';
import { FILES, readJob, readJson } from '../jobs/job-store.js';
import type { JobService } from '../services.js';
import type { Session } from '../session.js';
import type { JobOutcome, JobPeek, JobStarter } from './types.js';

export interface JobStarterOptions {
  jobsDir: string;
  /** a job service whose plan targets `hypervisors` when given (else onedeck.yaml's) */
  service(hypervisors?: string[]): JobService;
  /** whose jobs these are: the operation's operator (jobs, locks and the audit log name them) */
  session: Session;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function jobStarterFromService(o: JobStarterOptions): JobStarter {
  const outcome = (id: string): JobOutcome | 'running' | undefined => {
    const rec = readJob(o.jobsDir, id);
    if (rec.state === 'running') return 'running';
    const out: JobOutcome = { id, state: rec.state, ...(rec.summary ? { summary: rec.summary } : {}) };
    if (rec.kind === 'plan') {
      const plan = readJson<{ resources?: { addr: string; action: string }[] }>(join(o.jobsDir, id, FILES.plan));
      if (plan?.resources) out.plan = { resources: plan.resources };
    }
    return out;
  };
  return {
    async start(req) {
      if (req.kind === 'plan') return o.service(req.hypervisors).plan(o.session);
      if (req.kind === 'apply') return o.service().apply(o.session, req.planJobId);
      return o.service().playbook(o.session, req.playbook, req.limit);
    },
    async wait(id) {
      for (;;) {
        const st = outcome(id);
        if (st && st !== 'running') return st;
        await sleep(o.pollMs ?? 500);
      }
    },
    async peek(id, req): Promise<JobPeek> {
      try {
        if (req && readJob(o.jobsDir, id).kind !== (req.kind === 'playbook' ? req.playbook : req.kind)) return undefined;
        const st = outcome(id);
        return st === 'running' ? 'running' : st?.state;
      } catch {
        return undefined;
      }
    },
    async cancel(id) {
      await o.service().cancel(o.session, id);
    },
  };
}
