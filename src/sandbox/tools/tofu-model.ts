// The root module's per-host resources, what exists of them behind the Scaleway API, and the
// diff against the desired hosts (frontend_name + hypervisors from onedeck.auto.tfvars.json).
import { clusterFips, clusterServers, networksOf, type WireSnapshot } from '../inventory-from-wire.js';
import type { ResourceIds } from './tofu-state.js';

export const HOST_RESOURCES: [type: string, name: string][] = [
  ['scaleway_ipam_ip', 'management'],
  ['scaleway_ipam_ip', 'vmtovm'],
  ['scaleway_baremetal_server', 'host'],
  ['scaleway_flexible_ip', 'host'],
  ['scaleway_flexible_ip_mac_address', 'host'],
];

export interface PlannedChange {
  addr: string;
  type: string;
  name: string;
  key: string;
  action: 'create' | 'delete';
}

export const addrOf = (type: string, name: string, key: string) => `${type}.${name}[${JSON.stringify(key)}]`;

export interface Tfvars {
  cluster_name: string;
  zone: string;
  region: string;
  project_id: string;
  frontend_name: string;
  hypervisors: string[];
  offer?: string;
}

export function desiredHosts(v: Tfvars): string[] {
  return [...new Set([v.frontend_name, ...(v.hypervisors ?? [])])];
}

export function actualResources(snap: WireSnapshot, v: Pick<Tfvars, 'cluster_name' | 'zone' | 'region'>): ResourceIds {
  const ids: ResourceIds = {};
  const put = (type: string, name: string, key: string, id: string) => (((ids[type] ??= {})[name] ??= {})[key] = id);
  const nets = networksOf(snap, v.cluster_name);
  for (const [host, s] of clusterServers(snap, v.cluster_name)) {
    put('scaleway_baremetal_server', 'host', host, `${s.zone}/${s.id}`);
    for (const [name, pn] of [['management', nets.management], ['vmtovm', nets.vmtovm]] as const) {
      const spn = snap.serverPrivateNetworks.find((p) => p.server_id === s.id && p.private_network_id === pn?.id);
      if (spn?.ipam_ip_ids[0]) put('scaleway_ipam_ip', name, host, `${v.region}/${spn.ipam_ip_ids[0]}`);
    }
  }
  for (const [host, f] of clusterFips(snap, v.cluster_name)) {
    put('scaleway_flexible_ip', 'host', host, `${f.zone}/${f.id}`);
    if (f.mac_address) put('scaleway_flexible_ip_mac_address', 'host', host, `${f.zone}/${f.id}`);
  }
  return ids;
}

export function hostsIn(ids: ResourceIds): string[] {
  return [...new Set(Object.values(ids).flatMap((byName) => Object.values(byName).flatMap((byKey) => Object.keys(byKey))))];
}

export function diff(desired: string[], actual: ResourceIds): PlannedChange[] {
  const changes: PlannedChange[] = [];
  const has = (type: string, name: string, key: string) => Boolean(actual[type]?.[name]?.[key]);
  for (const key of desired) {
    for (const [type, name] of HOST_RESOURCES) if (!has(type, name, key)) changes.push({ addr: addrOf(type, name, key), type, name, key, action: 'create' });
  }
  for (const key of hostsIn(actual).filter((k) => !desired.includes(k))) {
    for (const [type, name] of HOST_RESOURCES) if (has(type, name, key)) changes.push({ addr: addrOf(type, name, key), type, name, key, action: 'delete' });
  }
  return changes.sort((a, b) => a.addr.localeCompare(b.addr));
}

/** Changes when the set of managed objects changes: a plan made before is then stale. */
export function fingerprint(actual: ResourceIds): string {
  return JSON.stringify(
    Object.entries(actual)
      .flatMap(([t, byName]) => Object.entries(byName).flatMap(([n, byKey]) => Object.entries(byKey).map(([k, id]) => `${t}.${n}[${k}]=${id}`)))
      .sort(),
  );
}
