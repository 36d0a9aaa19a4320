// Reads the project's Elastic Metal servers (every page), their private-network attachments and
// IPAM addresses, and the Flexible IPs, into ScalewayView records.
import { Baremetal, Flexibleip, Ipam } from '@scaleway/sdk';
import type { Client, Region, Zone } from '@scaleway/sdk-client';
import { ipv4First } from '../../domain/addresses.js';
import type { ScalewayView } from '../../domain/host.js';
import { scalewayError } from './errors.js';
import { listAll, PAGE_SIZE } from './replies.js';

export interface FlexibleIpInfo {
  id: string;
  ip: string;
  mac?: string;
  status: string;
  serverId?: string;
  tags: string[];
}

export interface ScalewayData {
  servers: ScalewayView[];
  flexibleIps: FlexibleIpInfo[];
  /** parts that could not be read (private networks, IPAM, Flexible IPs) while servers could */
  warnings: string[];
  at: number;
}

export interface ScalewayReadOptions {
  zone: string;
  region: string;
  projectId: string;
  /** attempts per request, for messages */
  attempts?: number;
  now?: () => number;
}

export async function readScaleway(client: Client, opts: ScalewayReadOptions): Promise<ScalewayData> {
  const now = opts.now ?? Date.now;
  const zone = opts.zone as Zone;
  const region = opts.region as Region;
  const bm = new Baremetal.v1.API(client);
  const pn = new Baremetal.v3.PrivateNetworkAPI(client);
  const fip = new Flexibleip.v1alpha1.API(client);
  const ipam = new Ipam.v1.API(client);
  const warnings: string[] = [];
  const soft = async <T>(what: string, p: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await p();
    } catch (err) {
      warnings.push(scalewayError(err, what, opts.attempts).message);
      return [];
    }
  };
  const projectId = opts.projectId;
  const pageSize = PAGE_SIZE;
  const [servers, spns, ips, fips] = await Promise.all([
    listAll('list Elastic Metal servers', (page) => bm.listServers({ zone, projectId, page, pageSize }).then((r) => ({ totalCount: r.totalCount, items: r.servers }))).catch(
      (err: unknown) => {
        throw scalewayError(err, 'list Elastic Metal servers', opts.attempts);
      },
    ),
    soft('list private-network attachments', () =>
      listAll('list private-network attachments', (page) =>
        pn.listServerPrivateNetworks({ zone, projectId, page, pageSize }).then((r) => ({ totalCount: r.totalCount, items: r.serverPrivateNetworks })),
      ),
    ),
    soft('list private IPs (IPAM)', () =>
      listAll('list private IPs (IPAM)', (page) =>
        ipam.listIPs({ region, projectId, resourceType: 'baremetal_private_nic', page, pageSize }).then((r) => ({ totalCount: r.totalCount, items: r.ips })),
      ),
    ),
    soft('list Flexible IPs', () =>
      listAll('list Flexible IPs', (page) => fip.listFlexibleIPs({ zone, projectId, page, pageSize }).then((r) => ({ totalCount: r.totalCount, items: r.flexibleIps }))),
    ),
  ]);
  const at = now();
  const ipById = new Map(ips.map((ip) => [ip.id, ip.address.split('/')[0]]));
  const flexibleIps: FlexibleIpInfo[] = fips.map((f) => {
    const info: FlexibleIpInfo = { id: f.id, ip: f.ipAddress.split('/')[0], status: f.status, tags: f.tags ?? [] };
    if (f.macAddress?.macAddress) info.mac = f.macAddress.macAddress;
    if (f.serverId) info.serverId = f.serverId;
    return info;
  });
  const views = servers.map((s): ScalewayView => {
    const v: ScalewayView = {
      serverId: s.id,
      name: s.name,
      status: s.status,
      installStatus: s.install?.status ?? 'unknown',
      pingStatus: s.pingStatus,
      offer: s.offerName,
      zone: s.zone,
      // IPv4 first: some servers list their IPv6 address first, and the first is "the" public IP
      publicIps: ipv4First(s.ips),
      privateNetworks: spns
        .filter((p) => p.serverId === s.id)
        .map((p) => {
          const att: ScalewayView['privateNetworks'][number] = {
            privateNetworkId: p.privateNetworkId,
            status: p.status,
            ips: (p.ipamIpIds ?? []).map((id) => ipById.get(id)).filter((x): x is string => !!x),
          };
          if (p.vlan !== undefined) att.vlan = p.vlan;
          return att;
        }),
      flexibleIps: flexibleIps
        .filter((f) => f.serverId === s.id)
        .map(({ id, ip, mac, status, serverId }) => ({ id, ip, mac, status, serverId })),
      tags: s.tags ?? [],
      at,
    };
    if (s.createdAt) v.createdAt = s.createdAt.getTime();
    if (s.updatedAt) v.updatedAt = s.updatedAt.getTime();
    return v;
  });
  return { servers: views, flexibleIps, warnings, at };
}
