// The terraform `inventory` output (src/domain/inventory.ts) computed from Scaleway objects in
// their wire form: what the root module's outputs.tf yields for the same resources.
import type { InventoryHost, InventoryOutput } from '../domain/inventory.js';
import type { WireFlexibleIp, WireIpamIp, WirePrivateNetwork, WireServer, WireServerPrivateNetwork } from './state-types.js';

export interface WireSnapshot {
  servers: WireServer[];
  fips: WireFlexibleIp[];
  privateNetworks: WirePrivateNetwork[];
  serverPrivateNetworks: WireServerPrivateNetwork[];
  ipamIps: WireIpamIp[];
}

export const tagOf = (tags: string[], key: string) => tags.find((t) => t.startsWith(`${key}=`))?.slice(key.length + 1);

/** Servers of the cluster, keyed by their `host=` tag. */
export function clusterServers(snap: WireSnapshot, cluster: string): Map<string, WireServer> {
  const out = new Map<string, WireServer>();
  for (const s of snap.servers) {
    const host = tagOf(s.tags, 'host');
    if (host && s.tags.includes(`cluster=${cluster}`) && s.status !== 'deleting') out.set(host, s);
  }
  return out;
}

export function clusterFips(snap: WireSnapshot, cluster: string): Map<string, WireFlexibleIp> {
  const out = new Map<string, WireFlexibleIp>();
  for (const f of snap.fips) {
    const host = tagOf(f.tags, 'host');
    if (host && f.tags.includes(`cluster=${cluster}`)) out.set(host, f);
  }
  return out;
}

export function networksOf(snap: WireSnapshot, cluster: string) {
  return {
    management: snap.privateNetworks.find((p) => p.name === `${cluster}-management`) ?? snap.privateNetworks[0],
    vmtovm: snap.privateNetworks.find((p) => p.name === `${cluster}-vmtovm`) ?? snap.privateNetworks[1],
  };
}

function ipOn(snap: WireSnapshot, serverId: string, pnId: string | undefined): { ip: string; vlan: number | null } {
  const spn = snap.serverPrivateNetworks.find((p) => p.server_id === serverId && p.private_network_id === pnId);
  const ip = snap.ipamIps.find((x) => spn?.ipam_ip_ids.includes(x.id));
  return { ip: ip ? ip.address.split('/')[0] : '', vlan: spn?.vlan ?? null };
}

export function buildInventory(snap: WireSnapshot, o: { cluster: string; zone: string; region: string; projectId: string; frontend: string }): InventoryOutput | null {
  const servers = clusterServers(snap, o.cluster);
  const fips = clusterFips(snap, o.cluster);
  const nets = networksOf(snap, o.cluster);
  const hostOf = (name: string, s: WireServer): InventoryHost => {
    const m = ipOn(snap, s.id, nets.management?.id);
    const v = ipOn(snap, s.id, nets.vmtovm?.id);
    const f = fips.get(name);
    return {
      name,
      server_id: `${s.zone}/${s.id}`,
      public_ip: s.ips.find((i) => i.version === 'IPv4')?.address ?? '',
      private_ip: m.ip,
      vmtovm_ip: v.ip,
      private_vlan: m.vlan,
      vmtovm_vlan: v.vlan,
      flexible_ip: f ? f.ip_address.split('/')[0] : '',
      flexible_ip_id: f?.id ?? '',
      flexible_ip_mac: f?.mac_address?.mac_address ?? '',
    };
  };
  const fe = servers.get(o.frontend);
  if (!fe) return null;
  const hypervisors: Record<string, InventoryHost> = {};
  for (const [name, s] of [...servers].sort(([a], [b]) => a.localeCompare(b))) if (name !== o.frontend) hypervisors[name] = hostOf(name, s);
  return {
    cluster_name: o.cluster,
    zone: o.zone,
    project_id: o.projectId,
    private_network_id: nets.management ? `${o.region}/${nets.management.id}` : '',
    vmtovm_private_network_id: nets.vmtovm ? `${o.region}/${nets.vmtovm.id}` : '',
    frontend: hostOf(o.frontend, fe),
    hypervisors,
  };
}
