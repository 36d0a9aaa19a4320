// A job is one run of an external tool (tofu, ansible-playbook, ...). This is its record as kept
// in the store and in the job's status file; the log itself lives on disk and in a ring buffer.

export type JobKind = 'plan' | 'apply' | 'init' | 'deploy' | 'hooks' | 'validate' | 'network' | 'other';
export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'lost';

export interface JobRecord {
  id: string;
  kind: JobKind;
  title: string;
  /** the command line, secrets masked */
  command: string;
  mutating: boolean;
  user: string;
  /** SSH_CONNECTION of whoever started it, if any */
  from?: string;
  pid?: number;
  /** /proc start time of pid (a pid reused after a crash or reboot is not taken for the runner) */
  pidStart?: number;
  startedAt: number;
  endedAt?: number;
  exitCode?: number | null;
  state: JobState;
  /** one-line summary: "Plan: 3 to add, 0 to change, 1 to destroy", "failed: kvm-2 TASK [..]" */
  summary?: string;
  logFile: string;
  /** parsed result of a plan job: the job watcher reads plan-summary.json once, into here (the one place the views and actions read a plan from) */
  plan?: PlanSummary;
  /** process group of the tool (kill(-pgid) reaches its children) */
  pgid?: number;
  /** /proc start time of the group leader (the tool), to tell a reused pid apart */
  pgidStart?: number;
  /** the signal that ended the tool, if any */
  signal?: string | null;
  /** machine the job runs on */
  host?: string;
  /** live per-play/task/host or per-resource progress */
  progress?: JobProgress;
  /** for an apply: the plan job it applied */
  planJobId?: string;
  /** the cluster it belongs to (src/jobs/cluster-identity.ts); absent on records older than that */
  cluster?: JobCluster;
  /** a lost job (its runner died) whose tool's process group still runs: `:cancel` ends it */
  toolAlive?: boolean;
}

/** The cluster a job belongs to: the session's cluster name, config file and terraform directory. */
export interface JobCluster {
  name?: string;
  configFile?: string | null;
  terraformDir: string;
  /** a record from before jobs named their cluster: only its directory (the spec's cwd) is known */
  legacy?: boolean;
}

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  resources: { addr: string; action: 'create' | 'update' | 'delete' | 'replace' | 'read' | 'no-op' | string }[];
  diagnostics: string[];
  /** addresses it deletes or replaces (what a typed confirmation names) */
  destroys?: string[];
}

/** Live progress of a job, kept in its status file (updated about once a second). */
export type JobProgress = AnsibleJobProgress | TofuJobProgress;

export interface AnsibleJobProgress {
  kind: 'ansible';
  play?: string;
  task?: string;
  hosts: Record<
    string,
    { ok: number; changed: number; failed: number; unreachable: number; skipped: number; last?: string; status?: string }
  >;
  failures: { host: string; task: string; msg: string; unreachable?: boolean }[];
  recap?: Record<string, { ok: number; changed: number; unreachable: number; failures: number; skipped: number; rescued: number; ignored: number }>;
}

export interface TofuJobProgress {
  kind: 'tofu';
  resources: { addr: string; action: string; state: 'pending' | 'running' | 'done' | 'errored'; elapsed?: number; message?: string }[];
  done: number;
  total: number;
}
