// The sandbox's Terraform provider, piece by piece: msgpack values with unknowns, SDKv2-style
// planning (defaults, unknown computed values, ForceNew), the AutoMTLS certificate, and a schema
// that serves exactly what terraform/ uses, with every argument it sets.
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { makeServerCert } from '../../src/sandbox/provider/cert.js';
import { planChange } from '../../src/sandbox/provider/plan.js';
import { DATA_SOURCES, RESOURCES } from '../../src/sandbox/provider/service.js';
import { shape, type Block } from '../../src/sandbox/provider/schema.js';
import { fromMsgpack, toMsgpack, UNKNOWN } from '../../src/sandbox/provider/values.js';

const TF = resolve(import.meta.dirname, '../../terraform');

describe('DynamicValue msgpack', () => {
  it('reads unknowns (extension 0, and 12 as newer Terraform sends) and writes them back as extension 0', () => {
    const wire = Buffer.from([0x83, 0xa1, 0x61, 0xd4, 0x00, 0x00, 0xa1, 0x62, 0xd4, 0x0c, 0x01, 0xa1, 0x63, 0xc0]);
    expect(fromMsgpack(wire)).toEqual({ a: UNKNOWN, b: UNKNOWN, c: null });
    const back = toMsgpack({ id: UNKNOWN, tags: ['x'], n: 2 });
    expect(fromMsgpack(back)).toEqual({ id: UNKNOWN, tags: ['x'], n: 2 });
    expect([...back]).toContain(0xd4);
    expect(fromMsgpack(Buffer.from(encode(null)))).toBeNull();
  });
});

const block: Block = {
  attributes: {
    id: { type: 'string', optional: true, computed: true },
    name: { type: 'string', optional: true, computed: true },
    zone: { type: 'string', optional: true, computed: true, forceNew: true },
    protected: { type: 'bool', optional: true, default: false },
    tags: { type: ['list', 'string'], optional: true },
    address: { type: 'string', computed: true },
  },
  blocks: {
    private_network: { nesting: 'set', block: { attributes: { id: { type: 'string', required: true }, vlan: { type: 'number', computed: true } } } },
  },
};

describe('planning', () => {
  const config = shape(block, { name: 'a', zone: 'fr-par-2', tags: ['t'], private_network: [{ id: 'pn-1' }] });

  it('a new object: defaults filled in, computed values unknown, configured values kept', () => {
    const { planned, requiresReplace } = planChange(block, null, config, config);
    expect(planned).toEqual({ id: UNKNOWN, name: 'a', zone: 'fr-par-2', protected: false, tags: ['t'], address: UNKNOWN, private_network: [{ id: 'pn-1', vlan: UNKNOWN }] });
    expect(requiresReplace).toEqual([]);
  });

  const prior = { id: 'fr-par-2/x', name: 'a', zone: 'fr-par-2', protected: false, tags: ['t'], address: '10.0.0.2', private_network: [{ id: 'pn-1', vlan: 1891 }] };

  it('an in-place change keeps the computed values (set elements pair by their configured values)', () => {
    const cfg = { ...config, tags: ['t', 'u'] };
    const proposed = { ...cfg, id: prior.id, address: prior.address };
    const { planned, requiresReplace } = planChange(block, prior, proposed, cfg);
    expect(requiresReplace).toEqual([]);
    expect(planned).toEqual({ ...prior, tags: ['t', 'u'] });
  });

  it('a ForceNew change asks for a replacement and plans a new object', () => {
    const cfg = { ...config, zone: 'nl-ams-1' };
    const { planned, requiresReplace } = planChange(block, prior, { ...cfg, id: prior.id, address: prior.address }, cfg);
    expect(requiresReplace).toEqual([[{ attribute_name: 'zone' }]]);
    expect(planned.address).toBe(UNKNOWN);
    expect(planned.id).toBe(UNKNOWN);
  });
});

describe('AutoMTLS certificate', () => {
  it('is a self-signed CA for localhost that verifies with its own key', () => {
    const c = makeServerCert();
    const x = new X509Certificate(c.certPem);
    expect(x.ca).toBe(true);
    expect(x.subject).toMatch(/CN=localhost/);
    expect(x.subjectAltName).toBe('DNS:localhost');
    expect(x.verify(x.publicKey)).toBe(true);
    expect(Buffer.from(x.raw).equals(c.der)).toBe(true);
    expect(x.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
  });
});

describe('the schema serves terraform/', () => {
  type Hcl = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const META = new Set(['for_each', 'count', 'lifecycle', 'depends_on', 'provider']);

  async function used(): Promise<{ resource: Record<string, Hcl[]>; data: Record<string, Hcl[]> }> {
    const out = { resource: {} as Record<string, Hcl[]>, data: {} as Record<string, Hcl[]> };
    for (const f of readdirSync(TF).filter((n) => n.endsWith('.tf'))) {
      const doc = (await parse(f, readFileSync(join(TF, f), 'utf8'))) as Hcl;
      for (const kind of ['resource', 'data'] as const) {
        for (const [type, byName] of Object.entries((doc[kind] ?? {}) as Hcl)) for (const bodies of Object.values(byName as Hcl)) (out[kind][type] ??= []).push(...(bodies as Hcl[]));
      }
    }
    return out;
  }

  /** every argument set in the module exists in the schema and may be set (not computed-only) */
  function settable(b: Block, body: Hcl, where: string): string[] {
    const bad: string[] = [];
    for (const [k, v] of Object.entries(body)) {
      if (META.has(k)) continue;
      const a = b.attributes[k];
      const nb = b.blocks?.[k];
      if (nb) for (const el of v as Hcl[]) bad.push(...settable(nb.block, el, `${where}.${k}`));
      else if (!a) bad.push(`${where}.${k}: not in the schema`);
      else if (a.computed && !a.optional) bad.push(`${where}.${k}: computed only`);
    }
    for (const [k, a] of Object.entries(b.attributes)) if (a.required && !(k in body)) bad.push(`${where}.${k}: required, not set`);
    return bad;
  }

  it('exactly the resource types and data sources the module uses, with every argument it sets', async () => {
    const u = await used();
    expect(Object.keys(RESOURCES).sort()).toEqual(Object.keys(u.resource).sort());
    expect(Object.keys(DATA_SOURCES).sort()).toEqual(Object.keys(u.data).sort());
    const bad = [
      ...Object.entries(u.resource).flatMap(([t, bodies]) => bodies.flatMap((b) => settable(RESOURCES[t].schema, b, t))),
      ...Object.entries(u.data).flatMap(([t, bodies]) => bodies.flatMap((b) => settable(DATA_SOURCES[t].schema, b, `data.${t}`))),
    ];
    expect(bad).toEqual([]);
  });

  it('changes that replace a resource are the real provider’s ForceNew ones', () => {
    const forceNew = (t: string) => Object.entries(RESOURCES[t].schema.attributes).filter(([, a]) => a.forceNew).map(([k]) => k).sort();
    expect(forceNew('scaleway_baremetal_server')).toEqual(['project_id', 'zone']);
    expect(forceNew('scaleway_flexible_ip')).toEqual(['is_ipv6', 'project_id', 'zone']);
    expect(forceNew('scaleway_iam_ssh_key')).toEqual(['project_id', 'public_key']);
    expect(forceNew('scaleway_ipam_ip')).toEqual(['address', 'is_ipv6', 'project_id', 'region']);
    expect(forceNew('scaleway_vpc')).toEqual(['project_id', 'region']);
    expect(forceNew('scaleway_vpc_private_network')).toEqual(['project_id', 'region', 'vpc_id']);
    expect(RESOURCES.scaleway_vpc_private_network.schema.blocks!.ipv4_subnet.block.attributes.subnet.forceNew).toBe(true);
  });
});
