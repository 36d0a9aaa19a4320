// Elastic Metal catalogue routes (offers, OS images, options; list and get) and a server's
// options (add, remove), as the Terraform provider's data sources and server resource call them.
import type { WireServer } from '../state-types.js';
import { nowIso, OFFER, OS_UBUNTU_2404 } from '../wire.js';
import { notFound, paginate, sendJson, type Route } from './http.js';

const Z = '/baremetal/v1/zones/([a-z0-9-]+)';
export const PRIVATE_NETWORK_OPTION = { id: 'cd4158d7-2d65-49be-8803-c4b8ab6f760c', name: 'Private Network', manageable: true };

const offers = (zone: string) => [
  {
    id: OFFER.id,
    name: OFFER.name,
    stock: 'available',
    bandwidth: 1_000_000_000,
    commercial_range: 'aluminium',
    subscription_period: 'hourly',
    enable: true,
    zone,
    cpus: [{ name: 'AMD Ryzen PRO 3600', core_count: 6, thread_count: 12, frequency: 3600 }],
    disks: [{ type: 'NVMe', capacity: 1_024_209_543_168 }, { type: 'NVMe', capacity: 1_024_209_543_168 }],
    memories: [{ type: 'DDR4', capacity: 68_719_476_736, frequency: 3200, is_ecc: true }],
    options: [{ id: PRIVATE_NETWORK_OPTION.id, name: PRIVATE_NETWORK_OPTION.name, manageable: true, enabled: false }],
  },
  {
    id: '1b6a3f0c-7b2e-4a19-9f3e-0c5d2f3c9a10',
    name: 'EM-B112X-SSD',
    stock: 'available',
    bandwidth: 1_000_000_000,
    commercial_range: 'beryllium',
    subscription_period: 'hourly',
    enable: true,
    zone,
    cpus: [{ name: 'Intel Xeon E5 1650', core_count: 6, thread_count: 12, frequency: 3500 }],
    disks: [{ type: 'SSD', capacity: 480_103_981_056 }],
    memories: [{ type: 'DDR4', capacity: 68_719_476_736, frequency: 2133, is_ecc: true }],
    options: [],
  },
];

const osList = (zone: string) => [
  { id: OS_UBUNTU_2404, name: 'Ubuntu', version: '24.04 LTS (Noble Numbat)', zone, logo_url: '', ssh: { editable: true, required: true }, user: { editable: true, required: false, default_value: 'ubuntu' }, enabled: true },
  { id: '96e5f0f2-d216-4de2-8a15-68730d877885', name: 'Ubuntu', version: '22.04 LTS (Jammy Jellyfish)', zone, logo_url: '', ssh: { editable: true, required: true }, user: { editable: true, required: false, default_value: 'ubuntu' }, enabled: true },
  { id: 'a7fd2d5e-0b37-4d5c-9f36-fe1e4f6bfa29', name: 'Debian', version: '12 (Bookworm)', zone, logo_url: '', ssh: { editable: true, required: true }, user: { editable: true, required: false, default_value: 'debian' }, enabled: true },
];

const optionList = () => [PRIVATE_NETWORK_OPTION, { id: '931df052-d713-4674-8b58-96a63244c8e2', name: 'Remote Access', manageable: true }];

function listRoute(what: 'offers' | 'os' | 'options', items: (zone: string) => Record<string, unknown>[]): Route[] {
  return [
    {
      method: 'GET',
      path: new RegExp(`^${Z}/${what}$`),
      handle({ res, query, params }) {
        const period = query.get('subscription_period');
        const name = query.get('name');
        const all = items(params[0]).filter((x) => (!period || x.subscription_period === period) && (!name || x.name === name));
        const { page, total } = paginate(all, query);
        sendJson(res, 200, { total_count: total, [what]: page });
      },
    },
    {
      method: 'GET',
      path: new RegExp(`^${Z}/${what}/([0-9a-f-]{36})$`),
      handle({ res, params }) {
        const x = items(params[0]).find((i) => i.id === params[1]);
        if (!x) return notFound(res, what === 'os' ? 'os' : what.slice(0, -1), params[1]);
        sendJson(res, 200, x);
      },
    },
  ];
}

function server(res: Parameters<Route['handle']>[0], id: string): WireServer | undefined {
  return res.store.get().servers.find((x) => x.id === id && x.zone === res.params[0]);
}

export const catalogRoutes: Route[] = [
  ...listRoute('offers', offers),
  ...listRoute('os', osList),
  ...listRoute('options', () => optionList()),
  {
    method: 'POST',
    path: new RegExp(`^${Z}/servers/([0-9a-f-]{36})/options/([0-9a-f-]{36})$`),
    handle(ctx) {
      const { res, params, store, body } = ctx;
      if (!server(ctx, params[1])) return notFound(res, 'baremetal_server', params[1]);
      const opt = optionList().find((o) => o.id === params[2]);
      if (!opt) return notFound(res, 'option', params[2]);
      const out = store.update((s) => {
        const srv = s.servers.find((x) => x.id === params[1])!;
        const options = (srv.options as { id: string }[]).filter((o) => o.id !== opt.id);
        options.push({ id: opt.id, name: opt.name, status: 'option_status_enabled', manageable: opt.manageable, expires_at: typeof body.expires_at === 'string' ? body.expires_at : null } as { id: string });
        srv.options = options;
        srv.updated_at = nowIso(store.now());
        return srv;
      });
      sendJson(res, 200, out);
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`^${Z}/servers/([0-9a-f-]{36})/options/([0-9a-f-]{36})$`),
    handle(ctx) {
      const { res, params, store } = ctx;
      if (!server(ctx, params[1])) return notFound(res, 'baremetal_server', params[1]);
      const out = store.update((s) => {
        const srv = s.servers.find((x) => x.id === params[1])!;
        srv.options = (srv.options as { id: string }[]).filter((o) => o.id !== params[2]);
        return srv;
      });
      sendJson(res, 200, out);
    },
  },
  {
    method: 'PATCH',
    path: new RegExp(`^${Z}/servers/([0-9a-f-]{36})$`),
    handle(ctx) {
      const { res, params, store, body } = ctx;
      if (!server(ctx, params[1])) return notFound(res, 'baremetal_server', params[1]);
      const out = store.update((s) => {
        const srv = s.servers.find((x) => x.id === params[1])!;
        if (typeof body.name === 'string' && body.name) srv.name = body.name;
        if (typeof body.description === 'string') srv.description = body.description;
        if (Array.isArray(body.tags)) srv.tags = body.tags as string[];
        if (typeof body.protected === 'boolean') srv.protected = body.protected;
        srv.updated_at = nowIso(store.now());
        return srv;
      });
      sendJson(res, 200, out);
    },
  },
];
