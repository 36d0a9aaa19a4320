// The default sandbox: cluster "sandbox" in fr-par-2, frontend fe + kvm-1..3, kvm-2 degraded
// (libvirtd inactive, so OpenNebula monitoring fails), a few VMs on fe and kvm-1.
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { hookHashes } from './hook-hashes.js';
import {
  HOOKS_DIR,
  HOOK_LOG_DETACH,
  HOOK_LOG_ATTACH,
  type OneHost,
  type OneVm,
  type SandboxState,
  type SimHost,
} from './state-types.js';
import { makeFip, makeIpamIp, makePrivateNetwork, makeServer, makeServerPrivateNetwork } from './wire.js';

export const PRIVATE_VLAN = 1891;
export const VMTOVM_VLAN = 2047;

export interface HostPlan {
  name: string;
  role: 'frontend' | 'hypervisor';
  n: number;
}

/** Display-only addresses of the n-th host (never connected to). */
export const addressesOf = (n: number) => ({
  publicIp: `51.159.120.${10 + n}`,
  fip: `212.47.240.${10 + n}`,
  privateIp: `10.16.0.${1 + n}`,
  vmtovmIp: `172.16.24.${1 + n}`,
  loopback: `127.0.0.${10 + n}`,
});

export function serverTags(cluster: string, name: string, role: string): string[] {
  return ['onedeck', `cluster=${cluster}`, `host=${name}`, `role=${role}`];
}
export const serverName = (cluster: string, name: string) => `${cluster}-${name}`;

export function newSimHost(name: string, role: SimHost['role'], n: number, serverId: string | null, hooks: Record<string, string>): SimHost {
  const a = addressesOf(n);
  return {
    name,
    role,
    serverId,
    address: a.loopback,
    port: 0,
    privateIp: a.privateIp,
    sshUp: true,
    libvirtd: 'active',
    kvm: 'loaded',
    load1: 0.3 + n * 0.07,
    memTotalKb: 131_586_028,
    memAvailableKb: 118_000_000 - n * 3_100_000,
    diskUsedPct: 6 + n,
    files: Object.fromEntries(Object.entries(hooks).map(([rel, sha]) => [join(HOOKS_DIR, rel), sha])),
    logs: { [HOOK_LOG_ATTACH]: [], [HOOK_LOG_DETACH]: [] },
  };
}

export function newOneHost(id: number, sim: Pick<SimHost, 'name' | 'privateIp' | 'memTotalKb'>, now: number, state = 2): OneHost {
  return {
    id,
    name: sim.privateIp,
    hostname: sim.name,
    state,
    prevState: state,
    forcedError: null,
    lastMonitored: state === 2 ? now : 0,
    failingSince: 0,
    createdAt: now - 86_400 * 3,
    totalCpu: 3200,
    totalMemKb: sim.memTotalKb,
  };
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** lines as hooks/lib/scw-flexip.sh writes them: `<UTC> scw-flexip-<action>[pid] LEVEL: message` */
function hookLog(action: 'attach' | 'detach', pid: number, at: number, msgs: string[]): string[] {
  return msgs.map((m, i) => {
    const [level, ...rest] = m.split(' ');
    return `${stamp(at + i * 1000)} scw-flexip-${action}[${pid}] ${level}: ${rest.join(' ')}`;
  });
}

export function createDefaultState(opts: {
  repoRoot: string;
  hooksDir?: string;
  now?: number;
  /** keep the identity of an existing sandbox (a reset keeps its project and credentials) */
  ids?: Pick<SandboxState, 'projectId' | 'organizationId' | 'accessKey' | 'secretKey'>;
}): SandboxState {
  const now = opts.now ?? Date.now();
  const nowS = Math.floor(now / 1000);
  const cluster = 'sandbox';
  const zone = 'fr-par-2';
  const region = 'fr-par';
  const projectId = opts.ids?.projectId ?? randomUUID();
  const organizationId = opts.ids?.organizationId ?? randomUUID();
  const hooks = hookHashes(opts.hooksDir ?? join(opts.repoRoot, 'hooks'));
  const state: SandboxState = {
    version: 1,
    cluster,
    zone,
    region,
    projectId,
    organizationId,
    accessKey: opts.ids?.accessKey ?? 'SCW' + randomBytes(17).toString('hex').toUpperCase().slice(0, 17),
    secretKey: opts.ids?.secretKey ?? randomUUID(),
    repoRoot: opts.repoRoot,
    hookHashes: hooks,
    servers: [],
    transitions: [],
    fips: [],
    fipBusyUntil: {},
    privateNetworks: [],
    serverPrivateNetworks: [],
    ipamIps: [],
    one: { hosts: [], vms: [], nextHostId: 0, nextVmId: 0 },
    simHosts: [],
  };
  const vpcId = randomUUID();
  const pn = makePrivateNetwork(`${cluster}-management`, '10.16.0.0/20', projectId, organizationId, region, vpcId);
  const pnVm = makePrivateNetwork(`${cluster}-vmtovm`, '172.16.24.0/22', projectId, organizationId, region, vpcId);
  state.privateNetworks.push(pn, pnVm);

  const plan: HostPlan[] = [
    { name: 'fe', role: 'frontend', n: 1 },
    { name: 'kvm-1', role: 'hypervisor', n: 2 },
    { name: 'kvm-2', role: 'hypervisor', n: 3 },
    { name: 'kvm-3', role: 'hypervisor', n: 4 },
  ];
  for (const h of plan) {
    const created = now - 86_400_000 * 3 + h.n * 60_000;
    provisionHost(state, h, { createdAt: created, installed: true });
    const sim = state.simHosts[state.simHosts.length - 1];
    state.one.hosts.push(newOneHost(state.one.nextHostId++, sim, nowS));
  }
  addDefaultVms(state, nowS);
  // kvm-2 is degraded: libvirtd died, so OpenNebula's monitoring fails and hooks log errors
  const kvm2 = state.simHosts.find((s) => s.name === 'kvm-2')!;
  kvm2.libvirtd = 'inactive';
  kvm2.load1 = 2.91;
  const kvm2One = state.one.hosts.find((h) => h.hostname === 'kvm-2')!;
  kvm2One.lastMonitored = nowS - 1260;
  kvm2One.failingSince = nowS - 1200;
  const fip1 = state.fips.find((f) => f.description === 'onedeck-sandbox-vm-public-1');
  kvm2.logs[HOOK_LOG_ATTACH] = [
    ...hookLog('attach', 48213, now - 7_200_000, [
      'INFO VM 10: public IP 212.47.240.31 is a Flexible IP (' + (fip1?.id ?? 'unknown') + ')',
      'INFO attaching FIP 212.47.240.31 to server fr-par-2/' + kvm2.serverId,
      'ERROR attach failed (HTTP 409): {"type":"transient_state","resource":"flexible_ip","resource_id":"' + (fip1?.id ?? '') + '","current_state":"updating","message":"resource is in a transient state"}',
    ]),
    ...hookLog('attach', 48391, now - 3_600_000, [
      'INFO VM 10: public IP 212.47.240.31 is a Flexible IP (' + (fip1?.id ?? 'unknown') + ')',
      'ERROR attach failed after 5 attempts, giving up',
    ]),
  ];
  for (const sim of state.simHosts) {
    if (sim.name === 'kvm-2') continue;
    sim.logs[HOOK_LOG_ATTACH] = hookLog('attach', 30000 + sim.privateIp.length * 977, now - 5_400_000, [
      'INFO VM ' + (sim.name === 'kvm-1' ? '10' : '11') + ': no public IP on any NIC, nothing to do',
    ]);
  }
  return state;
}

/** Create the server, its FIP (+MAC), private-network attachments and the simulated host. */
export function provisionHost(state: SandboxState, h: HostPlan, o: { createdAt: number; installed: boolean }): SimHost {
  const a = addressesOf(h.n);
  const server = makeServer({
    name: serverName(state.cluster, h.name),
    tags: serverTags(state.cluster, h.name, h.role),
    projectId: state.projectId,
    organizationId: state.organizationId,
    zone: state.zone,
    publicIpv4: a.publicIp,
    createdAt: o.createdAt,
    status: o.installed ? 'ready' : 'delivering',
    installStatus: o.installed ? 'completed' : 'to_install',
    pingStatus: o.installed ? 'ping_status_up' : 'ping_status_unknown',
  });
  state.servers.push(server);
  const fip = makeFip({
    ip: a.fip,
    description: `${state.cluster}-${h.name}-fip`,
    tags: ['onedeck', `cluster=${state.cluster}`, `host=${h.name}`],
    projectId: state.projectId,
    organizationId: state.organizationId,
    zone: state.zone,
    serverId: server.id,
    withMac: true,
    createdAt: o.createdAt,
  });
  state.fips.push(fip);
  attachPrivateNetworks(state, server.id, server.name, h.n);
  const sim = newSimHost(h.name, h.role, h.n, server.id, state.hookHashes);
  state.simHosts.push(sim);
  return sim;
}

export function attachPrivateNetworks(state: SandboxState, serverId: string, serverName: string, n: number, status = 'attached'): void {
  const a = addressesOf(n);
  const [pn, pnVm] = state.privateNetworks;
  const ip1 = makeIpamIp(`${a.privateIp}/20`, pn.id, serverId, serverName, state.projectId, state.region);
  const ip2 = makeIpamIp(`${a.vmtovmIp}/22`, pnVm.id, serverId, serverName, state.projectId, state.region);
  state.ipamIps.push(ip1, ip2);
  state.serverPrivateNetworks.push(
    makeServerPrivateNetwork(serverId, pn.id, PRIVATE_VLAN, [ip1.id], state.projectId, status),
    makeServerPrivateNetwork(serverId, pnVm.id, VMTOVM_VLAN, [ip2.id], state.projectId, status),
  );
}

function addDefaultVms(state: SandboxState, nowS: number): void {
  const host = (n: string) => state.one.hosts.find((h) => h.hostname === n)!.id;
  const extra = makeFip({
    ip: '212.47.240.31',
    description: 'onedeck-sandbox-vm-public-1',
    projectId: state.projectId,
    organizationId: state.organizationId,
    zone: state.zone,
    serverId: state.simHosts.find((s) => s.name === 'kvm-1')!.serverId,
    withMac: true,
  });
  state.fips.push(extra);
  const vms: Omit<OneVm, 'id'>[] = [
    { name: 'web-1', state: 3, lcmState: 3, hostId: host('kvm-1'), cpu: 1, vcpu: 2, memoryMb: 2048, ip: '212.47.240.31', mac: extra.mac_address!.mac_address, network: 'pubridge', stime: nowS - 172_800 },
    { name: 'db-1', state: 3, lcmState: 3, hostId: host('fe'), cpu: 2, vcpu: 4, memoryMb: 8192, ip: '10.1.2.101', mac: '02:00:0a:01:02:65', network: 'vxlan', stime: nowS - 172_000 },
    { name: 'worker-1', state: 3, lcmState: 3, hostId: host('kvm-1'), cpu: 1, vcpu: 1, memoryMb: 1024, ip: '10.1.2.102', mac: '02:00:0a:01:02:66', network: 'vxlan', stime: nowS - 90_000 },
    { name: 'batch-7', state: 3, lcmState: 16, hostId: host('kvm-2'), cpu: 0.5, vcpu: 1, memoryMb: 512, ip: '10.1.2.103', mac: '02:00:0a:01:02:67', network: 'vxlan', stime: nowS - 40_000 },
  ];
  state.one.nextVmId = 10;
  for (const v of vms) state.one.vms.push({ id: state.one.nextVmId++, ...v });
}

/** The index n of a host's display/loopback addresses: its simulated host's, or the next free one. */
export function hostIndexFor(state: SandboxState, name: string): number {
  const n = (s: SimHost) => parseInt(s.address.split('.')[3], 10) - 10;
  const existing = state.simHosts.find((s) => s.name === name);
  if (existing) return n(existing);
  return Math.max(0, ...state.simHosts.map(n)) + 1;
}

export const tagValue = (tags: string[], key: string): string | undefined =>
  tags.find((t) => t.startsWith(`${key}=`))?.slice(key.length + 1);
