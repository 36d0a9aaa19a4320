// The model of one server as onedeck sees it: every source's view of it, each with its age,
// and the verdict drawn from them. Pure data: adapters fill it, views render it.

export type Role = 'frontend' | 'hypervisor';

/** Where a value came from. */
export type SourceId = 'config' | 'tofu' | 'scaleway' | 'opennebula' | 'ssh' | 'inventory';

export type VerdictKind = 'healthy' | 'degraded' | 'down' | 'pending' | 'unknown';

export interface Verdict {
  kind: VerdictKind;
  /** short reasons, most important first: "monitoring failed 3m ago", "libvirtd inactive" */
  reasons: string[];
}

export interface ScalewayView {
  serverId: string;
  name: string;
  status: string; // ServerStatus: delivering | ready | ...
  installStatus: string; // to_install | installing | completed | error | unknown
  pingStatus: string; // ping_status_up | ...
  offer: string;
  zone: string;
  /** IPv4 first (the API's order may put IPv6 first) */
  publicIps: string[];
  privateNetworks: { privateNetworkId: string; vlan?: number; status: string; ips: string[] }[];
  flexibleIps: { id: string; ip: string; mac?: string; status: string; serverId?: string }[];
  /** server tags ("host=kvm-1", "cluster=prod") */
  tags?: string[];
  /** epoch ms of the server's creation / last update at Scaleway */
  createdAt?: number;
  updatedAt?: number;
  /** epoch ms since when onedeck has seen the current status/install status pair */
  statusSince?: number;
  /** epoch ms when this was read */
  at: number;
}

export interface OpenNebulaView {
  id: string;
  name: string; // the private IP
  state: number;
  stateName: string; // INIT, MONITORED, ERROR, DISABLED, OFFLINE, ...
  error?: string; // TEMPLATE.ERROR
  /** epoch ms of MONITORING.TIMESTAMP, if any */
  monitoredAt?: number;
  stale: boolean;
  runningVms: number;
  vmIds: string[];
  cpuAllocPct?: number;
  memAllocPct?: number;
  /** epoch ms since when onedeck has seen the current state */
  stateSince?: number;
  at: number;
}

export interface ProbeView {
  reachable: boolean;
  /** ms until the probe's first output byte (labelled "probe N ms"; not a network round trip) */
  rttMs?: number;
  error?: string; // "timeout after 5s", "connection refused", "host key mismatch"
  load1?: number;
  memUsedPct?: number;
  diskUsedPct?: number; // of /var/lib/one
  libvirtd?: boolean;
  /** systemctl is-active libvirtd: active | inactive | failed | unknown */
  libvirtdState?: string;
  kvm?: boolean;
  /** the SSH user may become root without a password (the probe ran as root) */
  become?: boolean;
  hooks?: {
    preOk: boolean;
    cleanOk: boolean;
    detail?: string;
    /** where the node keeps the hooks, or undefined when missing */
    dir?: string;
    /** repo files missing on the host, and files whose content differs */
    missing?: string[];
    different?: string[];
  };
  memTotalKb?: number;
  /** the failure was a changed host key: an alarm, not a connection problem */
  hostKeyAlarm?: boolean;
  hookErrors24h?: number;
  lastHookErrors?: string[];
  /** epoch ms of the last successful probe */
  lastOkAt?: number;
  at: number;
}

export interface HostRow {
  /** stable key: the host's name in onedeck.yaml */
  key: string;
  role: Role;
  /** address onedeck used for SSH, display only */
  sshTarget?: string;
  privateIp?: string;
  scaleway?: ScalewayView;
  opennebula?: OpenNebulaView;
  probe?: ProbeView;
  /** per-source errors when a source could not be read at all ("scaleway: 401 bad credentials") */
  sourceErrors: Partial<Record<SourceId, string>>;
  verdict: Verdict;
  drift: string[];
}

/** A drift found at cluster level (not tied to one configured host). */
export interface ClusterDrift {
  kind: 'unmanaged-server' | 'orphan-opennebula-host' | 'fip-wrong-server' | 'missing-server' | 'not-in-opennebula' | 'other';
  subject: string;
  detail: string;
}
