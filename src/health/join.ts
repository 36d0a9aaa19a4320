// Joins every source into one row per configured host, by the stable host key:
// config name ↔ tofu inventory ↔ Scaleway server (id, tag host=<key>, name <cluster>-<key>) ↔
// OpenNebula host (NAME = private IP) ↔ probe; and finds the drift between them. Pure.
import type { Config, HostConfig } from '../config/schema.js';
import type { ClusterDrift, HostRow, OpenNebulaView, ScalewayView, SourceId } from '../domain/host.js';
import { pickPrivateIp } from '../domain/addresses.js';
import type { InventoryHost, InventoryOutput } from '../domain/inventory.js';
import type { ScalewayData } from '../adapters/scaleway/servers.js';
import type { OpenNebulaData } from '../adapters/opennebula/client.js';
import { computeVerdict, INSTALL_TRANSIENT, NOT_AT_SCALEWAY, SERVER_TRANSIENT } from './verdict.js';

export interface JoinInput {
  /** networks: to tell the management private IP from the vm-to-vm one (and IPv6) without an inventory */
  config: Pick<Config, 'cluster' | 'frontend' | 'hypervisors'> & { networks?: Pick<Config['networks'], 'private_subnet'> };
  inventory?: InventoryOutput;
  inventoryError?: string;
  /** the last successful read (possibly from an earlier sweep: its `at` says so) */
  scaleway?: ScalewayData;
  /** why this sweep could not read Scaleway */
  scalewayError?: string;
  opennebula?: OpenNebulaData;
  opennebulaError?: string;
  probes: Record<string, HostRow['probe']>;
  sshTargets: Record<string, string | undefined>;
  repoHasHooks: boolean;
  now: number;
}

export interface JoinResult {
  rows: HostRow[];
  drift: ClusterDrift[];
}

const uuidOf = (id: string | undefined) => (id ? id.split('/').pop() : undefined);

export function inventoryHost(inv: InventoryOutput | undefined, h: HostConfig): InventoryHost | undefined {
  if (!inv) return undefined;
  if (h.role === 'frontend') return inv.frontend?.name === h.name || !inv.frontend?.name ? inv.frontend : undefined;
  return inv.hypervisors?.[h.name];
}

function matchServer(servers: ScalewayView[], h: HostConfig, cluster: string, inv?: InventoryHost): ScalewayView | undefined {
  const id = uuidOf(inv?.server_id);
  return (
    (id && servers.find((s) => s.serverId === id)) ||
    servers.find((s) => {
      const tags = s.tags ?? [];
      const clusterTag = tags.find((t) => t.startsWith('cluster='));
      return tags.includes(`host=${h.name}`) && (!clusterTag || clusterTag === `cluster=${cluster}`);
    }) ||
    servers.find((s) => s.name === `${cluster}-${h.name}`) ||
    servers.find((s) => s.name === h.name)
  );
}

function isOurs(s: ScalewayView, cluster: string): boolean {
  return (s.tags ?? []).includes(`cluster=${cluster}`) || s.name.startsWith(`${cluster}-`);
}

function isPending(s: ScalewayView | undefined): boolean {
  return !!s && (SERVER_TRANSIENT.has(s.status) || INSTALL_TRANSIENT.has(s.installStatus));
}

export function joinCluster(input: JoinInput): JoinResult {
  const { config, now } = input;
  const hosts: HostConfig[] = [config.frontend, ...config.hypervisors];
  const servers = input.scaleway?.servers ?? [];
  const oneHosts = input.opennebula?.hosts ?? [];
  const scalewayFresh = !!input.scaleway && !input.scalewayError;
  const oneFresh = !!input.opennebula && !input.opennebulaError;
  const drift: ClusterDrift[] = [];
  const usedServers = new Set<string>();
  const usedOne = new Set<string>();

  const partial = hosts.map((h) => {
    const inv = inventoryHost(input.inventory, h);
    const server = matchServer(servers, h, config.cluster, inv);
    if (server) usedServers.add(server.serverId);
    const privateIp = h.private_ip ?? inv?.private_ip ?? (server && pickPrivateIp(server.privateNetworks, config.networks?.private_subnet));
    const one = oneHosts.find((o) => (privateIp && o.name === privateIp) || o.name === h.name);
    if (one) usedOne.add(one.id);
    const sourceErrors: Partial<Record<SourceId, string>> = {};
    if (input.scalewayError) sourceErrors.scaleway = input.scalewayError;
    if (input.opennebulaError) sourceErrors.opennebula = input.opennebulaError;
    if (input.inventoryError) sourceErrors.tofu = input.inventoryError;
    const probe = input.probes[h.name];
    if (probe && !probe.reachable && probe.error) sourceErrors.ssh = probe.error;
    const rowDrift: string[] = [];
    if (scalewayFresh && !server) {
      rowDrift.push(NOT_AT_SCALEWAY);
      drift.push({ kind: 'missing-server', subject: h.name, detail: `${h.name} is in onedeck.yaml but no Elastic Metal server matches it in ${input.scaleway?.servers[0]?.zone ?? 'the zone'}` });
    }
    if (server && oneFresh && !one && !isPending(server)) {
      rowDrift.push('at Scaleway but not in OpenNebula (deploy registers it)');
      drift.push({ kind: 'not-in-opennebula', subject: h.name, detail: `server ${server.name} exists at Scaleway but no OpenNebula host is named ${privateIp ?? h.name}` });
    }
    if (one && scalewayFresh && !server) {
      drift.push({ kind: 'orphan-opennebula-host', subject: `host ${one.id} (${one.name})`, detail: `OpenNebula host ${one.id} (${h.name}) has no server at Scaleway any more` });
    }
    const row: Omit<HostRow, 'verdict'> = { key: h.name, role: h.role, sourceErrors, drift: rowDrift };
    const target = input.sshTargets[h.name];
    if (target) row.sshTarget = target;
    if (privateIp) row.privateIp = privateIp;
    if (server) row.scaleway = server;
    if (one) row.opennebula = one;
    if (probe) row.probe = probe;
    return { h, inv, row };
  });

  if (scalewayFresh) {
    for (const s of servers) {
      if (!usedServers.has(s.serverId) && isOurs(s, config.cluster)) {
        drift.push({ kind: 'unmanaged-server', subject: s.name, detail: `server ${s.name} (${s.serverId}) belongs to cluster ${config.cluster} but is not in onedeck.yaml` });
      }
    }
  }
  if (oneFresh) {
    for (const o of oneHosts) {
      if (!usedOne.has(o.id)) {
        drift.push({ kind: 'orphan-opennebula-host', subject: `host ${o.id} (${o.name})`, detail: `OpenNebula host ${o.id} named ${o.name} matches no host in onedeck.yaml` });
      }
    }
  }
  if (scalewayFresh) fipDrift(input, partial, drift);

  const rows: HostRow[] = partial.map(({ row }) => ({
    ...row,
    verdict: computeVerdict(row, { now, hasAddress: !!input.sshTargets[row.key], repoHasHooks: input.repoHasHooks }),
  }));
  return { rows, drift };
}

type Partial_ = { h: HostConfig; inv?: InventoryHost; row: Omit<HostRow, 'verdict'> };

/** A Flexible IP must sit on the server of the host running the VM that uses it; a host's own FIP on its server. */
function fipDrift(input: JoinInput, partial: Partial_[], drift: ClusterDrift[]): void {
  const fips = input.scaleway?.flexibleIps ?? [];
  const byIp = new Map(fips.map((f) => [f.ip, f]));
  const hostOfPrivateIp = new Map(partial.filter((p) => p.row.privateIp).map((p) => [p.row.privateIp!, p]));
  const byServer = new Map(partial.filter((p) => p.row.scaleway).map((p) => [p.row.scaleway!.serverId, p]));
  const seen = new Set<string>();
  const report = (p: Partial_ | undefined, fipIp: string, fipId: string, detail: string) => {
    if (seen.has(fipId)) return;
    seen.add(fipId);
    drift.push({ kind: 'fip-wrong-server', subject: fipIp, detail });
    p?.row.drift.push(`Flexible IP ${fipIp} attached to the wrong server`);
  };
  const nameOf = (serverId: string | undefined) =>
    serverId ? (byServer.get(serverId)?.h.name ?? input.scaleway?.servers.find((s) => s.serverId === serverId)?.name ?? serverId) : 'no server';
  if (input.opennebula && !input.opennebulaError) {
    for (const vm of input.opennebula.vms) {
      if (vm.state !== 3 || !vm.hostName) continue;
      const runsOn = hostOfPrivateIp.get(vm.hostName);
      const expected = runsOn?.row.scaleway?.serverId;
      if (!expected) continue;
      for (const ip of vm.ips) {
        const f = byIp.get(ip);
        if (!f || f.serverId === expected || f.status === 'updating' || f.status === 'detaching') continue;
        report(runsOn, f.ip, f.id, `Flexible IP ${f.ip} of VM ${vm.id} (${vm.name}) is on ${nameOf(f.serverId)} but the VM runs on ${runsOn!.h.name}`);
      }
    }
  }
  for (const p of partial) {
    const own = p.inv?.flexible_ip_id;
    const server = p.row.scaleway?.serverId;
    if (!own || !server) continue;
    const f = fips.find((x) => x.id === uuidOf(own) || x.id === own);
    if (!f || seen.has(f.id) || !f.serverId || f.serverId === server) continue;
    // a host's own FIP may legitimately follow a VM that uses it; that case was checked above
    const usedByVm = input.opennebula?.vms.some((vm) => vm.ips.includes(f.ip));
    if (usedByVm) continue;
    report(p, f.ip, f.id, `Flexible IP ${f.ip} of ${p.h.name} is attached to ${nameOf(f.serverId)}`);
  }
}
