// What the add/remove steps need from the outside world, as interfaces: the job starter, a
// command runner on the frontend (SSH), Scaleway's view of a server, whether a host's SSH
// answers, onedeck.yaml, the inventory and known_hosts. runner-deps.ts builds the real ones.
import type { JobStarter } from './types.js';

export interface RemoteResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface ServerStatus {
  /** delivering, ready, error, … (absent: no such server) */
  status: string;
  installStatus?: string;
}

export interface StepDeps {
  jobs: JobStarter;
  /** run a command line on the frontend over SSH (as onedeck's SSH user) */
  frontend(command: string): Promise<RemoteResult>;
  /** how OpenNebula's CLI is run there (opennebula.command_prefix) */
  onePrefix: string;
  /** Scaleway's view of the host's server (by host name), or undefined when there is none */
  serverStatus(host: string): Promise<ServerStatus | undefined>;
  /** whether a completed apply put the host in the Terraform outputs (its server, FIP and IPs are
   * in the state): a server Scaleway shows is not enough, an apply stopped mid-create leaves one */
  applied(host: string): Promise<boolean>;
  /** whether the host answers over SSH now (reads onedeck.yaml afresh for its endpoint) */
  sshAnswers(host: string): Promise<boolean>;
  config: {
    file: string;
    /** the current frontend and hypervisor names, read afresh */
    read(): { frontend: string; hypervisors: string[]; privateIps: Record<string, string | undefined> };
  };
  /** render the Ansible inventory again from the tofu outputs and onedeck.yaml */
  renderInventory(): Promise<void>;
  /** the names the host's key may be recorded under in known_hosts (read while onedeck.yaml lists it) */
  knownHostNames(host: string): string[];
  /** drop the known_hosts entries of those names; returns how many lines went */
  dropKnownHosts(names: string[]): Promise<number>;
  /** timeouts (ms) and the poll interval */
  timing: { serverReadyMs: number; drainMs: number; monitoredMs: number; pollMs: number; monitoredErrorMs?: number };
}

export const DEFAULT_TIMING: StepDeps['timing'] = {
  serverReadyMs: 45 * 60_000,
  drainMs: 30 * 60_000,
  monitoredMs: 10 * 60_000,
  pollMs: 5_000,
  /** a new host OpenNebula keeps in ERROR this long fails the wait, with OpenNebula's error
   * (its monitoring is retried: a first failed probe may still turn MONITORED) */
  monitoredErrorMs: 2 * 60_000,
};
