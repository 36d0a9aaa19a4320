// scaleway_flexible_ip and scaleway_flexible_ip_mac_address (Flexible IP v1alpha1): create, wait
// for the transient state (updating/attaching/detaching) to end, read back.
import { deleteIgnoringGone, expandId, getOrNull, localityOf, newId, projectOf, retryTransient, s, strs, waitFor, zoneOf } from './helpers.js';
import { bool, computed, ID, orgAttr, projectAttr, str, strList, zoneAttr, type Block } from './schema.js';
import { ProviderError, type ProviderCtx, type ResourceImpl } from './types.js';
import type { Obj } from './values.js';

type Wire = Record<string, unknown>;
const TRANSIENT = ['updating', 'attaching', 'detaching'];
const fipPath = (id: string, fallback: string) => `/flexible-ip/v1alpha1/zones/${localityOf(id, fallback)}/fips/${expandId(id)}`;

const fipSchema: Block = {
  attributes: {
    id: ID,
    description: str({ optional: true }),
    is_ipv6: bool({ optional: true, forceNew: true, default: false }),
    reverse: str({ optional: true, computed: true }),
    server_id: str({ optional: true }),
    tags: strList({ optional: true }),
    zone: zoneAttr(),
    organization_id: orgAttr(),
    project_id: projectAttr(),
    ip_address: computed(),
    status: computed(),
    created_at: computed(),
    updated_at: computed(),
  },
};

const fipState = (f: Wire): Obj => ({
  id: newId(String(f.zone), String(f.id)),
  description: String(f.description ?? ''),
  is_ipv6: String(f.ip_address ?? '').includes(':'),
  reverse: String(f.reverse ?? ''),
  server_id: f.server_id ? newId(String(f.zone), String(f.server_id)) : '',
  tags: Array.isArray(f.tags) ? (f.tags as string[]) : [],
  zone: String(f.zone ?? ''),
  organization_id: String(f.organization_id ?? ''),
  project_id: String(f.project_id ?? ''),
  ip_address: String(f.ip_address ?? ''),
  status: String(f.status ?? ''),
  created_at: String(f.created_at ?? ''),
  updated_at: String(f.updated_at ?? ''),
});

async function waitFip(ctx: ProviderCtx, path: string): Promise<Wire> {
  return waitFor(ctx, `flexible IP ${path.split('/').pop()}`, () => ctx.api.call<Wire>('GET', path), (f) => !TRANSIENT.includes(String(f.status)));
}

export const flexibleIp: ResourceImpl = {
  schema: fipSchema,
  async create(ctx, p) {
    const zone = zoneOf(ctx, p);
    const f = await ctx.api.call<Wire>('POST', `/flexible-ip/v1alpha1/zones/${zone}/fips`, {
      project_id: projectOf(ctx, p),
      description: s(p.description),
      tags: strs(p.tags),
      server_id: s(p.server_id) ? expandId(s(p.server_id)) : undefined,
      reverse: s(p.reverse) || undefined,
      is_ipv6: p.is_ipv6 === true,
    });
    return fipState(await waitFip(ctx, fipPath(String(f.id), zone)));
  },
  async read(ctx, st) {
    const f = await getOrNull<Wire>(ctx, fipPath(s(st.id), ctx.zone));
    return f ? fipState(f) : null;
  },
  async update(ctx, prior, p) {
    const path = fipPath(s(p.id), ctx.zone);
    const zone = localityOf(s(p.id), ctx.zone);
    await waitFip(ctx, path);
    await retryTransient(ctx, () => ctx.api.call('PATCH', path, { description: s(p.description), tags: strs(p.tags), reverse: s(p.reverse) || undefined }));
    if (s(prior.server_id) !== s(p.server_id)) {
      const id = expandId(s(p.id));
      if (s(p.server_id)) await retryTransient(ctx, () => ctx.api.call('POST', `/flexible-ip/v1alpha1/zones/${zone}/fips/attach`, { fips_ids: [id], server_id: expandId(s(p.server_id)) }));
      else await retryTransient(ctx, () => ctx.api.call('POST', `/flexible-ip/v1alpha1/zones/${zone}/fips/detach`, { fips_ids: [id] }));
    }
    return fipState(await waitFip(ctx, path));
  },
  async delete(ctx, st) {
    await deleteIgnoringGone(ctx, fipPath(s(st.id), ctx.zone));
  },
};

const macSchema: Block = {
  attributes: {
    id: ID,
    flexible_ip_id: str({ required: true }),
    type: str({ required: true }),
    flexible_ip_ids_to_duplicate: { type: ['set', 'string'], optional: true },
    address: computed(),
    status: computed(),
    created_at: computed(),
    updated_at: computed(),
    zone: zoneAttr(),
  },
};

function macState(f: Wire, prior: Obj): Obj {
  const m = f.mac_address as Wire | null;
  if (!m) throw new ProviderError(`flexible IP ${String(f.id)} has no MAC address`);
  return {
    id: newId(String(f.zone), String(f.id)),
    flexible_ip_id: s(prior.flexible_ip_id) || newId(String(f.zone), String(f.id)),
    type: String(m.mac_type ?? ''),
    flexible_ip_ids_to_duplicate: prior.flexible_ip_ids_to_duplicate ?? null,
    address: String(m.mac_address ?? ''),
    status: String(m.status ?? ''),
    created_at: String(m.created_at ?? ''),
    updated_at: String(m.updated_at ?? ''),
    zone: String(f.zone ?? ''),
  };
}

export const flexibleIpMac: ResourceImpl = {
  schema: macSchema,
  async create(ctx, p) {
    const path = fipPath(s(p.flexible_ip_id), zoneOf(ctx, p));
    await waitFip(ctx, path);
    await retryTransient(ctx, () => ctx.api.call('POST', `${path}/mac`, { mac_type: s(p.type) }));
    return macState(await waitFip(ctx, path), p);
  },
  async read(ctx, st) {
    const f = await getOrNull<Wire>(ctx, fipPath(s(st.id), ctx.zone));
    if (!f || !f.mac_address) return null;
    return macState(f, st);
  },
  async update(ctx, prior, p) {
    if (s(prior.type) !== s(p.type) || s(prior.flexible_ip_id) !== s(p.flexible_ip_id)) {
      await this.delete(ctx, prior);
      return this.create(ctx, p);
    }
    return (await this.read(ctx, p)) ?? p;
  },
  async delete(ctx, st) {
    await deleteIgnoringGone(ctx, `${fipPath(s(st.id), ctx.zone)}/mac`);
  },
};
