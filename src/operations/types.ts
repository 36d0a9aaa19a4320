// An operation: a multi-step job (add or remove hypervisors) kept in an append-only journal.
// Steps are idempotent: check() says whether the step is already done, act() does it.

export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';
export type OperationState = 'pending' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted' | 'abandoned';
export type OperationKind = 'add' | 'remove';

export interface Operator {
  user: string;
  /** the client address of SSH_CONNECTION, if any */
  from?: string;
}

/** What the operation is for; written once, in the first journal record. */
export interface OperationSpec {
  id: string;
  kind: OperationKind;
  title: string;
  hosts: string[];
  /** onedeck.yaml the operation edits and reads */
  configFile: string;
  operator: Operator;
  /** step ids and titles, in order (the preview) */
  steps: { id: string; title: string }[];
  /** kind-specific data decided at preview time (e.g. the removal's VM placement), display only */
  details?: string[];
}

export type JournalRecord =
  | { t: 'created'; at: number; spec: OperationSpec }
  | { t: 'run'; at: number; pid: number; pidStart?: number; resume: boolean }
  | { t: 'step'; at: number; step: string; state: StepState; message?: string; data?: unknown }
  | { t: 'job'; at: number; step: string; jobId: string }
  | { t: 'log'; at: number; step: string; line: string }
  | { t: 'cancel'; at: number; by?: string }
  | { t: 'end'; at: number; state: 'done' | 'failed' | 'cancelled' | 'abandoned'; step?: string; message?: string };

/** The outcome of a job an operation step started. */
export interface JobOutcome {
  id: string;
  state: 'succeeded' | 'failed' | 'cancelled' | 'lost';
  summary?: string;
  /** a plan job's resources (src/adapters/tofu/plan-summary.ts shape) */
  plan?: { resources: { addr: string; action: string }[] };
}

export type JobPeek = 'running' | JobOutcome['state'] | undefined;

/** A job an operation asks for; the job service runs it (its own runner, log and status). */
export type OperationJobRequest =
  /** a plan of the cluster with exactly these hypervisors (the tofu inputs are written for them) */
  | { kind: 'plan'; hypervisors: string[] }
  | { kind: 'apply'; planJobId: string }
  | { kind: 'playbook'; playbook: 'network' | 'deploy' | 'hooks' | 'validate'; limit?: string[] };

/**
 * What the operations need of the job service (kept to this interface so the job service can
 * change behind it). Jobs started here run while the operation holds the mutating lock: the job
 * service must let them (see docs/ARCHITECTURE.md "Operations").
 */
export interface JobStarter {
  start(req: OperationJobRequest, ctx: { operationId: string; step: string }): Promise<string>;
  /** resolves when the job has ended, whatever the signal does (the engine cancels through cancel()) */
  wait(jobId: string): Promise<JobOutcome>;
  /** the job's state now, or undefined when there is no such job (or, given `req`, it is not a
   * job of that request's kind: a step that runs a plan and then an apply picks up only its own) */
  peek(jobId: string, req?: OperationJobRequest): Promise<JobPeek>;
  cancel(jobId: string): Promise<void>;
}

export interface StepContext {
  operationId: string;
  spec: OperationSpec;
  signal: AbortSignal;
  /** one progress line, kept in the journal ("VM 13 web-1: MIGRATE → 10.16.0.5") */
  log(line: string): void;
  /** start a job through the job starter, record its id, wait for it; cancels it on abort.
   * A job this step started before an interruption is waited for (or reused) instead of restarted. */
  runJob(req: OperationJobRequest): Promise<JobOutcome>;
  /** wait until none of the jobs this step started before (an apply that outlived a killed runner) still runs */
  waitEarlierJobs?(): Promise<void>;
  /** data earlier steps returned (by step id), also after a resume */
  outputs: Record<string, unknown>;
  /** 1 on the step's first run, 2 on its first resume, … */
  attempt: number;
  now(): number;
  /** wait `ms` unless aborted (through the injected clock in tests) */
  sleep(ms: number): Promise<void>;
}

export interface StepResult {
  /** kept in the journal and given to later steps as outputs[step.id] */
  data?: unknown;
  message?: string;
}

export interface StepDef {
  id: string;
  title: string;
  /** true when the step's effect is already there (then it is recorded done without acting) */
  check?(ctx: StepContext): Promise<boolean | StepResult>;
  act(ctx: StepContext): Promise<StepResult | void>;
}

export interface StepSummary {
  id: string;
  title: string;
  state: StepState;
  /** how many times the step started */
  attempts: number;
  startedAt?: number;
  endedAt?: number;
  jobIds: string[];
  message?: string;
  log: string[];
  data?: unknown;
}

export interface OperationSummary {
  id: string;
  spec: OperationSpec;
  state: OperationState;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  /** the step running, or the one it stopped at */
  step?: string;
  message?: string;
  runnerPid?: number;
  runnerPidStart?: number;
  cancelRequested: boolean;
  steps: StepSummary[];
}
