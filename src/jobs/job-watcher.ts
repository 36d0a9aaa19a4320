// Keeps cluster.jobs in step with the status files under the jobs directory (a poll about once a
// second plus fs.watch), follows running jobs' logs into the LogHub, notices when a job ends, and
// renders the inventory once after a successful apply.
import { statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { JobRecord, PlanSummary as DomainPlan } from '../domain/job.js';
import type { PlanSummary as TofuPlan } from '../adapters/tofu/plan-summary.js';
import { describeError } from '../errors.js';
import type { LogHub } from '../logs/log-hub.js';
import { notify, type ClusterStore } from '../store/cluster-store.js';
import { byNewest, FILES, jobDir, jobNames, readJob, readJson } from './job-store.js';
import { lockHolder } from './lock.js';
import { LogFollower } from './log-follower.js';
import { jobLogId } from '../logs/log-id.js';
import type { Activity } from '../idle.js';

/** How many finished jobs keep their log in memory (running ones always do). */
const KEEP_FINISHED_LOGS = 6;

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
  /** the core's idle signal: a scheduled refresh and the inventory rendering count as busy */
  activity?: Activity;
}

export class JobWatcher {
  private readonly followers = new Map<string, LogFollower>();
  private readonly finished = new Map<string, JobRecord>();
  private readonly seenRunning = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private fsw: FSWatcher | undefined;
  private running: string | undefined;
  private renderedFor: string | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private debounceDone: (() => void) | undefined;

  constructor(private readonly o: WatcherOptions) {}

  start(): void {
    this.refresh();
    // at start, show the newest job's log (a job that ran while no onedeck was open)
    const newest = this.o.cluster.getState().jobs[0];
    if (newest) this.follow(newest.id);
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
        this.debounceDone = this.o.activity?.begin('job refresh');
        this.debounce = setTimeout(() => {
          this.debounce = undefined;
          this.refresh();
          this.debounceDone?.();
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
    this.debounceDone?.();
    this.timer = undefined;
    this.fsw?.close();
    this.fsw = undefined;
    for (const f of this.followers.values()) f.stop();
    this.followers.clear();
  }

  runningId(): string | undefined {
    return this.running;
  }

  /** Load a job's log into the hub and follow it while it runs. */
  follow(id: string): void {
    if (this.followers.has(id)) return;
    const f = new LogFollower(join(jobDir(this.o.jobsDir, id), FILES.log), this.o.logHub, jobLogId(id));
    f.start();
    this.followers.set(id, f);
    this.trim();
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
        this.follow(j.id);
      } else if (this.seenRunning.delete(j.id)) {
        this.followers.get(j.id)?.poll();
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

  private trim(): void {
    const done = [...this.followers.keys()].filter((id) => !this.seenRunning.has(id)).sort();
    while (done.length > KEEP_FINISHED_LOGS) {
      const id = done.shift()!;
      this.followers.get(id)?.stop();
      this.followers.delete(id);
      this.o.logHub.drop(jobLogId(id));
    }
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
    const rendering = this.o.afterApply(this.o.outputsFile);
    this.o.activity?.track('inventory rendering', rendering).catch(() => {});
    rendering.catch((err: unknown) => {
      notify(this.o.cluster, 'error', `inventory not rendered after ${apply.id}: ${describeError(err).split('\n')[0]}`);
    });
  }
}

