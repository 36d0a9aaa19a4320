// Keeps cluster.jobs in step with the status files under the jobs directory (a poll about once a
// second plus fs.watch), notices when a job ends, and publishes into the cluster store what
// disabled reasons need (the pending plan, the lock holder, tool and inventory readiness), so
// nothing that renders touches the disk or PATH. It only reads: whatever a job leaves behind
// (outputs, the inventory) the job writes itself. Job logs are loaded by the log registry
// (src/logs/log-registry.ts), which holds a running job's log while it runs.
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { JobRecord, PlanSummary as DomainPlan } from '../domain/job.js';
import type { PlanSummary as TofuPlan } from '../adapters/tofu/plan-summary.js';
import type { LogHub } from '../logs/log-hub.js';
import { notify, type ClusterState, type ClusterStore, type LockHolder, type PendingPlan } from '../store/cluster-store.js';
import { byNewest, FILES, jobDir, jobNames, readJob, readJson } from './job-store.js';
import { lockHolder, type LockInfo } from './lock.js';
import type { Activity } from '../idle.js';
import { belongsTo, type JobCluster } from './cluster-identity.js';
import { busyPoll } from './busy-poll.js';

export function toDomainPlan(s: TofuPlan): DomainPlan {
  return {
    add: s.add,
    change: s.change,
    destroy: s.destroy,
    resources: s.resources.map((r) => ({ addr: r.addr, action: r.action === 'noop' ? 'no-op' : r.action })),
    diagnostics: s.diagnostics.map((d) => `${d.severity === 'warning' ? 'Warning' : 'Error'}: ${d.summary}${d.address ? ` (${d.address})` : ''}`),
    destroys: [...s.destroys],
  };
}

/** The newest successful plan with changes, unless an apply came after it or its plan file is gone. */
export function pendingPlanOf(jobs: readonly JobRecord[], hasPlanFile: (jobId: string) => boolean): PendingPlan | undefined {
  for (const j of jobs) {
    // newest first: an apply after the newest plan consumed it (or made it stale)
    if (j.kind === 'apply') return undefined;
    if (j.kind !== 'plan') continue;
    const p = j.plan;
    if (j.state !== 'succeeded' || !p || p.add + p.change + p.destroy === 0 || !hasPlanFile(j.id)) return undefined;
    const destroys = p.destroys ?? p.resources.filter((r) => r.action === 'delete' || r.action === 'replace').map((r) => r.addr);
    return { jobId: j.id, add: p.add, change: p.change, destroy: p.destroy, destroys };
  }
  return undefined;
}

/** Who holds the lock (as its file says), else the running mutating job whose lock is not written yet. */
export function lockHolderOf(lock: LockInfo | undefined, jobs: readonly JobRecord[]): LockHolder | undefined {
  const who = (user: string, from: string | undefined) => (from ? { user, from } : { user });
  if (lock) {
    const title = jobs.find((j) => j.id === lock.jobId)?.title ?? lock.command;
    return { jobId: lock.jobId, kind: lock.kind, title, ...who(lock.user, lock.from) };
  }
  const r = jobs.find((j) => j.state === 'running' && j.mutating);
  return r ? { jobId: r.id, kind: r.kind, title: r.title, ...who(r.user, r.from) } : undefined;
}

export interface ToolProblems {
  tofu?: string;
  ansible?: string;
}

export interface WatcherOptions {
  jobsDir: string;
  /** this session's cluster: only its jobs are published as `jobs` (and give the pending plan); the others go to `otherJobs`. Absent: every job is this cluster's */
  mine?: JobCluster;
  lockFile: string;
  cluster: ClusterStore;
  logHub: LogHub;
  pollMs?: number;
  /** why each tool cannot be run: looks at PATH, so asked at most every toolCheckMs */
  toolProblems?: () => ToolProblems;
  /** ms between two tool checks (default 5000) */
  toolCheckMs?: number;
  /** why a playbook cannot run yet (a few stats): asked on every poll */
  inventoryProblem?: () => string | undefined;
  /** the core's idle signal: a scheduled refresh counts as busy */
  activity?: Activity;
}

export class JobWatcher {
  private readonly finished = new Map<string, JobRecord>();
  private readonly seenRunning = new Set<string>();
  private stopPoll: (() => void) | undefined;
  private fsw: FSWatcher | undefined;
  private toolsCheckedAt: number | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private debounceDone: (() => void) | undefined;

  constructor(private readonly o: WatcherOptions) {}

  start(): void {
    this.refresh();
    // while a job runs, look 4 times a second so its end (and the keys that wait for it) shows at once;
    // otherwise once per poll interval (finished jobs are read once and cached, so a look is cheap)
    this.stopPoll = busyPoll({
      tick: () => this.refresh(),
      busy: () => this.o.cluster.getState().jobs.some((j) => j.state === 'running'),
      idleMs: this.o.pollMs ?? 1000,
    });
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
    this.stopPoll?.();
    this.stopPoll = undefined;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounceDone?.();
    this.fsw?.close();
    this.fsw = undefined;
  }

  refresh(): void {
    const all = this.readAll();
    const mine = this.o.mine;
    const jobs = mine ? all.filter((j) => belongsTo(j, mine)) : all;
    const others = mine ? all.filter((j) => !belongsTo(j, mine)) : [];
    const state = this.o.cluster.getState();
    const next = this.published(jobs, all);
    if (differs(state.jobs, jobs)) next.jobs = jobs;
    if (differs(state.otherJobs ?? [], others)) next.otherJobs = others;
    // one store write, and none at all when nothing changed (no re-render)
    if (Object.keys(next).length) this.o.cluster.setState(next);
    for (const j of jobs) {
      // another cluster's job ending is no news for this session
      if (j.state === 'running') {
        this.seenRunning.add(j.id);
      } else if (this.seenRunning.delete(j.id)) {
        // the log registry has read the end of its log (it heard of the new state first): publish it
        this.o.logHub.flush();
        notify(this.o.cluster, j.state === 'succeeded' ? 'info' : 'error', `job ${j.id} ${j.state}: ${j.summary ?? ''}`.trim());
        const lacking = j.state === 'failed' ? credentialsLackFor(j) : undefined;
        if (lacking) notify(this.o.cluster, 'warn', lacking);
      }
    }
  }

  /** The published fields whose value changed. */
  private published(jobs: JobRecord[], all: JobRecord[]): Partial<ClusterState> {
    const cur = this.o.cluster.getState();
    const out: Partial<ClusterState> = {};
    const put = <K extends 'pendingPlan' | 'lockHolder' | 'toolProblems' | 'inventoryProblem'>(key: K, value: ClusterState[K]) => {
      if (JSON.stringify(cur[key]) !== JSON.stringify(value)) out[key] = value;
    };
    put('pendingPlan', pendingPlanOf(jobs, (id) => existsSync(join(jobDir(this.o.jobsDir, id), FILES.planFile))));
    // the lock is machine-wide: whichever cluster's job holds it, this one waits
    put('lockHolder', lockHolderOf(lockHolder(this.o.lockFile), all));
    if (this.o.inventoryProblem) put('inventoryProblem', this.o.inventoryProblem());
    const now = Date.now();
    if (this.o.toolProblems && (this.toolsCheckedAt === undefined || now - this.toolsCheckedAt >= (this.o.toolCheckMs ?? 5000))) {
      this.toolsCheckedAt = now;
      const t = this.o.toolProblems();
      put('toolProblems', { ...(t.tofu ? { tofu: t.tofu } : {}), ...(t.ansible ? { ansible: t.ansible } : {}) });
    }
    return out;
  }

  private readAll(): JobRecord[] {
    // finished jobs never change again: read them once
    const fresh = jobNames(this.o.jobsDir)
      .map((n) => this.finished.get(n) ?? readJob(this.o.jobsDir, n))
      .sort(byNewest);
    for (const j of fresh) {
      // a lost job is read again until its tool's group is gone too (then it never changes)
      const settled = j.state !== 'lost' || (j.pid !== undefined && !j.toolAlive);
      if (j.state !== 'running' && !this.finished.has(j.id) && settled) {
        if (j.kind === 'plan') {
          const s = readJson<TofuPlan>(join(jobDir(this.o.jobsDir, j.id), FILES.plan));
          if (s) j.plan = toDomainPlan(s);
        }
        this.finished.set(j.id, j);
      }
    }
    return fresh;
  }
}

function differs(prev: readonly JobRecord[], next: readonly JobRecord[]): boolean {
  if (prev.length !== next.length) return true;
  const byId = new Map(prev.map((j) => [j.id, j]));
  return next.some((j) => JSON.stringify(byId.get(j.id)) !== JSON.stringify(j));
}

/** A job that failed because its credentials may only read: which features they leave out (the
 * after-the-fact report; the sweep tells it up front when it can, src/domain/credential-access.ts). */
export function credentialsLackFor(j: Pick<JobRecord, 'id' | 'kind' | 'summary'>): string | undefined {
  const text = j.summary ?? '';
  if (/\b403\b|permissions?[_ ]denied|insufficient permissions/i.test(text)) {
    return `read-only credentials: the Scaleway key was refused in job ${j.id} (permissions denied): apply, add and remove need ElasticMetalFullAccess, VPCFullAccess, PrivateNetworksFullAccess, IPAMFullAccess and SSHKeysFullAccess on the project (give the key IAMReadOnly and onedeck tells this before a job starts)`;
  }
  if (/a password is required|missing sudo password|not in the sudoers|sudo: .*password/i.test(text)) {
    return `read-only SSH user: sudo was refused in job ${j.id}: OneDeploy, network, hooks, validation, add and remove need passwordless sudo for the SSH user`;
  }
  return undefined;
}
