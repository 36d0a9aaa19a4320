// scaleway_iam_ssh_key, scaleway_vpc, scaleway_vpc_private_network and scaleway_ipam_ip: the
// real provider's schema for what terraform/ uses, and the same API calls.
import { deleteIgnoringGone, expandId, getOrNull, localityOf, newId, projectOf, regionOf, s, strs } from './helpers.js';
import { bool, computed, ID, orgAttr, projectAttr, regionAttr, str, strList, type Block } from './schema.js';
import type { ResourceImpl } from './types.js';
import type { Obj } from './values.js';

type Wire = Record<string, unknown>;
const tags = (w: Wire) => (Array.isArray(w.tags) ? (w.tags as string[]) : []);

// --- scaleway_iam_ssh_key ---------------------------------------------------------------------
const sshKeySchema: Block = {
  attributes: {
    id: ID,
    name: str({ optional: true, computed: true }),
    public_key: str({ required: true, forceNew: true }),
    fingerprint: computed(),
    created_at: computed(),
    updated_at: computed(),
    organization_id: orgAttr(),
    project_id: projectAttr(),
    disabled: bool({ optional: true, default: false }),
  },
};

const sshKeyState = (k: Wire): Obj => ({
  id: String(k.id),
  name: String(k.name ?? ''),
  public_key: String(k.public_key ?? ''),
  fingerprint: String(k.fingerprint ?? ''),
  created_at: String(k.created_at ?? ''),
  updated_at: String(k.updated_at ?? ''),
  organization_id: String(k.organization_id ?? ''),
  project_id: String(k.project_id ?? ''),
  disabled: Boolean(k.disabled),
});

export const iamSshKey: ResourceImpl = {
  schema: sshKeySchema,
  async create(ctx, p) {
    const k = await ctx.api.call<Wire>('POST', '/iam/v1alpha1/ssh-keys', { name: s(p.name) || `tf-ssh-key-${Date.now()}`, public_key: s(p.public_key), project_id: projectOf(ctx, p) });
    return sshKeyState(k);
  },
  async read(ctx, st) {
    const k = await getOrNull<Wire>(ctx, `/iam/v1alpha1/ssh-keys/${expandId(s(st.id))}`);
    return k ? sshKeyState(k) : null;
  },
  async update(ctx, _prior, p) {
    return sshKeyState(await ctx.api.call<Wire>('PATCH', `/iam/v1alpha1/ssh-keys/${expandId(s(p.id))}`, { name: s(p.name), disabled: Boolean(p.disabled) }));
  },
  async delete(ctx, st) {
    await deleteIgnoringGone(ctx, `/iam/v1alpha1/ssh-keys/${expandId(s(st.id))}`);
  },
};

// --- scaleway_vpc -----------------------------------------------------------------------------
const vpcSchema: Block = {
  attributes: {
    id: ID,
    name: str({ optional: true, computed: true }),
    tags: strList({ optional: true }),
    enable_routing: bool({ optional: true, computed: true }),
    enable_custom_routes_propagation: bool({ optional: true, computed: true }),
    project_id: projectAttr(),
    region: regionAttr(),
    organization_id: orgAttr(),
    is_default: computed('bool'),
    created_at: computed(),
    updated_at: computed(),
  },
};

const vpcState = (v: Wire): Obj => ({
  id: newId(String(v.region), String(v.id)),
  name: String(v.name ?? ''),
  tags: tags(v),
  enable_routing: Boolean(v.routing_enabled),
  enable_custom_routes_propagation: Boolean(v.custom_routes_propagation_enabled),
  project_id: String(v.project_id ?? ''),
  region: String(v.region ?? ''),
  organization_id: String(v.organization_id ?? ''),
  is_default: Boolean(v.is_default),
  created_at: String(v.created_at ?? ''),
  updated_at: String(v.updated_at ?? ''),
});

const vpcPath = (id: string, fallback: string) => `/vpc/v2/regions/${localityOf(id, fallback)}/vpcs/${expandId(id)}`;

export const vpc: ResourceImpl = {
  schema: vpcSchema,
  async create(ctx, p) {
    const region = regionOf(ctx, p);
    const v = await ctx.api.call<Wire>('POST', `/vpc/v2/regions/${region}/vpcs`, { name: s(p.name) || 'tf-vpc', project_id: projectOf(ctx, p), tags: strs(p.tags), enable_routing: p.enable_routing === true });
    return vpcState(v);
  },
  async read(ctx, st) {
    const v = await getOrNull<Wire>(ctx, vpcPath(s(st.id), ctx.region));
    return v ? vpcState(v) : null;
  },
  async update(ctx, prior, p) {
    const path = vpcPath(s(p.id), ctx.region);
    if (p.enable_routing === true && prior.enable_routing !== true) await ctx.api.call('POST', `${path}/enable-routing`, {});
    return vpcState(await ctx.api.call<Wire>('PATCH', path, { name: s(p.name), tags: strs(p.tags) }));
  },
  async delete(ctx, st) {
    await deleteIgnoringGone(ctx, vpcPath(s(st.id), ctx.region));
  },
};

// --- scaleway_vpc_private_network ---------------------------------------------------------------
const subnetBlock: Block = {
  attributes: {
    subnet: str({ optional: true, computed: true, forceNew: true }),
    id: computed(),
    created_at: computed(),
    updated_at: computed(),
    address: computed(),
    subnet_mask: computed(),
    prefix_length: computed('number'),
  },
};

const pnSchema: Block = {
  attributes: {
    id: ID,
    name: str({ optional: true, computed: true }),
    tags: strList({ optional: true }),
    is_regional: bool({ optional: true, computed: true }),
    vpc_id: str({ optional: true, computed: true, forceNew: true }),
    enable_default_route_propagation: bool({ optional: true, computed: true }),
    project_id: projectAttr(),
    zone: str({ optional: true, computed: true }),
    region: regionAttr(),
    organization_id: orgAttr(),
    created_at: computed(),
    updated_at: computed(),
  },
  blocks: {
    ipv4_subnet: { nesting: 'list', block: subnetBlock, maxItems: 1, computed: true },
    ipv6_subnets: { nesting: 'set', block: subnetBlock, computed: true },
  },
};

function maskOf(prefix: number): string {
  const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((sh) => (m >>> sh) & 0xff).join('.');
}

const subnetState = (sn: Wire): Obj => {
  const [address, prefix] = String(sn.subnet).split('/');
  return {
    subnet: String(sn.subnet),
    id: String(sn.id ?? ''),
    created_at: String(sn.created_at ?? ''),
    updated_at: String(sn.updated_at ?? ''),
    address,
    subnet_mask: String(sn.subnet).includes(':') ? '' : maskOf(Number(prefix)),
    prefix_length: Number(prefix),
  };
};

const pnState = (pn: Wire): Obj => {
  const subnets = (pn.subnets as Wire[] | undefined) ?? [];
  return {
    id: newId(String(pn.region), String(pn.id)),
    name: String(pn.name ?? ''),
    tags: tags(pn),
    is_regional: true,
    vpc_id: newId(String(pn.region), String(pn.vpc_id)),
    enable_default_route_propagation: Boolean(pn.default_route_propagation_enabled),
    project_id: String(pn.project_id ?? ''),
    zone: '',
    region: String(pn.region ?? ''),
    organization_id: String(pn.organization_id ?? ''),
    created_at: String(pn.created_at ?? ''),
    updated_at: String(pn.updated_at ?? ''),
    ipv4_subnet: subnets.filter((x) => !String(x.subnet).includes(':')).slice(0, 1).map(subnetState),
    ipv6_subnets: subnets.filter((x) => String(x.subnet).includes(':')).map(subnetState),
  };
};

const pnPath = (id: string, fallback: string) => `/vpc/v2/regions/${localityOf(id, fallback)}/private-networks/${expandId(id)}`;

export const privateNetwork: ResourceImpl = {
  schema: pnSchema,
  async create(ctx, p) {
    const region = regionOf(ctx, p);
    const v4 = ((p.ipv4_subnet as Obj[] | null) ?? []).map((x) => s(x.subnet)).filter(Boolean);
    const v6 = ((p.ipv6_subnets as Obj[] | null) ?? []).map((x) => s(x.subnet)).filter(Boolean);
    const pn = await ctx.api.call<Wire>('POST', `/vpc/v2/regions/${region}/private-networks`, {
      name: s(p.name) || 'tf-pn',
      project_id: projectOf(ctx, p),
      tags: strs(p.tags),
      subnets: [...v4, ...v6],
      vpc_id: s(p.vpc_id) ? expandId(s(p.vpc_id)) : undefined,
      default_route_propagation_enabled: p.enable_default_route_propagation === true,
    });
    return pnState(pn);
  },
  async read(ctx, st) {
    const pn = await getOrNull<Wire>(ctx, pnPath(s(st.id), ctx.region));
    return pn ? pnState(pn) : null;
  },
  async update(ctx, _prior, p) {
    return pnState(await ctx.api.call<Wire>('PATCH', pnPath(s(p.id), ctx.region), { name: s(p.name), tags: strs(p.tags), default_route_propagation_enabled: p.enable_default_route_propagation === true }));
  },
  async delete(ctx, st) {
    await deleteIgnoringGone(ctx, pnPath(s(st.id), ctx.region));
  },
};

// --- scaleway_ipam_ip -------------------------------------------------------------------------
const ipamSchema: Block = {
  attributes: {
    id: ID,
    address: str({ optional: true, computed: true, forceNew: true }),
    address_cidr: computed(),
    is_ipv6: bool({ optional: true, forceNew: true, default: false }),
    tags: strList({ optional: true }),
    project_id: projectAttr(),
    region: regionAttr(),
    resource: computed(['list', ['object', { type: 'string', id: 'string', mac_address: 'string', name: 'string' }]]),
    reverses: computed(['list', ['object', { hostname: 'string', address: 'string' }]]),
    created_at: computed(),
    updated_at: computed(),
    zone: computed(),
  },
  blocks: {
    source: { nesting: 'list', minItems: 1, block: { attributes: { zonal: str({ optional: true, computed: true }), private_network_id: str({ optional: true, computed: true }), subnet_id: str({ optional: true, computed: true }) } } },
    custom_resource: { nesting: 'list', maxItems: 1, block: { attributes: { mac_address: str({ required: true }), name: str({ optional: true }) } } },
  },
};

function ipamState(ip: Wire, prior: Obj | null): Obj {
  const res = (ip.resource as Wire | null) ?? null;
  const src = (ip.source as Wire | null) ?? {};
  const priorSource = ((prior?.source as Obj[] | null) ?? [])[0];
  // the configured private network id keeps its form (with or without the region)
  const pnId = priorSource && expandId(s(priorSource.private_network_id)) === src.private_network_id ? s(priorSource.private_network_id) : newId(String(ip.region), String(src.private_network_id ?? ''));
  return {
    id: newId(String(ip.region), String(ip.id)),
    address: String(ip.address ?? '').split('/')[0],
    address_cidr: String(ip.address ?? ''),
    is_ipv6: Boolean(ip.is_ipv6),
    tags: tags(ip),
    project_id: String(ip.project_id ?? ''),
    region: String(ip.region ?? ''),
    resource: res && res.id ? [{ type: String(res.type ?? ''), id: String(res.id ?? ''), mac_address: String(res.mac_address ?? ''), name: String(res.name ?? '') }] : [],
    reverses: ((ip.reverses as Wire[] | undefined) ?? []).map((r) => ({ hostname: String(r.hostname ?? ''), address: String(r.address ?? '') })),
    created_at: String(ip.created_at ?? ''),
    updated_at: String(ip.updated_at ?? ''),
    zone: ip.zone ? String(ip.zone) : '',
    source: [{ zonal: '', private_network_id: pnId, subnet_id: String(src.subnet_id ?? '') }],
    custom_resource: (prior?.custom_resource as Obj[] | null) ?? [],
  };
}

const ipamPath = (id: string, fallback: string) => `/ipam/v1/regions/${localityOf(id, fallback)}/ips/${expandId(id)}`;

export const ipamIp: ResourceImpl = {
  schema: ipamSchema,
  async create(ctx, p) {
    const region = regionOf(ctx, p);
    const src = ((p.source as Obj[] | null) ?? [])[0] ?? {};
    const ip = await ctx.api.call<Wire>('POST', `/ipam/v1/regions/${region}/ips`, {
      project_id: projectOf(ctx, p),
      source: { private_network_id: s(src.private_network_id) ? expandId(s(src.private_network_id)) : undefined, subnet_id: s(src.subnet_id) || undefined, zonal: s(src.zonal) || undefined },
      is_ipv6: p.is_ipv6 === true,
      address: typeof p.address === 'string' && p.address ? p.address : undefined,
      tags: strs(p.tags),
    });
    return ipamState(ip, p);
  },
  async read(ctx, st) {
    const ip = await getOrNull<Wire>(ctx, ipamPath(s(st.id), ctx.region));
    return ip ? ipamState(ip, st) : null;
  },
  async update(ctx, _prior, p) {
    return ipamState(await ctx.api.call<Wire>('PATCH', ipamPath(s(p.id), ctx.region), { tags: strs(p.tags) }), p);
  },
  async delete(ctx, st) {
    await deleteIgnoringGone(ctx, ipamPath(s(st.id), ctx.region));
  },
};
