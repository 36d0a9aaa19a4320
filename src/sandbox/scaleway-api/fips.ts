// Flexible IP v1alpha1 routes: list, get, create, update, delete, attach, detach, MAC create/delete.
// Attach/detach put the FIP in a transient state for a moment; a second call then gets 409.
// As the real API, a GET on a Flexible IP that was deleted answers 403 permissions_denied, not 404.
import type { SandboxStateStore } from '../state.js';
import type { SandboxState, WireFlexibleIp } from '../state-types.js';
import { makeFip, makeMac, nowIso } from '../wire.js';
import { invalidArgument, multi, notFound, order, paginate, sendJson, sendNoContent, transientState, type Route } from './http.js';

const Z = '/flexible-ip/v1alpha1/zones/([a-z0-9-]+)';
export const FIP_TRANSIENT_MS = 1500;
const TRANSIENT = ['updating', 'detaching', 'attaching'];

/** ids of the Flexible IPs deleted through this API, per sandbox state (the real API remembers them) */
const deleted = new WeakMap<SandboxStateStore, Set<string>>();
const deletedOf = (store: SandboxStateStore) => deleted.get(store) ?? deleted.set(store, new Set()).get(store)!;

/** What the real API answers for a resource it no longer has: as for one the token may not read. */
function permissionsDenied(res: Parameters<Route['handle']>[0]['res']): void {
  sendJson(res, 403, { type: 'permissions_denied', message: 'insufficient permissions', details: [{ action: 'read', resource: 'flexible_ips' }] });
}

function nextFipAddress(s: SandboxState): string {
  const used = new Set(s.fips.map((f) => f.ip_address.split('/')[0]));
  for (let i = 50; i < 250; i++) if (!used.has(`212.47.241.${i}`)) return `212.47.241.${i}`;
  return '212.47.242.10';
}

function fipIds(body: Record<string, unknown>): string[] {
  return Array.isArray(body.fips_ids) ? (body.fips_ids as unknown[]).filter((x): x is string => typeof x === 'string') : [];
}

/** Check every id exists and none is busy; answer the error and return null otherwise. */
function lookup(s: SandboxState, zone: string, ids: string[], res: Parameters<Route['handle']>[0]['res']): WireFlexibleIp[] | null {
  if (ids.length === 0) {
    invalidArgument(res, 'fips_ids', 'required', 'at least one flexible IP id is required');
    return null;
  }
  const out: WireFlexibleIp[] = [];
  for (const id of ids) {
    // a Flexible IP lives in one zone: the real API does not find it under another
    const f = s.fips.find((x) => x.id === id && x.zone === zone);
    if (!f) {
      notFound(res, 'flexible_ip', id);
      return null;
    }
    if (TRANSIENT.includes(f.status)) {
      transientState(res, 'flexible_ip', f.id, f.status);
      return null;
    }
    out.push(f);
  }
  return out;
}

export const fipRoutes: Route[] = [
  {
    method: 'GET',
    path: new RegExp(`^${Z}/fips$`),
    handle({ res, query, store, params }) {
      const s = store.get();
      const servers = multi(query, 'server_ids');
      const statuses = multi(query, 'status');
      const tags = multi(query, 'tags');
      const project = query.get('project_id');
      const items = order(
        s.fips.filter(
          (f) =>
            f.zone === params[0] &&
            (servers.length === 0 || (f.server_id !== null && servers.includes(f.server_id))) &&
            (statuses.length === 0 || statuses.includes(f.status)) &&
            (!project || f.project_id === project) &&
            tags.every((t) => f.tags.includes(t)),
        ),
        query.get('order_by'),
      );
      const { page, total } = paginate(items, query);
      sendJson(res, 200, { total_count: total, flexible_ips: page });
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^${Z}/fips/([0-9a-f-]{36})$`),
    handle({ res, store, params }) {
      const f = store.get().fips.find((x) => x.id === params[1] && x.zone === params[0]);
      if (!f) return deletedOf(store).has(params[1]) ? permissionsDenied(res) : notFound(res, 'flexible_ip', params[1]);
      sendJson(res, 200, f);
    },
  },
  {
    method: 'POST',
    path: new RegExp(`^${Z}/fips$`),
    handle({ res, store, params, body }) {
      const serverId = typeof body.server_id === 'string' ? body.server_id : null;
      if (serverId && !store.get().servers.some((x) => x.id === serverId)) return notFound(res, 'baremetal_server', serverId);
      const fip = store.update((s) => {
        const f = makeFip({
          ip: nextFipAddress(s),
          description: typeof body.description === 'string' ? body.description : '',
          tags: Array.isArray(body.tags) ? (body.tags as string[]) : [],
          projectId: typeof body.project_id === 'string' ? body.project_id : s.projectId,
          organizationId: s.organizationId,
          zone: params[0],
          serverId,
          createdAt: store.now(),
        });
        if (serverId) {
          f.status = 'updating';
          s.fipBusyUntil[f.id] = store.now() + FIP_TRANSIENT_MS;
        }
        s.fips.push(f);
        return f;
      });
      sendJson(res, 200, fip);
    },
  },
  {
    method: 'PATCH',
    path: new RegExp(`^${Z}/fips/([0-9a-f-]{36})$`),
    handle({ res, store, params, body }) {
      if (!store.get().fips.some((x) => x.id === params[1] && x.zone === params[0])) return notFound(res, 'flexible_ip', params[1]);
      const f = store.update((s) => {
        const x = s.fips.find((y) => y.id === params[1])!;
        if (typeof body.description === 'string') x.description = body.description;
        if (Array.isArray(body.tags)) x.tags = body.tags as string[];
        if (typeof body.reverse === 'string') x.reverse = body.reverse;
        x.updated_at = nowIso(store.now());
        return x;
      });
      sendJson(res, 200, f);
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`^${Z}/fips/([0-9a-f-]{36})$`),
    handle({ res, store, params }) {
      const f = store.get().fips.find((x) => x.id === params[1] && x.zone === params[0]);
      if (!f) return notFound(res, 'flexible_ip', params[1]);
      if (TRANSIENT.includes(f.status)) return transientState(res, 'flexible_ip', f.id, f.status);
      store.update((s) => {
        s.fips = s.fips.filter((x) => x.id !== params[1]);
        delete s.fipBusyUntil[params[1]];
      });
      deletedOf(store).add(params[1]);
      sendNoContent(res);
    },
  },
  {
    method: 'POST',
    path: new RegExp(`^${Z}/fips/attach$`),
    handle({ res, store, body, params }) {
      const serverId = typeof body.server_id === 'string' ? body.server_id : '';
      if (!serverId) return invalidArgument(res, 'server_id', 'required', 'server_id is required');
      const s = store.get();
      if (!s.servers.some((x) => x.id === serverId)) return notFound(res, 'baremetal_server', serverId);
      const found = lookup(s, params[0], fipIds(body), res);
      if (!found) return;
      const out = store.update((st) => moveFips(st, found.map((f) => f.id), serverId, store.now()));
      sendJson(res, 200, { total_count: out.length, flexible_ips: out });
    },
  },
  {
    method: 'POST',
    path: new RegExp(`^${Z}/fips/detach$`),
    handle({ res, store, body, params }) {
      const found = lookup(store.get(), params[0], fipIds(body), res);
      if (!found) return;
      const out = store.update((st) => moveFips(st, found.map((f) => f.id), null, store.now()));
      sendJson(res, 200, { total_count: out.length, flexible_ips: out });
    },
  },
  {
    method: 'POST',
    path: new RegExp(`^${Z}/fips/([0-9a-f-]{36})/mac$`),
    handle({ res, store, params, body }) {
      const f = store.get().fips.find((x) => x.id === params[1] && x.zone === params[0]);
      if (!f) return notFound(res, 'flexible_ip', params[1]);
      if (TRANSIENT.includes(f.status)) return transientState(res, 'flexible_ip', f.id, f.status);
      const type = typeof body.mac_type === 'string' ? body.mac_type : 'kvm';
      const out = store.update((s) => {
        const x = s.fips.find((y) => y.id === params[1])!;
        // the MAC address is its own object with its own created_at/updated_at: the flexible IP
        // itself is unchanged (so the flexible IP's state, written before, still reads the same)
        x.mac_address = makeMac(x.zone, store.now(), type);
        return x;
      });
      sendJson(res, 200, out);
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`^${Z}/fips/([0-9a-f-]{36})/mac$`),
    handle({ res, store, params }) {
      if (!store.get().fips.some((x) => x.id === params[1] && x.zone === params[0])) return notFound(res, 'flexible_ip', params[1]);
      store.update((s) => {
        const x = s.fips.find((y) => y.id === params[1])!;
        x.mac_address = null;
      });
      sendNoContent(res);
    },
  },
];

function moveFips(s: SandboxState, ids: string[], serverId: string | null, now: number): WireFlexibleIp[] {
  return ids.map((id) => {
    const f = s.fips.find((x) => x.id === id)!;
    f.server_id = serverId;
    f.status = serverId ? 'updating' : 'detaching';
    f.updated_at = nowIso(now);
    s.fipBusyUntil[id] = now + FIP_TRANSIENT_MS;
    return f;
  });
}
