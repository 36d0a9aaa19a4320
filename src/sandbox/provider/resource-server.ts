// scaleway_baremetal_server: the real provider's schema for what terraform/ uses, and its
// create sequence (create, wait for the install, add options, set private networks, wait).
import { expandId, getOrNull, localityOf, newId, projectOf, retryTransient, s, strs, waitFor, zoneOf } from './helpers.js';
import { ScwHttpError } from './scw-http.js';
import { bool, computed, ID, orgAttr, projectAttr, str, strList, zoneAttr, type Block, type CtyType } from './schema.js';
import { PartialCreateError, ProviderError, type ProviderCtx, type ResourceImpl } from './types.js';
import type { Obj } from './values.js';

type Wire = Record<string, unknown>;
const IP: CtyType = ['list', ['object', { id: 'string', version: 'string', address: 'string', reverse: 'string' }]];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const serverSchema: Block = {
  attributes: {
    id: ID,
    name: str({ optional: true, computed: true }),
    hostname: str({ optional: true }),
    offer: str({ required: true }),
    offer_id: computed(),
    offer_name: computed(),
    os: str({ optional: true }),
    os_name: computed(),
    ssh_key_ids: strList({ optional: true }),
    user: str({ optional: true, computed: true }),
    password: str({ optional: true, sensitive: true }),
    service_user: str({ optional: true, computed: true }),
    service_password: str({ optional: true, sensitive: true }),
    reinstall_on_config_changes: bool({ optional: true, default: false }),
    install_config_afterward: bool({ optional: true, default: false }),
    description: str({ optional: true }),
    protected: bool({ optional: true, default: false }),
    tags: strList({ optional: true, computed: true }),
    zone: zoneAttr(),
    organization_id: orgAttr(),
    project_id: projectAttr(),
    ips: computed(IP),
    ipv4: computed(IP),
    ipv6: computed(IP),
    domain: computed(),
    partitioning: str({ optional: true }),
    cloud_init: str({ optional: true, computed: true }),
  },
  blocks: {
    options: {
      nesting: 'set',
      block: { attributes: { id: str({ required: true }), expires_at: str({ optional: true, computed: true }), name: computed() } },
    },
    private_network: {
      nesting: 'set',
      block: {
        attributes: {
          id: str({ required: true }),
          mapping_id: computed(),
          ipam_ip_ids: strList({ optional: true, computed: true }),
          vlan: computed('number'),
          status: computed(),
          created_at: computed(),
          updated_at: computed(),
        },
      },
    },
  },
};

const serverPath = (zone: string, id: string) => `/baremetal/v1/zones/${zone}/servers/${id}`;
const regionOfZone = (zone: string) => zone.replace(/-\d+$/, '');

async function readServer(ctx: ProviderCtx, zone: string, id: string, prior: Obj): Promise<Obj | null> {
  const srv = await getOrNull<Wire>(ctx, serverPath(zone, id));
  if (!srv) return null;
  const offer = await ctx.api.call<Wire>('GET', `/baremetal/v1/zones/${zone}/offers/${String(srv.offer_id)}`);
  const install = srv.install as Wire | null;
  const os = install ? await ctx.api.call<Wire>('GET', `/baremetal/v1/zones/${zone}/os/${String(install.os_id)}`) : null;
  const spns = await ctx.api.all<Wire>(`/baremetal/v3/zones/${zone}/server-private-networks?server_id=${id}`, 'server_private_networks');
  const region = regionOfZone(zone);
  const ips = ((srv.ips as Wire[]) ?? []).map((ip) => ({ id: String(ip.id), version: String(ip.version), address: String(ip.address), reverse: String(ip.reverse ?? '') }));
  return {
    ...prior,
    id: newId(zone, id),
    name: String(srv.name),
    zone,
    organization_id: String(srv.organization_id ?? ''),
    project_id: String(srv.project_id ?? ''),
    offer_id: newId(zone, String(offer.id)),
    offer_name: String(offer.name ?? ''),
    offer: newId(zone, String(offer.id)),
    tags: Array.isArray(srv.tags) ? (srv.tags as string[]) : [],
    domain: String(srv.domain ?? ''),
    ips,
    ipv4: ips.filter((ip) => ip.version === 'IPv4'),
    ipv6: ips.filter((ip) => ip.version === 'IPv6'),
    protected: Boolean(srv.protected),
    cloud_init: typeof srv.user_data === 'string' ? srv.user_data : '',
    ...(install && os
      ? { os: newId(zone, String(os.id)), os_name: String(os.name ?? ''), ssh_key_ids: strs(install.ssh_key_ids as string[]), user: String(install.user ?? ''), service_user: String(install.service_user ?? '') }
      : {}),
    description: String(srv.description ?? ''),
    options: ((srv.options as Wire[]) ?? []).map((o) => ({ id: newId(zone, String(o.id)), expires_at: o.expires_at ? String(o.expires_at) : '', name: String(o.name ?? '') })),
    private_network: spns.map((p) => ({
      id: newId(region, String(p.private_network_id)),
      mapping_id: String(p.id),
      ipam_ip_ids: ((p.ipam_ip_ids as string[]) ?? []).map((x) => newId(region, x)),
      vlan: Number(p.vlan ?? 0),
      status: String(p.status ?? ''),
      created_at: String(p.created_at ?? ''),
      updated_at: String(p.updated_at ?? ''),
    })),
  };
}

async function offerUuid(ctx: ProviderCtx, zone: string, offer: string): Promise<string> {
  const id = expandId(offer);
  if (UUID.test(id)) return id;
  const offers = await ctx.api.all<Wire>(`/baremetal/v1/zones/${zone}/offers`, 'offers');
  const o = offers.find((x) => x.name === offer);
  if (!o) throw new ProviderError(`scaleway-sdk-go: could not find offer with name ${offer}`);
  return String(o.id);
}

async function setPrivateNetworks(ctx: ProviderCtx, zone: string, id: string, pns: Obj[]): Promise<void> {
  const per = Object.fromEntries(pns.map((p) => [expandId(s(p.id)), strs(p.ipam_ip_ids).map(expandId)]));
  await retryTransient(ctx, () => ctx.api.call('PUT', `/baremetal/v3/zones/${zone}/servers/${id}/private-networks`, { per_private_network_ipam_ip_ids: per }));
  await waitFor(
    ctx,
    `server ${id} private networks`,
    () => ctx.api.all<Wire>(`/baremetal/v3/zones/${zone}/server-private-networks?server_id=${id}`, 'server_private_networks'),
    (list) => list.every((p) => p.status === 'attached'),
  );
}

export const baremetalServer: ResourceImpl = {
  schema: serverSchema,
  async create(ctx, p) {
    const zone = zoneOf(ctx, p);
    const offerId = await offerUuid(ctx, zone, s(p.offer));
    const install = p.install_config_afterward === true ? undefined : {
      os_id: expandId(s(p.os)),
      hostname: s(p.hostname),
      ssh_key_ids: strs(p.ssh_key_ids).map(expandId),
      user: s(p.user) || null,
      password: s(p.password) || null,
      service_user: s(p.service_user) || null,
      service_password: s(p.service_password) || null,
    };
    const srv = await ctx.api.call<Wire>('POST', `/baremetal/v1/zones/${zone}/servers`, {
      offer_id: offerId,
      project_id: projectOf(ctx, p),
      name: s(p.name) || `bm-${Date.now().toString(36)}`,
      description: s(p.description),
      tags: strs(p.tags),
      protected: p.protected === true,
      install,
    });
    const id = String(srv.id);
    // the real provider sets the id before it waits: a halted or failed wait leaves it tainted
    try {
      // the SDK's install waiter ends on any terminal install status (completed, error, unknown):
      // a failed install is no apply error, the server is ready with install status error
      await waitFor(ctx, `server ${id} to be installed`, () => ctx.api.call<Wire>('GET', serverPath(zone, id)), (x) =>
        install ? x.status === 'ready' && ['completed', 'error', 'unknown'].includes(String((x.install as Wire | null)?.status)) : x.status !== 'delivering',
      );
      for (const o of (p.options as Obj[] | null) ?? []) {
        await ctx.api.call('POST', `${serverPath(zone, id)}/options/${expandId(s(o.id))}`, { expires_at: s(o.expires_at) || undefined });
      }
      const pns = (p.private_network as Obj[] | null) ?? [];
      if (pns.length) await setPrivateNetworks(ctx, zone, id, pns);
    } catch (err) {
      throw new PartialCreateError(err, { ...p, id: newId(zone, id), name: String(srv.name ?? s(p.name)) });
    }
    return (await readServer(ctx, zone, id, p))!;
  },
  async read(ctx, st) {
    return readServer(ctx, localityOf(s(st.id), ctx.zone), expandId(s(st.id)), st);
  },
  async update(ctx, prior, p) {
    const zone = localityOf(s(p.id), ctx.zone);
    const id = expandId(s(p.id));
    await ctx.api.call('PATCH', serverPath(zone, id), { name: s(p.name), description: s(p.description), tags: strs(p.tags), protected: p.protected === true });
    const want = new Set(((p.options as Obj[] | null) ?? []).map((o) => expandId(s(o.id))));
    const had = new Set(((prior.options as Obj[] | null) ?? []).map((o) => expandId(s(o.id))));
    for (const o of want) if (!had.has(o)) await ctx.api.call('POST', `${serverPath(zone, id)}/options/${o}`, {});
    for (const o of had) if (!want.has(o)) await ctx.api.call('DELETE', `${serverPath(zone, id)}/options/${o}`);
    await setPrivateNetworks(ctx, zone, id, (p.private_network as Obj[] | null) ?? []);
    return (await readServer(ctx, zone, id, p))!;
  },
  async delete(ctx, st) {
    const zone = localityOf(s(st.id), ctx.zone);
    const id = expandId(s(st.id));
    try {
      await retryTransient(ctx, () => ctx.api.call('DELETE', serverPath(zone, id)));
    } catch (e) {
      if (e instanceof ScwHttpError && e.status === 404) return;
      throw e;
    }
    await waitFor(ctx, `server ${id} to be deleted`, () => getOrNull<Wire>(ctx, serverPath(zone, id)), (x) => x === null);
  },
};
