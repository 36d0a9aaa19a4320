// The capabilities of the core that actions call (refresh, jobs, hook logs, log buffers, quit,
// reload): interfaces only, implemented in jobs/, health/, logs/ and wired in compose.ts.
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
}

export interface JobService {
  /** `tofu init` (with -upgrade: newer providers within the pins); returns the job id */
  init?(upgrade: boolean): Promise<string>;
  plan(): Promise<string>;
  /** apply a saved plan; returns the job id */
  apply(planJobId: string): Promise<string>;
  playbook(kind: 'deploy' | 'hooks' | 'validate' | 'network', limit?: string[]): Promise<string>;
  cancel(jobId: string): Promise<void>;
  /** what a plan would destroy (addresses), to ask for a typed confirmation */
  planDestroys(planJobId: string): string[] | undefined;
  /** the newest successful plan that has not been applied yet */
  pendingPlan(): string | undefined;
  /** the running mutating job, if any */
  running(): string | undefined;
  /** save a job's full log to a file; returns the path */
  saveLog(jobId: string, path?: string): Promise<string>;
  /** @deprecated a no-op: the log registry loads a job's log when a screen (or the job running) holds it */
  follow?(jobId: string): void;
  /** why a playbook cannot run yet (no tofu state or inventory to build the inventory from), or undefined */
  inventoryProblem?(): string | undefined;
  /** why a tool-running action cannot run now (tofu or ansible-playbook missing), or undefined */
  toolProblem?(tool: 'tofu' | 'ansible'): string | undefined;
}
