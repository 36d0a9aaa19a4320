// How a resource's schema is written here (as the real provider's SDKv2 schema: attributes and
// nested blocks, required/optional/computed, defaults, ForceNew), and its wire form in
// GetProviderSchema (types as JSON type expressions in bytes).
import type { Obj, Value } from './values.js';

export type CtyType = 'string' | 'number' | 'bool' | ['list' | 'set' | 'map', CtyType] | ['object', Record<string, CtyType>];

export interface Attr {
  type: CtyType;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  /** a change replaces the resource (SDKv2 ForceNew) */
  forceNew?: boolean;
  /** the value planned when the configuration leaves it null (SDKv2 Default) */
  default?: Value;
  description?: string;
}

export interface NestedBlock {
  nesting: 'list' | 'set';
  block: Block;
  minItems?: number;
  maxItems?: number;
  /** an Optional+Computed block: no configured element keeps the prior ones */
  computed?: boolean;
}

export interface Block {
  attributes: Record<string, Attr>;
  blocks?: Record<string, NestedBlock>;
}

export const str = (o: Omit<Attr, 'type'> = {}): Attr => ({ type: 'string', ...o });
export const num = (o: Omit<Attr, 'type'> = {}): Attr => ({ type: 'number', ...o });
export const bool = (o: Omit<Attr, 'type'> = {}): Attr => ({ type: 'bool', ...o });
export const strList = (o: Omit<Attr, 'type'> = {}): Attr => ({ type: ['list', 'string'], ...o });
export const computed = (type: CtyType = 'string'): Attr => ({ type, computed: true });
/** SDKv2's implicit id attribute */
export const ID: Attr = { type: 'string', optional: true, computed: true };
export const zoneAttr = (): Attr => str({ optional: true, computed: true, forceNew: true, description: 'The zone you want to attach the resource to' });
export const regionAttr = (): Attr => str({ optional: true, computed: true, forceNew: true, description: 'The region you want to attach the resource to' });
export const projectAttr = (): Attr => str({ optional: true, computed: true, forceNew: true, description: 'The project_id you want to attach the resource to' });
export const orgAttr = (): Attr => computed();

const NESTING = { single: 1, list: 2, set: 3 } as const;

function blockToProto(b: Block): Record<string, unknown> {
  return {
    version: 0,
    attributes: Object.entries(b.attributes)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([name, a]) => ({
        name,
        type: Buffer.from(JSON.stringify(a.type)),
        description: a.description ?? '',
        required: Boolean(a.required),
        optional: Boolean(a.optional),
        computed: Boolean(a.computed),
        sensitive: Boolean(a.sensitive),
      })),
    block_types: Object.entries(b.blocks ?? {}).map(([name, nb]) => ({
      type_name: name,
      block: blockToProto(nb.block),
      nesting: NESTING[nb.nesting],
      min_items: nb.minItems ?? 0,
      max_items: nb.maxItems ?? 0,
    })),
  };
}

export const schemaToProto = (b: Block) => ({ version: 0, block: blockToProto(b) });

/** An object of exactly the schema's attributes and blocks (missing ones null, blocks as lists). */
export function shape(b: Block, v: Obj | null | undefined): Obj {
  const src = v ?? {};
  const out: Obj = {};
  for (const [k, a] of Object.entries(b.attributes)) out[k] = coerce(a.type, src[k]);
  for (const [k, nb] of Object.entries(b.blocks ?? {})) {
    const list = Array.isArray(src[k]) ? (src[k] as Value[]) : [];
    out[k] = list.map((e) => shape(nb.block, e as Obj));
  }
  return out;
}

function coerce(t: CtyType, v: Value | undefined): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'symbol') return v;
  if (t === 'string') return typeof v === 'string' ? v : String(v);
  if (t === 'number') return typeof v === 'number' ? v : Number(v);
  if (t === 'bool') return typeof v === 'boolean' ? v : v === 'true';
  if (Array.isArray(t) && t[0] === 'object') {
    const o = v as Obj;
    return Object.fromEntries(Object.entries(t[1]).map(([k, at]) => [k, coerce(at, o[k])]));
  }
  if (Array.isArray(t) && t[0] === 'map') return Object.fromEntries(Object.entries(v as Obj).map(([k, x]) => [k, coerce(t[1], x)]));
  return Array.isArray(v) ? v.map((x) => coerce((t as [string, CtyType])[1], x)) : null;
}
