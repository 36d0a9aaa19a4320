// VPC v2 routes: VPCs (create, list, get, update, enable routing, delete) and private networks
// (create, get, update, delete; the list route lives in private-networks.ts), as the Terraform
// provider calls them for terraform/.
import { randomUUID } from 'node:crypto';
import type { SandboxState, WireVpc } from '../state-types.js';
import { makePrivateNetwork, nowIso } from '../wire.js';
import { notFound, order, paginate, sendJson, sendNoContent, type Route } from './http.js';

const R = '/vpc/v2/regions/([a-z-]+)';
const UUID = '([0-9a-f-]{36})';
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function makeVpc(s: Pick<SandboxState, 'projectId' | 'organizationId'>, o: { id?: string; name: string; region: string; projectId?: string; tags?: string[]; routing?: boolean; now: number }): WireVpc {
  const at = nowIso(o.now);
  return {
    id: o.id ?? randomUUID(),
    name: o.name,
    organization_id: s.organizationId,
    project_id: o.projectId || s.projectId,
    region: o.region,
    tags: o.tags ?? [],
    is_default: false,
    created_at: at,
    updated_at: at,
    private_network_count: 0,
    routing_enabled: o.routing ?? true,
    custom_routes_propagation_enabled: false,
  };
}

export const vpcRoutes: Route[] = [
  // --- VPCs
  {
    method: 'POST',
    path: new RegExp(`^${R}/vpcs$`),
    handle({ res, store, params, body }) {
      const v = store.update((s) => {
        const x = makeVpc(s, { name: String(body.name ?? 'vpc'), region: params[0], projectId: typeof body.project_id === 'string' ? body.project_id : '', tags: strings(body.tags), routing: body.enable_routing !== false, now: store.now() });
        (s.vpcs ??= []).push(x);
        return x;
      });
      sendJson(res, 200, v);
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^${R}/vpcs$`),
    handle({ res, store, params, query }) {
      const items = order((store.get().vpcs ?? []).filter((v) => v.region === params[0]), query.get('order_by'));
      const { page, total } = paginate(items, query);
      sendJson(res, 200, { total_count: total, vpcs: page });
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^${R}/vpcs/${UUID}$`),
    handle({ res, store, params }) {
      const s = store.get();
      const v = (s.vpcs ?? []).find((x) => x.id === params[1] && x.region === params[0]);
      if (!v) return notFound(res, 'vpc', params[1]);
      sendJson(res, 200, { ...v, private_network_count: s.privateNetworks.filter((p) => p.vpc_id === v.id).length });
    },
  },
  {
    method: 'PATCH',
    path: new RegExp(`^${R}/vpcs/${UUID}$`),
    handle({ res, store, params, body }) {
      if (!(store.get().vpcs ?? []).some((x) => x.id === params[1])) return notFound(res, 'vpc', params[1]);
      const v = store.update((s) => {
        const x = s.vpcs!.find((y) => y.id === params[1])!;
        if (typeof body.name === 'string' && body.name) x.name = body.name;
        if (Array.isArray(body.tags)) x.tags = strings(body.tags);
        x.updated_at = nowIso(store.now());
        return x;
      });
      sendJson(res, 200, v);
    },
  },
  {
    method: 'POST',
    path: new RegExp(`^${R}/vpcs/${UUID}/enable-routing$`),
    handle({ res, store, params }) {
      if (!(store.get().vpcs ?? []).some((x) => x.id === params[1])) return notFound(res, 'vpc', params[1]);
      sendJson(res, 200, store.update((s) => Object.assign(s.vpcs!.find((y) => y.id === params[1])!, { routing_enabled: true })));
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`^${R}/vpcs/${UUID}$`),
    handle({ res, store, params }) {
      const s = store.get();
      if (!(s.vpcs ?? []).some((x) => x.id === params[1])) return notFound(res, 'vpc', params[1]);
      if (s.privateNetworks.some((p) => p.vpc_id === params[1])) return sendJson(res, 409, { type: 'precondition_failed', precondition: 'resource_still_in_use', help_message: 'VPC still has private networks', message: 'precondition failed' });
      store.update((st) => void (st.vpcs = st.vpcs!.filter((x) => x.id !== params[1])));
      sendNoContent(res);
    },
  },
  // --- private networks (the list route lives in private-networks.ts)
  {
    method: 'POST',
    path: new RegExp(`^${R}/private-networks$`),
    handle({ res, store, params, body }) {
      const s = store.get();
      const vpcId = typeof body.vpc_id === 'string' && body.vpc_id ? body.vpc_id : (s.vpcs ?? []).find((v) => v.region === params[0])?.id;
      if (!vpcId || !(s.vpcs ?? []).some((v) => v.id === vpcId)) return notFound(res, 'vpc', String(body.vpc_id ?? ''));
      const subnets = strings(body.subnets);
      const pn = store.update((st) => {
        const p = makePrivateNetwork(String(body.name ?? 'pn'), subnets[0] ?? '172.16.0.0/22', typeof body.project_id === 'string' ? body.project_id : st.projectId, st.organizationId, params[0], vpcId);
        p.tags = strings(body.tags);
        p.default_route_propagation_enabled = body.default_route_propagation_enabled === true;
        st.privateNetworks.push(p);
        return p;
      });
      sendJson(res, 200, pn);
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^${R}/private-networks/${UUID}$`),
    handle({ res, store, params }) {
      const pn = store.get().privateNetworks.find((p) => p.id === params[1] && p.region === params[0]);
      if (!pn) return notFound(res, 'private_network', params[1]);
      sendJson(res, 200, pn);
    },
  },
  {
    method: 'PATCH',
    path: new RegExp(`^${R}/private-networks/${UUID}$`),
    handle({ res, store, params, body }) {
      if (!store.get().privateNetworks.some((p) => p.id === params[1])) return notFound(res, 'private_network', params[1]);
      const pn = store.update((s) => {
        const p = s.privateNetworks.find((x) => x.id === params[1])!;
        if (typeof body.name === 'string' && body.name) p.name = body.name;
        if (Array.isArray(body.tags)) p.tags = strings(body.tags);
        if (typeof body.default_route_propagation_enabled === 'boolean') p.default_route_propagation_enabled = body.default_route_propagation_enabled;
        p.updated_at = nowIso(store.now());
        return p;
      });
      sendJson(res, 200, pn);
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`^${R}/private-networks/${UUID}$`),
    handle({ res, store, params }) {
      const s = store.get();
      if (!s.privateNetworks.some((p) => p.id === params[1])) return notFound(res, 'private_network', params[1]);
      if (s.serverPrivateNetworks.some((p) => p.private_network_id === params[1]) || s.ipamIps.some((ip) => ip.source.private_network_id === params[1])) {
        return sendJson(res, 409, { type: 'precondition_failed', precondition: 'resource_still_in_use', help_message: 'private network still has attached resources', message: 'precondition failed' });
      }
      store.update((st) => void (st.privateNetworks = st.privateNetworks.filter((p) => p.id !== params[1])));
      sendNoContent(res);
    },
  },
];
