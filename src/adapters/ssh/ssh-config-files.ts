// What `ssh -G` would read: the ssh_config files (the -F one, or ~/.ssh/config and
// /etc/ssh/ssh_config) and every file they Include, found by stat and readdir (no process).
// Their stats are the signature a cached `ssh -G` answer is valid for; their `Host` lines tell
// which hosts ssh_config treats alike, so one `ssh -G` answers for all of them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface SshConfigFiles {
  /** changes whenever one of the files (or an Include's directory listing) changes */
  signature: string;
  /** the patterns of every `Host` line, in order */
  hostLines: string[][];
  /**
   * hosts cannot be grouped: a `Match` block, a %-token, host name canonicalisation or a
   * user@host alias can make any host differ; every host then gets its own `ssh -G`
   */
  perHost: boolean;
}

interface Parsed {
  stat: string;
  includes: string[];
  hostLines: string[][];
  perHost: boolean;
}

const parsedByPath = new Map<string, Parsed>();
const home = () => process.env.HOME || homedir();

/** The files ssh reads with this -F (or none), and what they say about grouping hosts. */
export function readSshConfigFiles(configFile?: string): SshConfigFiles {
  const sig: string[] = [];
  const hostLines: string[][] = [];
  let perHost = false;
  const seen = new Set<string>();
  const visit = (path: string, base: string, depth: number) => {
    if (seen.has(path) || depth > 16) return;
    seen.add(path);
    const p = parseFile(path);
    sig.push(`${path}=${p?.stat ?? 'none'}`);
    if (!p) return;
    hostLines.push(...p.hostLines);
    perHost ||= p.perHost;
    for (const inc of p.includes) {
      const pattern = inc.startsWith('~/') ? join(home(), inc.slice(2)) : isAbsolute(inc) ? inc : join(base, inc);
      const { files, dirs } = expandGlob(pattern);
      sig.push(...dirs);
      for (const f of files) visit(f, base, depth + 1);
    }
  };
  // a relative Include is under ~/.ssh in a user's file (-F included), under /etc/ssh in the system's
  if (configFile) visit(configFile, join(home(), '.ssh'), 0);
  else {
    visit(join(home(), '.ssh', 'config'), join(home(), '.ssh'), 0);
    visit('/etc/ssh/ssh_config', '/etc/ssh', 0);
  }
  return { signature: sig.join('\n'), hostLines, perHost };
}

function parseFile(path: string): Parsed | undefined {
  let stat: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) return undefined;
    stat = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    return undefined;
  }
  const known = parsedByPath.get(path);
  if (known?.stat === stat) return known;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const p: Parsed = { stat, includes: [], hostLines: [], perHost: false };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    const key = (m?.[1] ?? line).toLowerCase();
    const args = words(m?.[2] ?? '');
    if (key === 'include') p.includes.push(...args);
    else if (key === 'host') p.hostLines.push(args);
    else if (key === 'match') p.perHost = true;
    else if (key === 'canonicalizehostname' && args[0]?.toLowerCase() !== 'no') p.perHost = true;
    if (line.includes('%')) p.perHost = true;
  }
  parsedByPath.set(path, p);
  return p;
}

/** whitespace-separated words, double quotes kept together */
function words(s: string): string[] {
  return [...s.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

/** glob(3) over path components (`*`, `?`): the files found, sorted, and the listings read */
function expandGlob(pattern: string): { files: string[]; dirs: string[] } {
  const dirs: string[] = [];
  if (!/[*?[]/.test(pattern)) return { files: [pattern], dirs };
  const parts = pattern.split('/').filter(Boolean);
  let paths = ['/'];
  for (const part of parts) {
    if (!/[*?[]/.test(part)) {
      paths = paths.map((p) => join(p, part));
      continue;
    }
    const re = globRegExp(part);
    const next: string[] = [];
    for (const p of paths) {
      let names: string[];
      try {
        names = readdirSync(p).sort();
      } catch {
        names = [];
      }
      dirs.push(`${p}/=${names.join('/')}`);
      for (const n of names) if (!n.startsWith('.') && re.test(n)) next.push(join(p, n));
    }
    paths = next;
  }
  return { files: paths, dirs };
}

function globRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Does a `Host` line (its patterns) apply to `host`? ssh's rules: a negated match excludes. */
export function hostLineMatches(patterns: readonly string[], host: string): boolean {
  const h = host.toLowerCase();
  let matched = false;
  for (const list of patterns) {
    for (const pat of list.split(',')) {
      const neg = pat.startsWith('!');
      const re = hostPatternRegExp(neg ? pat.slice(1) : pat);
      if (!re.test(h)) continue;
      if (neg) return false;
      matched = true;
    }
  }
  return matched;
}

const patternCache = new Map<string, RegExp>();
function hostPatternRegExp(pat: string): RegExp {
  let re = patternCache.get(pat);
  if (!re) {
    const body = pat.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    patternCache.set(pat, re);
  }
  return re;
}
