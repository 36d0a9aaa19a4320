// What a simulated host answers to an exec request: onedeck's probe, OpenNebula's CLI on the
// frontend, hook logs, and the few shell commands the stand-in tools send to install files.
import type { SandboxStateStore } from '../state.js';
import { sha256 } from '../hook-hashes.js';
import type { SimHost } from '../state-types.js';
import { runScript, type ExecResult } from './mini-shell.js';
import { consumeFault, faultNote } from '../state-faults.js';
import { onehost, onevm } from './onehost-commands.js';
import { probeAnswer } from './probe-answer.js';
import { unwrap, type SimpleCommand } from './shell-words.js';

export type { ExecResult } from './mini-shell.js';

const ok = (stdout = ''): ExecResult => ({ stdout, stderr: '', code: 0 });
const notFound = (cmd: string): ExecResult => ({ stdout: '', stderr: `sh: 1: ${cmd}: not found\n`, code: 127 });

/** Whether the command reads stdin (so the server waits for EOF before answering). */
export function wantsStdin(command: string): boolean {
  return !command.includes('onedeck-probe') && /(^|[\s;&|])(cat|tee)\b[^;&|]*(>|tee\s)/.test(command) || /\btee\s/.test(command);
}

function globToRe(glob: string): RegExp {
  return new RegExp('^' + glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
}

function readPaths(host: SimHost, patterns: string[]): { found: [string, string[]][]; missing: string[] } {
  const found: [string, string[]][] = [];
  const missing: string[] = [];
  for (const p of patterns) {
    const re = globToRe(p);
    const hits = Object.keys(host.logs).filter((x) => re.test(x)).sort();
    if (hits.length === 0) missing.push(p);
    for (const h of hits) found.push([h, host.logs[h]]);
  }
  return { found, missing };
}

function catOrTail(host: SimHost, argv: string[]): ExecResult {
  const tail = argv[0] === 'tail';
  let n = 10;
  const files: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-n') n = parseInt(argv[++i] ?? '10', 10);
    else if (/^-n\d+$/.test(a)) n = parseInt(a.slice(2), 10);
    else if (/^-\d+$/.test(a)) n = parseInt(a.slice(1), 10);
    else if (a.startsWith('-')) continue;
    else files.push(a);
  }
  const { found, missing } = readPaths(host, files);
  const header = tail && found.length > 1;
  const out = found
    .map(([p, lines]) => {
      const body = (tail ? lines.slice(-n) : lines).map((l) => `${l}\n`).join('');
      return header ? `==> ${p} <==\n${body}` : body;
    })
    .join(header ? '\n' : '');
  const stderr = missing.map((m) => `${argv[0]}: ${tail ? `cannot open '${m}' for reading` : m}: No such file or directory\n`).join('');
  if (tail && (argv.includes('-F') || argv.includes('-f') || argv.includes('--follow'))) {
    // tail -F keeps waiting for files that do not exist yet
    return { stdout: out, stderr, code: 0, follow: [...found.map(([p]) => p), ...missing.filter((m) => !m.includes('*'))] };
  }
  return { stdout: out, stderr, code: missing.length ? 1 : 0 };
}

function systemctl(store: SandboxStateStore, host: SimHost, argv: string[]): ExecResult {
  const verb = argv[1];
  const unit = argv.slice(2).find((a) => !a.startsWith('-'))?.replace(/\.service$/, '');
  if (unit !== 'libvirtd') return verb === 'is-active' ? { stdout: 'inactive\n', stderr: '', code: 3 } : ok();
  const cur = store.get().simHosts.find((s) => s.name === host.name)!;
  if (verb === 'is-active') return { stdout: `${cur.libvirtd}\n`, stderr: '', code: cur.libvirtd === 'active' ? 0 : 3 };
  const next = ['start', 'restart', 'enable'].includes(verb) && (verb !== 'enable' || argv.includes('--now')) ? 'active' : verb === 'stop' ? 'inactive' : null;
  if (next) store.update((s) => void (s.simHosts.find((x) => x.name === host.name)!.libvirtd = next));
  return ok();
}

/** `plainUser`: the logged-in user when it may not become root (id and whoami answer as that user) */
function simple(store: SandboxStateStore, hostName: string, cmd: SimpleCommand, stdin: Buffer, plainUser?: string): ExecResult {
  const { argv } = unwrap(cmd.argv);
  const host = store.get().simHosts.find((s) => s.name === hostName)!;
  const [c] = argv;
  if (cmd.redirect && (c === 'cat' || c === 'printf' || c === 'echo')) {
    const data = c === 'cat' ? stdin : Buffer.from(c === 'echo' ? argv.slice(1).join(' ') + '\n' : argv[1] ?? '');
    const path = cmd.redirect;
    store.update((s) => void (s.simHosts.find((x) => x.name === hostName)!.files[path] = sha256(data)));
    return ok();
  }
  switch (c) {
    case undefined:
    case 'true':
    case ':':
    case 'mkdir':
    case 'chmod':
    case 'chown':
      return ok();
    case 'false':
      return { stdout: '', stderr: '', code: 1 };
    case 'echo':
      return ok(argv.slice(1).join(' ') + '\n');
    case 'hostname':
      return ok(`${host.name}\n`);
    case 'id':
      if (plainUser) return ok(argv.includes('-u') ? '1000\n' : `uid=1000(${plainUser}) gid=1000(${plainUser}) groups=1000(${plainUser})\n`);
      return ok(argv.includes('-u') ? '0\n' : 'uid=0(root) gid=0(root) groups=0(root)\n');
    case 'whoami':
      return ok(`${plainUser ?? 'root'}\n`);
    case 'uname':
      return ok(argv.includes('-r') ? '6.8.0-49-generic\n' : 'Linux\n');
    case 'tee': {
      const path = argv.slice(1).find((a) => !a.startsWith('-'));
      if (path) store.update((s) => void (s.simHosts.find((x) => x.name === hostName)!.files[path] = sha256(stdin)));
      return ok(stdin.toString('utf8'));
    }
    case 'cat':
    case 'tail':
      return catOrTail(host, argv);
    case 'sha256sum': {
      const lines = argv.slice(1).filter((a) => !a.startsWith('-')).map((p) => (host.files[p] ? `${host.files[p]}  ${p}\n` : ''));
      return { stdout: lines.join(''), stderr: '', code: lines.every(Boolean) ? 0 : 1 };
    }
    case 'systemctl':
      return systemctl(store, host, argv);
    case 'onedeck-sandbox-fault': {
      // the stand-in tools ask whether their step has an injected failure (and consume it)
      const step = argv[1] ?? '';
      if (!store.get().faults?.includes(step) || !store.update((s) => consumeFault(s, step))) return ok();
      return { stdout: '', stderr: `${step} failed ${faultNote(step)}\n`, code: 1 };
    }
    case 'onehost':
      return host.role === 'frontend' ? onehost(store, argv.slice(1)) : notFound(c);
    case 'onevm':
      return host.role === 'frontend' ? onevm(store, argv.slice(1)) : notFound(c);
    default:
      return notFound(c);
  }
}

/** Whether `user` may become root without a password (`onedeck sandbox knob ssh-sudo no USER` says not). */
export function maySudo(store: SandboxStateStore, user: string | undefined): boolean {
  return user === 'root' || !(store.get().knobs?.noSudoUsers ?? []).includes(user ?? '');
}

/** Run one exec request's command line on the simulated host `hostName`, as `user` (the SSH login). */
export function runCommand(store: SandboxStateStore, hostName: string, command: string, stdin: Buffer = Buffer.alloc(0), user?: string): ExecResult {
  const host = store.get().simHosts.find((s) => s.name === hostName);
  if (!host) return { stdout: '', stderr: 'host is gone\n', code: 255 };
  const sudo = maySudo(store, user);
  if (command.includes('onedeck-probe')) return ok(probeAnswer(host, store.now(), sudo));
  const current = () => store.get().simHosts.find((s) => s.name === hostName)!;
  return runScript(command, {
    simple: (cmd) => simple(store, hostName, cmd, stdin, sudo ? undefined : user ?? 'ubuntu'),
    glob(word) {
      if (!word.includes('*') && !word.includes('?')) return [word];
      const re = globToRe(word);
      const h = current();
      const hits = [...Object.keys(h.logs), ...Object.keys(h.files)].filter((p) => re.test(p)).sort();
      return hits.length ? hits : [word];
    },
    exists: (p) => p in current().logs || p in current().files || Object.keys(current().files).some((f) => f.startsWith(`${p}/`)),
    sudo,
    user,
  });
}
