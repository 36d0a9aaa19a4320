// Private-network routes: Elastic Metal v3 server private networks, VPC v2 private networks,
// IPAM v1 IPs (where the servers' private addresses live).
import { addressesOf, hostIndexFor, PRIVATE_VLAN, tagValue, VMTOVM_VLAN } from '../state-default.js';
import type { SandboxState } from '../state-types.js';
import { makeIpamIp, makeServerPrivateNetwork, randomMac } from '../wire.js';
import { multi, notFound, order, paginate, sendJson, sendNoContent, type Route } from './http.js';

const Z3 = '/baremetal/v3/zones/([a-z0-9-]+)';

/** Attach a server to a private network, with the IPAM IPs reserved for it, else a new one. */
function attach(s: SandboxState, serverId: string, pnId: string, ipamIds: string[] = []): void {
  if (s.serverPrivateNetworks.some((p) => p.server_id === serverId && p.private_network_id === pnId)) return;
  const server = s.servers.find((x) => x.id === serverId)!;
  const host = tagValue(server.tags, 'host') ?? server.name;
  const a = addressesOf(hostIndexFor(s, host));
  const primary = s.privateNetworks[0]?.id === pnId;
  const reserved = s.ipamIps.find((x) => ipamIds.includes(x.id) && x.source.private_network_id === pnId);
  const ip = reserved ?? makeIpamIp(primary ? `${a.privateIp}/20` : `${a.vmtovmIp}/22`, pnId, serverId, server.name, s.projectId, s.region);
  if (reserved) {
    reserved.resource = { type: 'baremetal_private_nic', id: serverId, mac_address: randomMac().replace(/^52:54:00/, '02:00:00'), name: server.name };
    // the simulated host answers on its management address
    const sim = s.simHosts.find((h) => h.serverId === serverId);
    if (sim && primary) sim.privateIp = reserved.address.split('/')[0];
  } else s.ipamIps.push(ip);
  const status = s.transitions.some((t) => t.serverId === serverId) ? 'attaching' : 'attached';
  s.serverPrivateNetworks.push(makeServerPrivateNetwork(serverId, pnId, primary ? PRIVATE_VLAN : VMTOVM_VLAN, [ip.id], s.projectId, status));
}

function detach(s: SandboxState, serverId: string, pnId: string): void {
  const gone = s.serverPrivateNetworks.filter((p) => p.server_id === serverId && p.private_network_id === pnId);
  const ipIds = new Set(gone.flatMap((p) => p.ipam_ip_ids));
  s.serverPrivateNetworks = s.serverPrivateNetworks.filter((p) => !gone.includes(p));
  s.ipamIps = s.ipamIps.filter((ip) => !ipIds.has(ip.id));
}

export const privateNetworkRoutes: Route[] = [
  {
    method: 'GET',
    path: new RegExp(`^${Z3}/server-private-networks$`),
    handle({ res, query, store }) {
      const s = store.get();
      const server = query.get('server_id');
      const pn = query.get('private_network_id');
      const project = query.get('project_id');
      const items = order(
        s.serverPrivateNetworks.filter(
          (p) => (!server || p.server_id === server) && (!pn || p.private_network_id === pn) && (!project || p.project_id === project),
        ),
        query.get('order_by'),
      );
      const { page, total } = paginate(items, query);
      sendJson(res, 200, { total_count: total, server_private_networks: page });
    },
  },
  {
    method: 'PUT',
    path: new RegExp(`^${Z3}/servers/([^/]+)/private-networks$`),
    handle({ res, store, params, body }) {
      if (!store.get().servers.some((x) => x.id === params[1])) return notFound(res, 'baremetal_server', params[1]);
      const per = (body.per_private_network_ipam_ip_ids as Record<string, unknown>) ?? {};
      const wanted = Object.keys(per);
      const missing = wanted.find((id) => !store.get().privateNetworks.some((p) => p.id === id));
      if (missing) return notFound(res, 'private_network', missing);
      const out = store.update((s) => {
        for (const p of s.serverPrivateNetworks.filter((x) => x.server_id === params[1])) {
          if (!wanted.includes(p.private_network_id)) detach(s, params[1], p.private_network_id);
        }
        for (const id of wanted) attach(s, params[1], id, Array.isArray(per[id]) ? (per[id] as string[]) : []);
        return s.serverPrivateNetworks.filter((x) => x.server_id === params[1]);
      });
      sendJson(res, 200, { server_private_networks: out });
    },
  },
  {
    method: 'POST',
    path: new RegExp(`^${Z3}/servers/([^/]+)/private-networks$`),
    handle({ res, store, params, body }) {
      const pnId = typeof body.private_network_id === 'string' ? body.private_network_id : '';
      if (!store.get().servers.some((x) => x.id === params[1])) return notFound(res, 'baremetal_server', params[1]);
      if (!store.get().privateNetworks.some((p) => p.id === pnId)) return notFound(res, 'private_network', pnId);
      const out = store.update((s) => {
        attach(s, params[1], pnId, Array.isArray(body.ipam_ip_ids) ? (body.ipam_ip_ids as string[]) : []);
        return s.serverPrivateNetworks.find((x) => x.server_id === params[1] && x.private_network_id === pnId);
      });
      sendJson(res, 200, out);
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`^${Z3}/servers/([^/]+)/private-networks/([^/]+)$`),
    handle({ res, store, params }) {
      const found = store.get().serverPrivateNetworks.some((p) => p.server_id === params[1] && p.private_network_id === params[2]);
      if (!found) return notFound(res, 'server_private_network', params[2]);
      store.update((s) => detach(s, params[1], params[2]));
      sendNoContent(res);
    },
  },
  {
    method: 'GET',
    path: /^\/vpc\/v2\/regions\/([a-z-]+)\/private-networks$/,
    handle({ res, query, store, params }) {
      const s = store.get();
      const name = query.get('name');
      const project = query.get('project_id');
      const ids = multi(query, 'private_network_ids');
      const items = order(
        s.privateNetworks.filter(
          (p) => p.region === params[0] && (!name || p.name.includes(name)) && (!project || p.project_id === project) && (ids.length === 0 || ids.includes(p.id)),
        ),
        query.get('order_by'),
      );
      const { page, total } = paginate(items, query);
      sendJson(res, 200, { total_count: total, private_networks: page });
    },
  },
  {
    method: 'GET',
    path: /^\/ipam\/v1\/regions\/([a-z-]+)\/ips$/,
    handle({ res, query, store, params }) {
      const s = store.get();
      const pn = query.get('private_network_id');
      const rtype = query.get('resource_type');
      const rid = query.get('resource_id');
      const project = query.get('project_id');
      const mac = query.get('mac_address');
      const ids = multi(query, 'ip_ids');
      const items = order(
        s.ipamIps.filter(
          (ip) =>
            ip.region === params[0] &&
            (!pn || ip.source.private_network_id === pn) &&
            (!rtype || ip.resource.type === rtype) &&
            (!rid || ip.resource.id === rid) &&
            (!project || ip.project_id === project) &&
            (!mac || ip.resource.mac_address === mac) &&
            (ids.length === 0 || ids.includes(ip.id)),
        ),
        query.get('order_by'),
      );
      const { page, total } = paginate(items, query);
      sendJson(res, 200, { total_count: total, ips: page });
    },
  },
];
