// Resolves where and how to reach a host the way OpenSSH would, by asking `ssh -G` (Include,
// Match and token expansion included); falls back to the plain values when ssh is absent.
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { execa } from 'execa';

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

export async function resolveSsh(alias: string, opts: ResolveOptions): Promise<ResolvedSsh> {
  const args = ['-G'];
  if (opts.configFile) args.push('-F', opts.configFile);
  if (opts.port && opts.port !== 22) args.push('-p', String(opts.port));
  args.push(alias);
  let out: string | undefined;
  try {
    const r = await execa(opts.sshBin ?? 'ssh', args, { timeout: 5000, reject: false, stdin: 'ignore' });
    if (r.exitCode === 0) out = r.stdout;
  } catch {
    out = undefined;
  }
  if (out === undefined) {
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
  const g = parseSshG(out);
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

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
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
