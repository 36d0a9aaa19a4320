// Elastic Metal v1 server routes: list (paginated, filtered), get, metrics, create, delete.
import { hostIndexFor, addressesOf, tagValue } from '../state-default.js';
import { consumeFault, faultNote } from '../state-faults.js';
import { makeServer, nowIso } from '../wire.js';
import { invalidArgument, multi, notFound, order, paginate, sendJson, transientState, type Route } from './http.js';

const Z = '/baremetal/v1/zones/([a-z0-9-]+)';

export const serverRoutes: Route[] = [
  {
    method: 'GET',
    path: new RegExp(`^${Z}/servers$`),
    handle({ res, query, store, params }) {
      const s = store.get();
      const statuses = multi(query, 'status');
      const tags = multi(query, 'tags');
      const name = query.get('name');
      const project = query.get('project_id');
      const org = query.get('organization_id');
      const items = order(
        s.servers.filter(
          (x) =>
            x.zone === params[0] &&
            (!name || x.name.includes(name)) &&
            (!project || x.project_id === project) &&
            (!org || x.organization_id === org) &&
            (statuses.length === 0 || statuses.includes(x.status)) &&
            tags.every((t) => x.tags.includes(t)),
        ),
        query.get('order_by'),
      );
      const { page, total } = paginate(items, query);
      sendJson(res, 200, { total_count: total, servers: page });
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^${Z}/servers/([^/]+)$`),
    handle({ res, store, params }) {
      const server = store.get().servers.find((x) => x.id === params[1] && x.zone === params[0]);
      if (!server) return notFound(res, 'baremetal_server', params[1]);
      // `fail plan`: a plan refreshes every server it manages by id; the next such read is refused
      if (store.get().faults?.includes('plan') && store.update((s) => consumeFault(s, 'plan'))) {
        return sendJson(res, 403, {
          type: 'permissions_denied',
          message: `insufficient permissions ${faultNote('plan')}`,
          details: [{ resource: 'baremetal_server', action: 'read' }],
        });
      }
      sendJson(res, 200, server);
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^${Z}/servers/([^/]+)/metrics$`),
    handle({ res, store, params }) {
      const server = store.get().servers.find((x) => x.id === params[1]);
      if (!server) return notFound(res, 'baremetal_server', params[1]);
      const up = server.ping_status === 'ping_status_up' ? 1 : 0;
      const now = Date.now();
      const points = [3, 2, 1, 0].map((i) => [new Date(now - i * 60_000).toISOString(), up]);
      sendJson(res, 200, { pings: { name: 'ping', points, metadata: {} } });
    },
  },
  {
    method: 'POST',
    path: new RegExp(`^${Z}/servers$`),
    handle({ res, store, params, body }) {
      const name = typeof body.name === 'string' ? body.name : '';
      if (!name) return invalidArgument(res, 'name', 'required', 'name is required');
      if (typeof body.offer_id !== 'string' || !body.offer_id) {
        return invalidArgument(res, 'offer_id', 'required', 'offer_id is required');
      }
      // `fail apply`: creating the server is refused as Elastic Metal refuses it when out of quota
      if (store.get().faults?.includes('apply') && store.update((s) => consumeFault(s, 'apply'))) {
        return sendJson(res, 403, {
          type: 'quotas_exceeded',
          message: `quota(s) exceeded for this resource ${faultNote('apply')}`,
          details: [{ resource: 'baremetal_servers_type_EM_A610R_NVME', quota: 4, current: 4 }],
        });
      }
      const server = store.update((s) => {
        const tags = Array.isArray(body.tags) ? (body.tags as string[]) : [];
        const hostName = tagValue(tags, 'host') ?? name;
        const n = hostIndexFor(s, hostName);
        const now = store.now();
        const srv = makeServer({
          name,
          tags,
          description: typeof body.description === 'string' ? body.description : '',
          projectId: typeof body.project_id === 'string' ? body.project_id : s.projectId,
          organizationId: s.organizationId,
          zone: params[0],
          publicIpv4: addressesOf(n).publicIp,
          status: 'delivering',
          installStatus: 'to_install',
          pingStatus: 'ping_status_unknown',
          createdAt: now,
        });
        if (!body.install) srv.install = null;
        s.servers.push(srv);
        s.transitions.push({ serverId: srv.id, kind: 'create', startedAt: now, ...(consumeFault(s, 'server-ready') ? { failInstall: true } : {}) });
        return srv;
      });
      sendJson(res, 200, server);
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`^${Z}/servers/([^/]+)$`),
    handle({ res, store, params }) {
      const s = store.get();
      const server = s.servers.find((x) => x.id === params[1] && x.zone === params[0]);
      if (!server) return notFound(res, 'baremetal_server', params[1]);
      if (server.status === 'deleting') return transientState(res, 'baremetal_server', server.id, server.status);
      // `fail apply` on a removal: deleting the server is refused (the key lacks the permission)
      if (store.get().faults?.includes('apply') && store.update((st) => consumeFault(st, 'apply'))) {
        return sendJson(res, 403, {
          type: 'permissions_denied',
          message: `insufficient permissions ${faultNote('apply')}`,
          details: [{ resource: 'baremetal_server', action: 'delete' }],
        });
      }
      const out = store.update((st) => {
        const srv = st.servers.find((x) => x.id === params[1])!;
        srv.status = 'deleting';
        srv.updated_at = nowIso(store.now());
        st.transitions = st.transitions.filter((t) => t.serverId !== srv.id);
        st.transitions.push({ serverId: srv.id, kind: 'delete', startedAt: store.now() });
        return srv;
      });
      sendJson(res, 200, out);
    },
  },
];
