// Turns a zod issue on onedeck.yaml into `file:line:col: what, got X.` and a hint with the fix:
// the position of the offending node (an unknown key at its own line), and the closest known key.
import { isMap, isNode, isScalar, type Document, type LineCounter } from 'yaml';
import { z, type ZodIssue } from 'zod';
import { configSchema } from './schema.js';

export function positionOf(doc: Document, lc: LineCounter, path: (string | number)[]): string {
  // walk up the path until a node with a position is found (a missing key points at its parent)
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const p = lc.linePos(node.range[0]);
      return `${p.line}:${p.col}`;
    }
  }
  return '1:1';
}

/** Where an unknown key is written: the key itself, not the mapping holding it. */
function keyPosition(doc: Document, lc: LineCounter, path: (string | number)[], key: string): string | undefined {
  const map = path.length ? doc.getIn(path, true) : doc.contents;
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  const range = pair && isNode(pair.key) ? pair.key.range : undefined;
  if (!range) return undefined;
  const p = lc.linePos(range[0]);
  return `${p.line}:${p.col}`;
}

/** The keys the schema knows at `path` (a mapping), or none. */
function knownKeys(path: (string | number)[]): string[] {
  let t: z.ZodTypeAny = configSchema;
  const unwrap = (x: z.ZodTypeAny): z.ZodTypeAny => {
    for (;;) {
      if (x instanceof z.ZodDefault || x instanceof z.ZodOptional) x = x._def.innerType;
      else if (x instanceof z.ZodEffects) x = x._def.schema;
      else return x;
    }
  };
  for (const part of path) {
    t = unwrap(t);
    if (t instanceof z.ZodObject && typeof part === 'string') t = t.shape[part];
    else if (t instanceof z.ZodArray) t = t.element;
    else return [];
    if (!t) return [];
  }
  t = unwrap(t);
  if (t instanceof z.ZodUnion) t = unwrap((t.options as z.ZodTypeAny[]).find((o) => unwrap(o) instanceof z.ZodObject) ?? t);
  return t instanceof z.ZodObject ? Object.keys(t.shape) : [];
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length];
}

/** The known key closest to `key` when it is a plausible typo (or a prefix of it), else undefined. */
export function didYouMean(key: string, path: (string | number)[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of knownKeys(path)) {
    const d = k.startsWith(key) || key.startsWith(k) ? Math.min(2, distance(key, k)) : distance(key, k);
    if (d <= Math.max(2, Math.floor(k.length / 3)) && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}

export function describeIssue(issue: ZodIssue, doc: Document, lc: LineCounter, file: string): string {
  const path = issue.path;
  const unknownAt = issue.code === 'unrecognized_keys' ? keyPosition(doc, lc, path, issue.keys[0]) : undefined;
  const where = `${file}:${unknownAt ?? positionOf(doc, lc, path)}`;
  const key = path.length ? path.join('.') : '(top level)';
  const got = doc.getIn(path);
  const gotText = got === undefined ? 'nothing' : JSON.stringify(got);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined') return `${where}: ${key} is required but missing.`;
      return `${where}: ${key} must be ${article(issue.expected)}, got ${gotText}.`;
    case 'unrecognized_keys': {
      const guess = issue.keys.length === 1 ? didYouMean(issue.keys[0], path) : undefined;
      return `${where}: ${key === '(top level)' ? 'the top level' : key} has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}.`;
    }
    case 'invalid_union':
      return `${where}: ${key} must be a host name or a mapping with name:, got ${gotText}.`;
    default:
      return `${where}: ${key} ${lowerFirst(issue.message.replace(/^(String|Number) /, ''))}, got ${gotText}.`;
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function article(t: string): string {
  if (t === 'array') return 'a list';
  if (t === 'object') return 'a mapping';
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

const CREDENTIAL = /secret|access_key|token|password|passwd/i;

export function hintFor(issue: ZodIssue, doc?: Document): string {
  const k = issue.path.join('.');
  if (k === 'opennebula.version') {
    const node = doc?.getIn(issue.path, true);
    const written = isScalar(node) && typeof node.value === 'number' && node.source ? node.source : '6.10';
    return `Quote it so it stays a string: version: "${written}" (unquoted, YAML reads 6.10 as the number 6.1 and 7.0 as 7).`;
  }
  if (issue.code === 'custom') {
    const params = (issue.params ?? {}) as { hint?: string; fix?: string };
    if (params.hint) return params.hint;
    if (params.fix) return `Write:  ${String(issue.path[issue.path.length - 1])}: ${params.fix}`;
  }
  if (issue.code === 'unrecognized_keys') {
    const guess = issue.keys.length === 1 && !CREDENTIAL.test(issue.keys[0]) ? didYouMean(issue.keys[0], issue.path) : undefined;
    if (guess) return `Rename it to ${guess}.`;
    return 'Remove or rename the key; credentials never go in onedeck.yaml (use SCW_* variables or the scw profile).';
  }
  if (k.startsWith('hypervisors')) return 'Write, for example:  hypervisors: [kvm-1, kvm-2]';
  if (k === 'scaleway.zone') return 'Write, for example:  zone: fr-par-2';
  if (k === 'scaleway.project_id') return 'Use the project id shown by `scw account project list` (a UUID).';
  if (k === 'frontend' || k.startsWith('frontend.')) return 'Write, for example:  frontend: { name: fe }';
  if (k.startsWith('networks')) return 'Write, for example:  private_subnet: 10.16.0.0/20';
  if (k === 'cluster') return 'Write, for example:  cluster: prod';
  return 'See the README section "Configuration" for every key and an example.';
}
