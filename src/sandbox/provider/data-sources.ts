// Data sources scaleway_baremetal_offer, _option and _os: a lookup by name (or id) in the zone's
// Elastic Metal catalogue, with the real provider's errors when nothing or several match.
import { expandId, localityOf, newId, s } from './helpers.js';
import { bool, computed, ID, str, type Block } from './schema.js';
import { ProviderError, type DataSourceImpl, type ProviderCtx } from './types.js';
import type { Obj } from './values.js';

type Wire = Record<string, unknown>;
const zoneAttr = () => str({ optional: true, computed: true });

async function list(ctx: ProviderCtx, zone: string, what: 'offers' | 'options' | 'os', query = ''): Promise<Wire[]> {
  return ctx.api.all<Wire>(`/baremetal/v1/zones/${zone}/${what}${query}`, what);
}

function one(matches: Wire[], none: string, many: string): Wire {
  if (matches.length === 0) throw new ProviderError(none);
  if (matches.length > 1) throw new ProviderError(many.replace('%d', String(matches.length)));
  return matches[0];
}

const offerSchema: Block = {
  attributes: {
    id: ID,
    name: str({ optional: true, computed: true }),
    subscription_period: str({ optional: true, computed: true }),
    offer_id: str({ optional: true, computed: true }),
    include_disabled: bool({ optional: true }),
    zone: zoneAttr(),
    bandwidth: computed('number'),
    commercial_range: computed(),
    cpu: computed(['list', ['object', { name: 'string', core_count: 'number', frequency: 'number', thread_count: 'number' }]]),
    disk: computed(['list', ['object', { type: 'string', capacity: 'number' }]]),
    memory: computed(['list', ['object', { type: 'string', capacity: 'number', frequency: 'number', is_ecc: 'bool' }]]),
    stock: computed(),
  },
};

export const baremetalOffer: DataSourceImpl = {
  schema: offerSchema,
  async read(ctx, c) {
    const zone = s(c.offer_id) ? localityOf(s(c.offer_id), s(c.zone) || ctx.zone) : s(c.zone) || ctx.zone;
    const period = s(c.subscription_period);
    const offers = await list(ctx, zone, 'offers', period ? `?subscription_period=${period}` : '');
    const name = s(c.name);
    const o = s(c.offer_id)
      ? one(offers.filter((x) => x.id === expandId(s(c.offer_id))), `offer ${s(c.offer_id)} not found in zone ${zone}`, '')
      : one(
          offers.filter((x) => x.name === name && (x.enable !== false || c.include_disabled === true)),
          period ? `no offer found with the name ${name} and ${period} subscription period in zone ${zone}` : `no offer found with the name ${name} in zone ${zone}`,
          `%d offers found with the same name ${name} in zone ${zone}`,
        );
    const id = newId(zone, String(o.id));
    return {
      id,
      offer_id: id,
      zone,
      name: String(o.name),
      subscription_period: String(o.subscription_period ?? ''),
      include_disabled: c.include_disabled ?? null,
      bandwidth: Number(o.bandwidth ?? 0),
      commercial_range: String(o.commercial_range ?? ''),
      cpu: ((o.cpus as Wire[]) ?? []).map((x) => ({ name: String(x.name ?? ''), core_count: Number(x.core_count ?? 0), frequency: Number(x.frequency ?? 0), thread_count: Number(x.thread_count ?? 0) })),
      disk: ((o.disks as Wire[]) ?? []).map((x) => ({ type: String(x.type ?? ''), capacity: Number(x.capacity ?? 0) })),
      memory: ((o.memories as Wire[]) ?? []).map((x) => ({ type: String(x.type ?? ''), capacity: Number(x.capacity ?? 0), frequency: Number(x.frequency ?? 0), is_ecc: Boolean(x.is_ecc) })),
      stock: String(o.stock ?? ''),
    } satisfies Obj;
  },
};

export const baremetalOption: DataSourceImpl = {
  schema: {
    attributes: { id: ID, name: str({ optional: true, computed: true }), option_id: str({ optional: true, computed: true }), zone: zoneAttr(), manageable: computed('bool') },
  },
  async read(ctx, c) {
    const zone = s(c.zone) || ctx.zone;
    const options = await list(ctx, zone, 'options');
    const name = s(c.name);
    const o = s(c.option_id)
      ? one(options.filter((x) => x.id === expandId(s(c.option_id))), `option ${s(c.option_id)} not found in zone ${zone}`, '')
      : one(options.filter((x) => x.name === name), `no option found with the name ${name}`, `%d options found with the same name ${name}`);
    const id = newId(zone, String(o.id));
    return { id, option_id: id, zone, name: String(o.name), manageable: Boolean(o.manageable) };
  },
};

export const baremetalOs: DataSourceImpl = {
  schema: {
    attributes: { id: ID, name: str({ optional: true, computed: true }), version: str({ optional: true, computed: true }), os_id: str({ optional: true, computed: true }), zone: zoneAttr() },
  },
  async read(ctx, c) {
    const zone = s(c.zone) || ctx.zone;
    const all = await list(ctx, zone, 'os');
    const name = s(c.name);
    const version = s(c.version);
    const o = s(c.os_id)
      ? one(all.filter((x) => x.id === expandId(s(c.os_id))), `os ${s(c.os_id)} not found in zone ${zone}`, '')
      : one(
          all.filter((x) => x.name === name && (!version || x.version === version)),
          `no os found with the name ${name}${version ? ` and version ${version}` : ''}`,
          `%d os found with the same name ${name}, please specify a version`,
        );
    const id = newId(zone, String(o.id));
    return { id, os_id: id, zone, name: String(o.name), version: String(o.version ?? '') };
  },
};
