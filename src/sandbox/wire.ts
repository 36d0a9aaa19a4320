// Builders for Scaleway objects in the exact wire shape the real API returns (snake_case keys).
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  WireFlexibleIp,
  WireIpamIp,
  WirePrivateNetwork,
  WireServer,
  WireServerPrivateNetwork,
} from './state-types.js';

export const OFFER = { id: '3ab0dc29-2fd4-486e-88bf-d08fbf49214b', name: 'EM-A610R-NVMe' };
export const OS_UBUNTU_2404 = '7d1914e1-f4ab-4e0b-a2b7-2c8a7f6ac6e1';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
export const nowIso = (ms = Date.now()) => iso(ms);

export function randomMac(): string {
  const b = randomBytes(3);
  return ['52', '54', '00', ...[...b].map((x) => x.toString(16).padStart(2, '0'))].join(':');
}

export interface ServerSpec {
  name: string;
  tags: string[];
  projectId: string;
  organizationId: string;
  zone: string;
  publicIpv4: string;
  status?: string;
  installStatus?: string;
  pingStatus?: string;
  createdAt?: number;
  description?: string;
}

export function makeServer(s: ServerSpec): WireServer {
  const id = randomUUID();
  const at = iso(s.createdAt ?? Date.now());
  const domain = `${id}.${s.zone}.baremetal.scw.cloud`;
  const v6 = `2001:bc8:1201:${parseInt(s.publicIpv4.split('.')[3] ?? '1', 10).toString(16)}::1`;
  return {
    id,
    organization_id: s.organizationId,
    project_id: s.projectId,
    name: s.name,
    description: s.description ?? '',
    created_at: at,
    updated_at: at,
    status: s.status ?? 'ready',
    offer_id: OFFER.id,
    offer_name: OFFER.name,
    tags: s.tags,
    domain,
    ips: [
      { id: randomUUID(), address: s.publicIpv4, reverse: domain, version: 'IPv4', reverse_status: 'active', reverse_status_message: '' },
      { id: randomUUID(), address: v6, reverse: domain, version: 'IPv6', reverse_status: 'active', reverse_status_message: '' },
    ],
    boot_type: 'normal',
    zone: s.zone,
    install: {
      os_id: OS_UBUNTU_2404,
      hostname: s.name,
      ssh_key_ids: [randomUUID()],
      status: s.installStatus ?? 'completed',
      user: 'ubuntu',
      service_user: '',
      service_url: '',
      partitioning_schema: null,
    },
    ping_status: s.pingStatus ?? 'ping_status_up',
    options: [],
    rescue_server: null,
    protected: false,
    user_data: null,
  };
}

export interface FipSpec {
  ip: string;
  description: string;
  tags?: string[];
  projectId: string;
  organizationId: string;
  zone: string;
  serverId?: string | null;
  withMac?: boolean;
  createdAt?: number;
}

export function makeFip(s: FipSpec): WireFlexibleIp {
  const at = iso(s.createdAt ?? Date.now());
  return {
    id: randomUUID(),
    organization_id: s.organizationId,
    project_id: s.projectId,
    description: s.description,
    tags: s.tags ?? [],
    updated_at: at,
    created_at: at,
    status: s.serverId ? 'attached' : 'ready',
    ip_address: `${s.ip}/32`,
    mac_address: s.withMac ? makeMac(s.zone, s.createdAt) : null,
    server_id: s.serverId ?? null,
    reverse: `${s.ip.replace(/\./g, '-')}.rev.poneytelecom.eu`,
    zone: s.zone,
  };
}

export function makeMac(zone: string, createdAt?: number, type = 'kvm') {
  const at = iso(createdAt ?? Date.now());
  return { id: randomUUID(), mac_address: randomMac(), mac_type: type, status: 'used', created_at: at, updated_at: at, zone };
}

export function makePrivateNetwork(name: string, subnet: string, projectId: string, organizationId: string, region: string, vpcId: string): WirePrivateNetwork {
  const id = randomUUID();
  const at = iso(Date.now());
  return {
    id,
    name,
    organization_id: organizationId,
    project_id: projectId,
    region,
    tags: [],
    created_at: at,
    updated_at: at,
    subnets: [{ id: randomUUID(), created_at: at, updated_at: at, subnet, project_id: projectId, private_network_id: id, vpc_id: vpcId }],
    vpc_id: vpcId,
    dhcp_enabled: true,
    default_route_propagation_enabled: false,
  };
}

export function makeIpamIp(address: string, pnId: string, serverId: string, serverName: string, projectId: string, region: string): WireIpamIp {
  const at = iso(Date.now());
  return {
    id: randomUUID(),
    address,
    project_id: projectId,
    is_ipv6: false,
    created_at: at,
    updated_at: at,
    source: { private_network_id: pnId },
    resource: { type: 'baremetal_private_nic', id: serverId, mac_address: randomMac().replace(/^52:54:00/, '02:00:00'), name: serverName },
    tags: [],
    reverses: [],
    region,
    zone: null,
  };
}

export function makeServerPrivateNetwork(serverId: string, pnId: string, vlan: number, ipamIpIds: string[], projectId: string, status = 'attached'): WireServerPrivateNetwork {
  const at = iso(Date.now());
  return { id: randomUUID(), project_id: projectId, server_id: serverId, private_network_id: pnId, vlan, status, created_at: at, updated_at: at, ipam_ip_ids: ipamIpIds };
}
