// The sandbox cluster's state: Scaleway objects in their WIRE form (snake_case, as the real API
// sends them), OpenNebula's hosts and VMs, and what each simulated host looks like over SSH.

export interface WireServerIp {
  id: string;
  address: string;
  reverse: string;
  version: 'IPv4' | 'IPv6';
  reverse_status: string;
  reverse_status_message: string;
}

export interface WireServer {
  id: string;
  organization_id: string;
  project_id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  status: string;
  offer_id: string;
  offer_name: string;
  tags: string[];
  domain: string;
  ips: WireServerIp[];
  boot_type: string;
  zone: string;
  install: {
    os_id: string;
    hostname: string;
    ssh_key_ids: string[];
    status: string;
    user: string;
    service_user: string;
    service_url: string;
    partitioning_schema: null;
  } | null;
  ping_status: string;
  options: unknown[];
  rescue_server: null;
  protected: boolean;
  user_data: null;
}

export interface WireMacAddress {
  id: string;
  mac_address: string;
  mac_type: string;
  status: string;
  created_at: string;
  updated_at: string;
  zone: string;
}

export interface WireFlexibleIp {
  id: string;
  organization_id: string;
  project_id: string;
  description: string;
  tags: string[];
  updated_at: string;
  created_at: string;
  status: string;
  ip_address: string;
  mac_address: WireMacAddress | null;
  server_id: string | null;
  reverse: string;
  zone: string;
}

export interface WirePrivateNetwork {
  id: string;
  name: string;
  organization_id: string;
  project_id: string;
  region: string;
  tags: string[];
  created_at: string;
  updated_at: string;
  subnets: { id: string; created_at: string; updated_at: string; subnet: string; project_id: string; private_network_id: string; vpc_id: string }[];
  vpc_id: string;
  dhcp_enabled: boolean;
  default_route_propagation_enabled: boolean;
}

export interface WireServerPrivateNetwork {
  id: string;
  project_id: string;
  server_id: string;
  private_network_id: string;
  vlan: number;
  status: string;
  created_at: string;
  updated_at: string;
  ipam_ip_ids: string[];
}

export interface WireIpamIp {
  id: string;
  address: string;
  project_id: string;
  is_ipv6: boolean;
  created_at: string;
  updated_at: string;
  source: { private_network_id: string };
  resource: { type: string; id: string; mac_address: string; name: string };
  tags: string[];
  reverses: unknown[];
  region: string;
  zone: string | null;
}

export interface WireVpc {
  id: string;
  name: string;
  organization_id: string;
  project_id: string;
  region: string;
  tags: string[];
  is_default: boolean;
  created_at: string;
  updated_at: string;
  private_network_count: number;
  routing_enabled: boolean;
  custom_routes_propagation_enabled: boolean;
}

export interface WireSshKey {
  id: string;
  name: string;
  public_key: string;
  fingerprint: string;
  created_at: string;
  updated_at: string;
  organization_id: string;
  project_id: string;
  disabled: boolean;
}

/** A server's delivery/deletion in progress; the status is derived from the elapsed time. */
export interface ServerTransition {
  serverId: string;
  kind: 'create' | 'delete';
  startedAt: number;
  /** the install fails (a `server-ready` fault): ready with install status error, until faults are cleared */
  failInstall?: boolean;
}

export interface OneHost {
  id: number;
  /** OpenNebula names a host by its private IP */
  name: string;
  /** the inventory name the host was deployed as (TEMPLATE.HOSTNAME) */
  hostname: string;
  /** administrative state: 0 INIT, 2 MONITORED, 4 DISABLED, 8 OFFLINE */
  state: number;
  prevState: number;
  /** an ERROR forced through the control endpoint (kept until cleared) */
  forcedError: string | null;
  /** that ERROR is a `monitored` fault's: clearing the faults clears it */
  faultError?: boolean;
  /** epoch seconds of the last successful monitoring */
  lastMonitored: number;
  /** epoch seconds the host started failing monitoring (0 when fine) */
  failingSince: number;
  createdAt: number;
  totalCpu: number;
  totalMemKb: number;
}

export interface OneVm {
  id: number;
  name: string;
  /** 3 ACTIVE (LCM 3 RUNNING), 1 PENDING, 8 POWEROFF ... */
  state: number;
  lcmState: number;
  hostId: number | null;
  cpu: number;
  vcpu: number;
  memoryMb: number;
  ip: string;
  mac: string;
  network: string;
  stime: number;
  /** marked for rescheduling (onehost flush): the scheduler live-migrates it to a host with room */
  resched?: boolean;
  /** a live migration in progress (LCM MIGRATE) */
  migrating?: { to: number; startedAt: number; fail?: boolean };
  /** USER_TEMPLATE.ERROR: why the last action failed */
  error?: string;
  /** USER_TEMPLATE.SCHED_MESSAGE: why the scheduler could not place it */
  schedMessage?: string;
}

/** Speed knobs of the simulation (`onedeck sandbox knob …`). */
export interface SandboxKnobs {
  /** how long a live migration takes (default 1500 ms) */
  migrateMs: number;
  /** factor on a new server's delivery and install times (default 1: about 5 s) and on a deletion's (1.5 s) */
  deliveryScale: number;
  /** what the sandbox API key's IAM policies grant (default full; see scaleway-api/iam-access.ts) */
  keyAccess?: 'full' | 'readonly' | 'full-no-iam' | 'readonly-no-iam';
  /** SSH users who log in but may not sudo (sudo -n fails: a password is required) */
  noSudoUsers?: string[];
}

export type LibvirtdState = 'active' | 'inactive' | 'failed' | 'unknown';

export interface SimHost {
  name: string;
  role: 'frontend' | 'hypervisor';
  /** Scaleway server id (uuid, without zone) */
  serverId: string | null;
  /** loopback address and port its SSH server listens on */
  address: string;
  port: number;
  privateIp: string;
  sshUp: boolean;
  libvirtd: LibvirtdState;
  kvm: 'loaded' | 'missing';
  load1: number;
  memTotalKb: number;
  memAvailableKb: number;
  diskUsedPct: number;
  /** simulated files: absolute path -> sha256 hex of the content */
  files: Record<string, string>;
  /** simulated logs: absolute path -> lines */
  logs: Record<string, string[]>;
}

export interface SandboxState {
  version: 1;
  cluster: string;
  zone: string;
  region: string;
  projectId: string;
  organizationId: string;
  accessKey: string;
  secretKey: string;
  /** the onedeck checkout whose terraform/, ansible/ and hooks/ the sandbox config points to */
  repoRoot: string;
  /** sha256 of the repo's hooks/ files, keyed by the path relative to the hooks dir on a host */
  hookHashes: Record<string, string>;
  servers: WireServer[];
  transitions: ServerTransition[];
  fips: WireFlexibleIp[];
  /** FIPs in a transient state until the given epoch ms */
  fipBusyUntil: Record<string, number>;
  privateNetworks: WirePrivateNetwork[];
  serverPrivateNetworks: WireServerPrivateNetwork[];
  ipamIps: WireIpamIp[];
  /** VPCs and IAM SSH keys (added with the sandbox's Terraform provider; older states lack them) */
  vpcs?: WireVpc[];
  sshKeys?: WireSshKey[];
  one: { hosts: OneHost[]; vms: OneVm[]; nextHostId: number; nextVmId: number };
  simHosts: SimHost[];
  /** steps whose next run fails (`onedeck sandbox fail <step>`), consumed by the step's command */
  faults?: string[];
  knobs?: Partial<SandboxKnobs>;
}

export const HOOKS_DIR = '/var/tmp/one/vnm/bridge';
export const FRONTEND_REMOTES_DIR = '/var/lib/one/remotes/vnm/bridge';
/** where the hooks of hooks/ log (hooks/lib/scw-flexip.sh): one file per action */
export const HOOK_LOG_ATTACH = '/var/log/vnm/scw-flexip-attach.log';
export const HOOK_LOG_DETACH = '/var/log/vnm/scw-flexip-detach.log';
