// Terraform's DynamicValue: an object as msgpack (a map of every attribute, nil when unset), where
// a value not yet known is a msgpack extension (type 0; newer Terraform may send 12, "refined").
import { decode, encode, ExtensionCodec } from '@msgpack/msgpack';

/** The one unknown value; compare with `isUnknown`. */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Unknown = typeof UNKNOWN;

export type Value = null | string | number | boolean | Unknown | Value[] | { [k: string]: Value };
export type Obj = { [k: string]: Value };

export const isUnknown = (v: unknown): v is Unknown => v === UNKNOWN;

class UnknownBox {}
const codec = new ExtensionCodec();
codec.register({
  type: 0,
  encode: (v: unknown) => (v instanceof UnknownBox ? new Uint8Array([0]) : null),
  decode: () => UNKNOWN,
});
codec.register({ type: 12, encode: () => null, decode: () => UNKNOWN });

/** Symbols do not survive msgpack's encoder: box them first. */
function box(v: Value): unknown {
  if (v === UNKNOWN) return new UnknownBox();
  if (Array.isArray(v)) return v.map(box);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, box(x)]));
  return v;
}

export function toMsgpack(v: Value): Buffer {
  return Buffer.from(encode(box(v), { extensionCodec: codec, ignoreUndefined: false }));
}

export function fromMsgpack(b: Uint8Array | undefined | null): Value {
  if (!b || b.length === 0) return null;
  return normalize(decode(b, { extensionCodec: codec }));
}

function normalize(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (v === UNKNOWN) return UNKNOWN;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(normalize);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), normalize(x)]));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, normalize(x)]));
  return v as Value;
}

/** A DynamicValue as decoded by protobufjs: msgpack, else JSON. */
export function fromDynamic(dv: { msgpack?: Uint8Array; json?: Uint8Array } | undefined | null): Value {
  if (!dv) return null;
  if (dv.msgpack && dv.msgpack.length) return fromMsgpack(dv.msgpack);
  if (dv.json && dv.json.length) return JSON.parse(Buffer.from(dv.json).toString('utf8')) as Value;
  return null;
}

export const dynamic = (v: Value) => ({ msgpack: toMsgpack(v) });

/** Deep equality of values (unknown equals only unknown). */
export function same(a: Value | undefined, b: Value | undefined): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => same((a as Obj)[k], (b as Obj)[k]));
  }
  return false;
}
