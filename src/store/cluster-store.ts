// The cluster model: what is true about the cloud, shared by every screen (and, later, by every
// client of `onedeck serve`). Small serialisable data only; log lines live in ring buffers.
import type { DoctorReport } from '../domain/doctor.js';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ClusterDrift, HostRow } from '../domain/host.js';
import type { JobRecord } from '../domain/job.js';
import type { CredentialAccess } from '../domain/credential-access.js';

export interface ClusterInfo {
  name: string;
  zone: string;
  region: string;
  opennebulaVersion: string;
  sandbox: boolean;
  configFile: string | null;
  refreshSeconds: number;
}

export interface Notice {
  id: number;
  level: 'info' | 'warn' | 'error';
  text: string;
  at: number;
}

export interface ClusterState {
  info: ClusterInfo;
  hosts: HostRow[];
  drift: ClusterDrift[];
  /** epoch ms of the last completed sweep, and whether one is in flight */
  refreshedAt?: number;
  refreshing: boolean;
  /** errors of a whole source for the last sweep ("scaleway: bad credentials (401)") */
  sourceErrors: Record<string, string>;
  /** what the credentials leave out, from the sweep: the Scaleway key's IAM permissions, the SSH user's sudo */
  access?: CredentialAccess;
  /** this cluster's jobs, newest first (the job watcher publishes them) */
  jobs: JobRecord[];
  /** the other clusters' jobs on this machine (same state directory), newest first: `:jobs --all` shows them, read-only */
  otherJobs: JobRecord[];
  /** per job id: number of lines appended so far (the pane re-renders when it moves) */
  logVersions: Record<string, number>;
  notices: Notice[];
  // --- published by the job watcher (src/jobs/job-watcher.ts) from its poll, written only when
  // --- they change, so disabled reasons and rendering read them instead of the disk or PATH
  /** what `a` would apply, if anything */
  pendingPlan?: PendingPlan;
  /** who holds the job lock, if anyone */
  lockHolder?: LockHolder;
  /** why tofu / ansible-playbook cannot be run (absent: found) */
  toolProblems: { tofu?: string; ansible?: string };
  /** why a playbook cannot run yet (no tofu state, outputs or inventory to build the inventory from) */
  inventoryProblem?: string;
  /** the last `:doctor` run (the doctor action publishes it; the doctor screen shows it) */
  doctor?: { running: boolean; report?: DoctorReport; error?: string };
  // --- published by the operations watcher (src/operations/watcher.ts), from the journals
  /** every operation on this machine, newest first */
  operations: OperationBrief[];
}

/** One step of an operation as the screens and disabled reasons see it. */
export interface OperationStepBrief {
  id: string;
  title: string;
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';
  attempts: number;
  startedAt?: number;
  endedAt?: number;
  jobIds: string[];
  message?: string;
  /** its last progress lines ("VM 13 web-1: MIGRATE on kvm-3") */
  log: string[];
}

/** An operation (add or remove hypervisors), folded from its journal. */
export interface OperationBrief {
  id: string;
  kind: 'add' | 'remove';
  title: string;
  hosts: string[];
  state: 'pending' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted' | 'abandoned';
  user: string;
  from?: string;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  /** the step running, or the one it stopped at */
  step?: string;
  message?: string;
  /** what the preview said (a removal's VM placement) */
  details: string[];
  steps: OperationStepBrief[];
}

/** The newest successful plan with changes that has not been applied yet (its saved plan file exists). */
export interface PendingPlan {
  jobId: string;
  add: number;
  change: number;
  destroy: number;
  /** resource addresses it destroys (deletes or replaces) */
  destroys: string[];
}

/** The mutating job that holds the machine-wide lock (or, before its lock shows, runs). */
export interface LockHolder {
  jobId: string;
  kind: string;
  title: string;
  user: string;
  from?: string;
}

export type ClusterStore = StoreApi<ClusterState>;

export function createClusterStore(info: ClusterInfo): ClusterStore {
  return createStore<ClusterState>()(() => ({
    info,
    hosts: [],
    drift: [],
    refreshing: false,
    sourceErrors: {},
    jobs: [],
    otherJobs: [],
    logVersions: {},
    notices: [],
    toolProblems: {},
    operations: [],
  }));
}

let noticeSeq = 0;
/** Record a message for the operator (shown in the status line, kept in a short history). */
export function notify(store: ClusterStore, level: Notice['level'], text: string, now = Date.now()): void {
  const notices = [...store.getState().notices, { id: ++noticeSeq, level, text, at: now }].slice(-50);
  store.setState({ notices });
}
