// known_hosts parsing and host-key verification the way OpenSSH does it: plain, [host]:port,
// wildcard and hashed (|1|salt|hash) entries; @revoked wins; unknown and changed keys refuse.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

export interface KnownHostEntry {
  marker?: '@revoked' | '@cert-authority';
  /** the host field: comma-separated patterns, or one hashed |1|salt|hash */
  hosts: string;
  keyType: string;
  blob: Buffer;
  source: string;
}

export type HostKeyOutcome =
  | { kind: 'ok' }
  | { kind: 'unknown' }
  | { kind: 'mismatch'; expected: string[]; got: string }
  | { kind: 'revoked'; got: string };

export function parseKnownHosts(text: string, source = 'known_hosts'): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const f = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (f[0] === '@revoked' || f[0] === '@cert-authority') marker = f.shift() as KnownHostEntry['marker'];
    if (f.length < 3) continue;
    const blob = Buffer.from(f[2], 'base64');
    if (blob.length === 0) continue;
    out.push({ marker, hosts: f[0], keyType: f[1], blob, source });
  }
  return out;
}

/** parsed files, kept while their stat is the same: a sweep opening 200 connections reads each once */
const parsedFiles = new Map<string, { stat: string; entries: KnownHostEntry[] }>();
/** the last list read for a set of files, kept while none of them changes (its index with it) */
const lists = new Map<string, { stats: string; entries: KnownHostEntry[] }>();

export function readKnownHostsFiles(files: string[]): KnownHostEntry[] {
  const parts: KnownHostEntry[][] = [];
  const stats: string[] = [];
  for (const f of files) {
    try {
      const st = statSync(f);
      const stat = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
      let known = parsedFiles.get(f);
      if (known?.stat !== stat) {
        known = { stat, entries: parseKnownHosts(readFileSync(f, 'utf8'), f) };
        parsedFiles.set(f, known);
      }
      parts.push(known.entries);
      stats.push(stat);
    } catch {
      /* a missing file is simply empty, as for OpenSSH */
      stats.push('none');
    }
  }
  const key = files.join('\0');
  const last = lists.get(key);
  if (last && last.stats === stats.join('|')) return last.entries;
  const entries = parts.flat();
  lists.set(key, { stats: stats.join('|'), entries });
  return entries;
}

interface HostIndex {
  /** entries naming a host plainly (no wildcard, no negation, not hashed), by lower-cased name */
  byName: Map<string, number[]>;
  /** the others (wildcards, negations, hashed names), matched one by one */
  rest: number[];
  /** which of `rest` match a name, once worked out (a hashed entry costs an HMAC per name) */
  restFor: Map<string, number[]>;
}
const indexes = new WeakMap<KnownHostEntry[], HostIndex>();

/** The entries whose host field matches `name`, in file order. */
function entriesFor(entries: KnownHostEntry[], name: string): KnownHostEntry[] {
  let ix = indexes.get(entries);
  if (!ix) {
    ix = { byName: new Map(), rest: [], restFor: new Map() };
    entries.forEach((e, i) => {
      if (e.hosts.startsWith('|') || /[*?!]/.test(e.hosts)) return void ix!.rest.push(i);
      for (const h of new Set(e.hosts.toLowerCase().split(','))) ix!.byName.set(h, [...(ix!.byName.get(h) ?? []), i]);
    });
    indexes.set(entries, ix);
  }
  let rest = ix.restFor.get(name);
  if (!rest) {
    rest = ix.rest.filter((i) => hostFieldMatches(entries[i].hosts, name));
    ix.restFor.set(name, rest);
  }
  const found = [...(ix.byName.get(name.toLowerCase()) ?? []), ...rest];
  return found.sort((a, b) => a - b).map((i) => entries[i]);
}

/** The name OpenSSH looks up: "host" on port 22, "[host]:port" otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

const globs = new Map<string, RegExp>();

function globMatch(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern.length === name.length && pattern.toLowerCase() === name.toLowerCase();
  let re = globs.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    globs.set(pattern, re);
  }
  return re.test(name);
}

export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const h = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return h === hash;
  }
  let matched = false;
  for (const p of field.split(',')) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) matched = true;
  }
  return matched;
}

export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Check a key the server presented against the entries for `names` (the first that has any wins). */
export function checkHostKey(entries: KnownHostEntry[], names: string[], key: Buffer): HostKeyOutcome {
  const got = fingerprint(key);
  for (const name of names) {
    const mine = entriesFor(entries, name).filter((e) => e.marker !== '@cert-authority');
    if (mine.some((e) => e.marker === '@revoked' && e.blob.equals(key))) return { kind: 'revoked', got };
    const plain = mine.filter((e) => e.marker === undefined);
    if (plain.length === 0) continue;
    if (plain.some((e) => e.blob.equals(key))) return { kind: 'ok' };
    // OpenSSH only compares keys of the same type; a different type it has no entry for is "unknown"
    const keyType = key.readUInt32BE(0) <= key.length - 4 ? key.subarray(4, 4 + key.readUInt32BE(0)).toString() : '';
    const sameType = plain.filter((e) => e.keyType === keyType);
    if (sameType.length === 0) continue;
    return { kind: 'mismatch', expected: sameType.map((e) => fingerprint(e.blob)), got };
  }
  return { kind: 'unknown' };
}

/** ssh2's host key algorithms, in its default order, by the key type known_hosts stores */
const ALGORITHMS_BY_KEY_TYPE: [string, string[]][] = [
  ['ssh-ed25519', ['ssh-ed25519']],
  ['ecdsa-sha2-nistp256', ['ecdsa-sha2-nistp256']],
  ['ecdsa-sha2-nistp384', ['ecdsa-sha2-nistp384']],
  ['ecdsa-sha2-nistp521', ['ecdsa-sha2-nistp521']],
  ['ssh-rsa', ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']],
];

/**
 * The host key algorithms to offer, the types known_hosts has for `names` first (as OpenSSH
 * orders them), so a host known by one key type is not met with another, "unknown", one.
 * Undefined when known_hosts knows none of them (the default order then).
 */
export function hostKeyAlgorithms(entries: KnownHostEntry[], names: string[]): string[] | undefined {
  const known = new Set(names.flatMap((n) => entriesFor(entries, n)).filter((e) => e.marker === undefined).map((e) => e.keyType));
  const first = ALGORITHMS_BY_KEY_TYPE.filter(([t]) => known.has(t)).flatMap(([, a]) => a);
  if (first.length === 0) return undefined;
  return [...first, ...ALGORITHMS_BY_KEY_TYPE.flatMap(([, a]) => a).filter((a) => !first.includes(a))];
}
