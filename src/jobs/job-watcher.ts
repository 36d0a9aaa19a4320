// Keeps cluster.jobs in step with the status files under the jobs directory (a poll about once a
// second plus fs.watch), notices when a job ends, and renders the inventory once after a
// successful apply. Job logs are loaded by the log registry (src/logs/log-registry.ts), which
// holds a running job's log while it runs.
import { statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { JobRecord, PlanSummary as DomainPlan } from '../domain/job.js';
import type { PlanSummary as TofuPlan } from '../adapters/tofu/plan-summary.js';
import { describeError } from '../errors.js';
import type { LogHub } from '../logs/log-hub.js';
import { notify, type ClusterStore } from '../store/cluster-store.js';
import { byNewest, FILES, jobDir, jobNames, readJob, readJson } from './job-store.js';
import { lockHolder } from './lock.js';

export function toDomainPlan(s: TofuPlan): DomainPlan {
  return {
    add: s.add,
    change: s.change,
    destroy: s.destroy,
    resources: s.resources.map((r) => ({ addr: r.addr, action: r.action === 'noop' ? 'no-op' : r.action })),
    diagnostics: s.diagnostics.map((d) => `${d.severity === 'warning' ? 'Warning' : 'Error'}: ${d.summary}${d.address ? ` (${d.address})` : ''}`),
  };
}

export interface WatcherOptions {
  jobsDir: string;
  lockFile: string;
  cluster: ClusterStore;
  logHub: LogHub;
  pollMs?: number;
  outputsFile: string;
  /** skip rendering when this file is newer than the outputs */
  inventoryFile?: string;
  afterApply: (outputsFile: string) => Promise<void>;
}

export class JobWatcher {
  private readonly finished = new Map<string, JobRecord>();
  private readonly seenRunning = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private fsw: FSWatcher | undefined;
  private running: string | undefined;
  private renderedFor: string | undefined;
  private debounce: NodeJS.Timeout | undefined;

  constructor(private readonly o: WatcherOptions) {}

  start(): void {
    this.refresh();
    // while a job runs, look 4 times a second so its end (and the keys that wait for it) shows at once;
    // otherwise once per poll interval (finished jobs are read once and cached, so a look is cheap)
    const idleMs = this.o.pollMs ?? 1000;
    let last = Date.now();
    this.timer = setInterval(() => {
      const busy = this.o.cluster.getState().jobs.some((j) => j.state === 'running');
      if (!busy && Date.now() - last < idleMs) return;
      last = Date.now();
      this.refresh();
    }, Math.min(250, idleMs));
    this.timer.unref?.();
    try {
      this.fsw = watch(this.o.jobsDir, { persistent: false }, () => {
        if (this.debounce) return;
        this.debounce = setTimeout(() => {
          this.debounce = undefined;
          this.refresh();
        }, 100);
        this.debounce.unref?.();
      });
      this.fsw.on('error', () => undefined);
    } catch {
      /* no jobs dir yet: the poll covers it */
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    this.timer = undefined;
    this.fsw?.close();
    this.fsw = undefined;
  }

  runningId(): string | undefined {
    return this.running;
  }

  refresh(): void {
    const jobs = this.readAll();
    const prev = new Map(this.o.cluster.getState().jobs.map((j) => [j.id, j]));
    let changed = jobs.length !== prev.size;
    for (const j of jobs) if (!changed && JSON.stringify(prev.get(j.id)) !== JSON.stringify(j)) changed = true;
    if (changed) this.o.cluster.setState({ jobs });
    this.running = lockHolder(this.o.lockFile)?.jobId ?? jobs.find((j) => j.state === 'running' && j.mutating)?.id;
    for (const j of jobs) {
      if (j.state === 'running') {
        this.seenRunning.add(j.id);
      } else if (this.seenRunning.delete(j.id)) {
        // the log registry has read the end of its log (it heard of the new state first): publish it
        this.o.logHub.flush();
        notify(this.o.cluster, j.state === 'succeeded' ? 'info' : 'error', `job ${j.id} ${j.state}: ${j.summary ?? ''}`.trim());
      }
    }
    this.maybeRenderInventory(jobs);
  }

  private readAll(): JobRecord[] {
    // finished jobs never change again: read them once
    const fresh = jobNames(this.o.jobsDir)
      .map((n) => this.finished.get(n) ?? readJob(this.o.jobsDir, n))
      .sort(byNewest);
    for (const j of fresh) {
      if (j.state !== 'running' && !this.finished.has(j.id) && j.state !== 'lost') {
        if (j.kind === 'plan') {
          const s = readJson<TofuPlan>(join(jobDir(this.o.jobsDir, j.id), FILES.plan));
          if (s) j.plan = toDomainPlan(s);
        }
        this.finished.set(j.id, j);
      }
    }
    return fresh;
  }

  private maybeRenderInventory(jobs: JobRecord[]): void {
    const apply = jobs.find((j) => j.kind === 'apply' && j.state !== 'running');
    if (!apply || apply.state !== 'succeeded' || this.renderedFor === apply.id) return;
    this.renderedFor = apply.id;
    let outputsAt = 0;
    try {
      outputsAt = statSync(this.o.outputsFile).mtimeMs;
    } catch {
      return;
    }
    if (outputsAt < apply.startedAt) return;
    if (this.o.inventoryFile) {
      try {
        if (statSync(this.o.inventoryFile).mtimeMs >= outputsAt) return;
      } catch {
        /* no inventory yet: render it */
      }
    }
    this.o.afterApply(this.o.outputsFile).catch((err: unknown) => {
      notify(this.o.cluster, 'error', `inventory not rendered after ${apply.id}: ${describeError(err).split('\n')[0]}`);
    });
  }
}

