// The capabilities of the core that actions call (refresh, jobs, hook logs, log buffers, quit,
// reload): interfaces only, implemented in jobs/, health/, logs/ and wired in compose.ts.
import type { DoctorReport } from './domain/doctor.js';
import type { LogAccess } from './logs/log-registry.js';
import type { Session } from './session.js';

/**
 * Capabilities of the core that actions call. Each is optional so a build (or a test) can run
 * with only some of them; an action whose capability is missing is disabled with a reason.
 */
export interface Services {
  refresh?: () => Promise<void>;
  jobs?: JobService;
  /** leave onedeck (the CLI entry decides what that means for its terminal) */
  quit?: (session: Session) => void;
  /** read onedeck.yaml again and show the cluster it describes; resolves to a short message. A
   * broken file changes nothing: the front end shows the whole message (and logs it), then this rejects */
  reload?: (session: Session) => Promise<string>;
  /**
   * the one log registry: screens hold logs (open/close, through the navigation model), actions
   * and views read buffers (which never loads); hook-log tails and job logs are its sources
   */
  logs?: LogAccess;
  /** run onedeck doctor's checks against this core's config (src/doctor/) */
  doctor?: () => Promise<DoctorReport>;
  /** add and remove hypervisors as operations (src/operations/service.ts) */
  operations?: OperationService;
}

/** What an operation will do, as the confirmation shows it (computed with I/O before asking). */
export interface OperationPreview {
  kind: 'add' | 'remove';
  hosts: string[];
  steps: { id: string; title: string }[];
  /** a removal's VMs and where they go; a rollback's what-it-undoes */
  lines: string[];
}

/**
 * Operations: every call that starts or changes one takes the session that asks (the lock and
 * the journal name its operator; a read-only session is refused here too). What disabled reasons
 * need is not asked of it: the operations watcher publishes `operations` into the cluster store.
 */
export interface OperationService {
  /** the steps of adding these hosts (none named: the next free kvm-N); throws the refusal */
  previewAdd(names: string[]): Promise<OperationPreview>;
  /** the steps of removing the host, its VMs and where they go; throws the refusal */
  previewRemove(name: string): Promise<OperationPreview>;
  /** write the operation from the preview the operator confirmed and start it detached; its id */
  start(session: Session, p: OperationPreview): Promise<string>;
  resume(session: Session, id: string): Promise<void>;
  cancel(session: Session, id: string): void;
  abandon(session: Session, id: string): void;
  /** the preview of undoing an add that stopped before OneDeploy (a removal of its new host) */
  rollbackPreview(id: string): Promise<OperationPreview>;
  /** abandon the add, then start the removal of what it created; the removal's id */
  rollback(session: Session, id: string, p: OperationPreview): Promise<string>;
}

/**
 * Jobs: every call that starts, cancels or writes something takes the session that asks, so the
 * job record, the machine-wide lock and the audit log name its operator; a read-only session is
 * refused here too. What disabled reasons need (the pending plan, the lock holder, tool and
 * inventory readiness) is not asked of the service: the job watcher publishes it into the cluster
 * store (`pendingPlan`, `lockHolder`, `toolProblems`, `inventoryProblem`).
 */
export interface JobService {
  /** `tofu init` (with -upgrade: newer providers within the pins); returns the job id */
  init?(session: Session, upgrade: boolean): Promise<string>;
  plan(session: Session): Promise<string>;
  /** apply a saved plan; returns the job id */
  apply(session: Session, planJobId: string): Promise<string>;
  playbook(session: Session, kind: 'deploy' | 'hooks' | 'validate' | 'network', limit?: string[]): Promise<string>;
  cancel(session: Session, jobId: string): Promise<void>;
  /** save a job's full log to a file; returns the path */
  saveLog(session: Session, jobId: string, path?: string): Promise<string>;
  /** @deprecated a no-op: the log registry loads a job's log when a screen (or the job running) holds it */
  follow?(jobId: string): void;
  /** read the jobs and the lock again now and publish them (the run path asks it before refusing a
   * mutating action as busy: the store may be up to one poll behind a job that just ended) */
  refresh?(): void;
}
