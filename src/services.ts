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
  /** read onedeck.yaml again and show the cluster it describes; resolves to a short message */
  reload?: (session: Session) => Promise<string>;
  /**
   * the one log registry: screens hold logs (open/close, through the navigation model), actions
   * and views read buffers (which never loads); hook-log tails and job logs are its sources
   */
  logs?: LogAccess;
  /** run onedeck doctor's checks against this core's config (src/doctor/) */
  doctor?: () => Promise<DoctorReport>;
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
}
