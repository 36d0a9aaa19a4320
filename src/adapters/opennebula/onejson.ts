// The OpenNebula CLI's JSON (`-j`) is converted from XML: every leaf is a string, an element that
// appears once is an object, several are an array, and an empty element is {}. These helpers
// read it without caring which form came back.

export type OneValue = string | OneObject | OneValue[] | undefined | null;
export interface OneObject {
  [key: string]: OneValue;
}

/** One item → [item], several → the array, none ({} / "" / missing) → []. */
export function asArray(x: unknown): OneObject[] {
  if (x === undefined || x === null || x === '') return [];
  if (Array.isArray(x)) return x.filter(isObject).filter((o) => Object.keys(o).length > 0);
  if (isObject(x)) return Object.keys(x).length === 0 ? [] : [x];
  return [];
}

/** Leaf values that may repeat (VMS.ID): "7" → ["7"], ["7","9"] → both, {} → []. */
export function asStrings(x: unknown): string[] {
  if (x === undefined || x === null) return [];
  if (Array.isArray(x)) return x.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String);
  if (typeof x === 'string') return x === '' ? [] : [x];
  if (typeof x === 'number') return [String(x)];
  return [];
}

function isObject(x: unknown): x is OneObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function obj(x: unknown): OneObject {
  return isObject(x) ? x : {};
}

/** A leaf as a string; {} (empty element) and missing become undefined. */
export function str(x: unknown): string | undefined {
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return String(x);
  return undefined;
}

/** A leaf as a number; empty, missing or non-numeric become undefined. */
export function num(x: unknown): number | undefined {
  const s = str(x);
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}
