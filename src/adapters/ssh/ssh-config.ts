// Resolves where and how to reach a host the way OpenSSH would, by asking `ssh -G` (Include,
// Match and token expansion included); falls back to the plain values when ssh is absent.
// Answers are cached until one of the ssh_config files changes (by stat: no process to find out),
// and the hosts asked for at once that ssh_config treats alike (the same `Host` lines apply, no
// Match, no %-token) share one `ssh -G`: a sweep of 200 new hosts spawns one ssh, not 200.
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { execa } from 'execa';
import { hostLineMatches, readSshConfigFiles } from './ssh-config-files.js';

export interface ResolvedSsh {
  /** what was asked for (alias or address) */
  alias: string;
  hostname: string;
  port: number;
  user: string;
  identityFiles: string[];
  proxyJump?: string;
  proxyCommand?: string;
  hostKeyAlias?: string;
  knownHostsFiles: string[];
  /** how it was resolved, for `onedeck info` and error messages */
  via: 'ssh -G' | 'fallback';
}

export interface ResolveOptions {
  configFile?: string;
  /** used when ssh_config names no user */
  defaultUser: string;
  /** port from onedeck.yaml; passed to ssh -G as -p when not 22 */
  port?: number;
  sshBin?: string;
}

const home = () => process.env.HOME || homedir();
const expand = (p: string) => (p.startsWith('~/') ? `${home()}/${p.slice(2)}` : p);

export function parseSshG(text: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(' ');
    if (i <= 0) continue;
    const k = line.slice(0, i).toLowerCase();
    const v = line.slice(i + 1).trim();
    m.set(k, [...(m.get(k) ?? []), v]);
  }
  return m;
}

interface Pending {
  alias: string;
  opts: ResolveOptions;
  done: (r: ResolvedSsh) => void;
}

/**
 * `ssh -G` answers (undefined: ssh could not answer), each with the config signature it is valid
 * for; a lookup still running is shared by whoever asks meanwhile
 */
const answers = new Map<string, { signature: string; g: Promise<Map<string, string[]> | undefined> }>();
let queue: Pending[] = [];
let spawns = 0;

/** `ssh -G` processes started so far (tests check that a cached answer spawns none) */
export function sshGSpawns(): number {
  return spawns;
}

/** Forget every cached answer (tests). */
export function clearSshConfigCache(): void {
  answers.clear();
}

export function resolveSsh(alias: string, opts: ResolveOptions): Promise<ResolvedSsh> {
  return new Promise((done) => {
    queue.push({ alias, opts, done });
    // the hosts a sweep asks for in the same turn are resolved together
    if (queue.length === 1) setImmediate(() => void drain());
  });
}

async function drain(): Promise<void> {
  const batch = queue;
  queue = [];
  const bySource = new Map<string, Pending[]>();
  for (const p of batch) {
    const k = `${p.opts.sshBin ?? 'ssh'}\0${p.opts.configFile ?? ''}`;
    bySource.set(k, [...(bySource.get(k) ?? []), p]);
  }
  await Promise.all([...bySource.values()].map((ps) => resolveBatch(ps)));
}

async function resolveBatch(batch: Pending[]): Promise<void> {
  const { sshBin, configFile } = batch[0].opts;
  const files = readSshConfigFiles(configFile);
  const source = `${sshBin ?? 'ssh'}\0${configFile ?? ''}`;
  const cached = (key: string) => {
    const a = answers.get(key);
    return a && a.signature === files.signature ? a : undefined;
  };
  const ask = (key: string, lookup: () => Promise<Map<string, string[]> | undefined>) => {
    let a = cached(key);
    if (!a) {
      const entry = { signature: files.signature, g: lookup() };
      answers.set(key, entry);
      // a failed lookup (a timeout on a busy machine, a name ssh cannot resolve) is not kept: it
      // would stand for every later host of its group until ssh_config changed; the next one asks again
      const forget = () => {
        if (answers.get(key) === entry) answers.delete(key);
      };
      entry.g.then((g) => g || forget(), forget);
      a = entry;
    }
    return a.g;
  };
  const hostKey = (p: Pending) => `${source}\0host:${p.alias}:${p.opts.port ?? ''}`;
  const groups = new Map<string, Pending[]>();
  const work: Promise<void>[] = [];
  for (const p of batch) {
    if (cached(hostKey(p)) || files.perHost || p.alias.includes('@')) {
      work.push(ask(hostKey(p), () => sshG(p.alias, p.opts)).then((g) => p.done(toResolved(p.alias, p.opts, g))));
    } else {
      // the hosts the same Host lines apply to: one ssh -G answers for all of them
      const vector = files.hostLines.map((l) => (hostLineMatches(l, p.alias) ? '1' : '0')).join('');
      groups.set(vector, [...(groups.get(vector) ?? []), p]);
    }
  }
  for (const [vector, ps] of groups) {
    // asked without -p: the port given is put in after (the command line wins over ssh_config)
    const like = ask(`${source}\0like:${vector}`, () =>
      sshG(ps[0].alias, { ...ps[0].opts, port: undefined }).then((g) => g && new Map([...g, ['host', [ps[0].alias]]])),
    );
    for (const p of ps) {
      // the first host's lookup failed (its name, say): each host is asked on its own
      const mine = () => like.then((g) => (g ? likeHost(g, p.alias, p.opts.port) : p === ps[0] ? undefined : sshG(p.alias, p.opts)));
      work.push(ask(hostKey(p), mine).then((g) => p.done(toResolved(p.alias, p.opts, g))));
    }
  }
  await Promise.all(work);
}

/** The answer for another host the same ssh_config lines apply to: its name and port put in. */
function likeHost(g: Map<string, string[]>, alias: string, port?: number): Map<string, string[]> {
  const out = new Map(g);
  const rep = g.get('host')?.[0] ?? '';
  out.set('host', [alias]);
  // no HostName: ssh prints the alias, lower-cased; a HostName without tokens is the same for all
  if (g.get('hostname')?.[0] === rep.toLowerCase()) out.set('hostname', [alias.toLowerCase()]);
  if (port && port !== 22) out.set('port', [String(port)]);
  return out;
}

async function sshG(alias: string, opts: ResolveOptions): Promise<Map<string, string[]> | undefined> {
  const args = ['-G'];
  if (opts.configFile) args.push('-F', opts.configFile);
  if (opts.port && opts.port !== 22) args.push('-p', String(opts.port));
  args.push(alias);
  spawns++;
  try {
    const r = await execa(opts.sshBin ?? 'ssh', args, { timeout: 5000, reject: false, stdin: 'ignore' });
    return r.exitCode === 0 ? parseSshG(r.stdout) : undefined;
  } catch {
    return undefined;
  }
}

function toResolved(alias: string, opts: ResolveOptions, g: Map<string, string[]> | undefined): ResolvedSsh {
  if (g === undefined) {
    return {
      alias,
      hostname: alias,
      port: opts.port ?? 22,
      user: opts.defaultUser,
      identityFiles: [],
      knownHostsFiles: [`${home()}/.ssh/known_hosts`, '/etc/ssh/ssh_known_hosts'],
      via: 'fallback',
    };
  }
  const one = (k: string) => g.get(k)?.[0];
  // ssh -G always prints a user: the local one when ssh_config sets none; then onedeck's wins
  const sshUser = one('user');
  const user = !sshUser || sshUser === localUser() ? opts.defaultUser : sshUser;
  const proxyJump = one('proxyjump');
  const proxyCommand = one('proxycommand');
  const known = [...(g.get('userknownhostsfile') ?? []), ...(g.get('globalknownhostsfile') ?? [])]
    .flatMap((v) => v.split(/\s+/))
    .filter((f) => f && f !== 'none')
    .map(expand);
  const r: ResolvedSsh = {
    alias,
    hostname: one('hostname') ?? alias,
    port: Number(one('port') ?? opts.port ?? 22),
    user,
    identityFiles: (g.get('identityfile') ?? []).map(expand).filter((f) => existsSync(f)),
    knownHostsFiles: known,
    via: 'ssh -G',
  };
  if (proxyJump && proxyJump !== 'none') r.proxyJump = proxyJump;
  if (proxyCommand && proxyCommand !== 'none') r.proxyCommand = proxyCommand;
  const hka = one('hostkeyalias');
  if (hka && hka !== 'none') r.hostKeyAlias = hka;
  return r;
}

let localUserName: string | undefined;
function localUser(): string {
  if (localUserName !== undefined) return localUserName;
  try {
    localUserName = userInfo().username;
  } catch {
    localUserName = process.env.USER ?? '';
  }
  return localUserName;
}

/** "user@host:port" (one hop of a ProxyJump list) → its parts. */
export function parseJumpSpec(spec: string): { user?: string; host: string; port?: number } {
  let s = spec.split(',')[0].trim().replace(/^ssh:\/\//, '');
  let user: string | undefined;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
  }
  let port: number | undefined;
  const m = /^\[(.+)\]:(\d+)$/.exec(s) ?? /^([^:]+):(\d+)$/.exec(s);
  if (m) {
    s = m[1];
    port = Number(m[2]);
  }
  return { user, host: s, port };
}
