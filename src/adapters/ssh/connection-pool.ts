// SSH connections kept open between sweeps, one per target, reconnected after a failure. Honours
// ssh_config (via `ssh -G`), ssh-agent, known_hosts, and reaches hosts through a jump host.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import type { NodeSSH, Config as NodeSshConfig } from 'node-ssh';
import type ssh2Module from 'ssh2';
import type { AgentAuthMethod, ClientChannel, PublicKeyAuthMethod, ServerHostKeyAlgorithm } from 'ssh2';
import type { Duplex } from 'node:stream';
import { fastKey, type ParsedKey } from './fast-key.js';
import { checkHostKey, hostKeyAlgorithms, knownHostsName, readKnownHostsFiles, type HostKeyOutcome } from './known-hosts.js';
import { resolveSsh, parseJumpSpec, type ResolveOptions, type ResolvedSsh } from './ssh-config.js';
import { connectError, hostKeyError, SshError, type ConnectContext } from './ssh-errors.js';

/** Where to connect: an ssh_config alias or an address, optionally through another endpoint. */
export interface SshEndpoint {
  host: string;
  port?: number;
  /** reach `host` through this endpoint's connection (ProxyJump) */
  via?: SshEndpoint;
}

export interface SshPoolOptions {
  user: string;
  /** private key file; otherwise ssh_config IdentityFile(s) and the agent */
  key?: string;
  /** known_hosts file; otherwise the ones ssh_config names */
  knownHosts?: string;
  configFile?: string;
  timeoutMs: number;
  /** SSH agent socket; default $SSH_AUTH_SOCK */
  agent?: string | null;
  keepaliveMs?: number;
  resolve?: (alias: string, opts: ResolveOptions) => Promise<ResolvedSsh>;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
  /** ms from sending the command to its first output byte */
  firstByteMs?: number;
  durationMs: number;
}

interface Entry {
  ssh?: NodeSSH;
  connecting?: Promise<NodeSSH>;
  target: string;
}

interface SshLibs {
  NodeSSH: typeof NodeSSH;
  ssh2: typeof ssh2Module;
}
let sshLibs: Promise<SshLibs> | undefined;
/** node-ssh and ssh2 (~12 ms to evaluate) load with the first connection, not before the UI's
 * first frame (esbuild evaluates a module reached only by import() when that import runs).
 * ssh2 is CommonJS: Node's ESM loader only sees its default export. */
const loadSshLibs = () => (sshLibs ??= Promise.all([import('node-ssh'), import('ssh2')]).then(([n, s]) => ({ NodeSSH: n.NodeSSH, ssh2: (s as unknown as { default: typeof ssh2Module }).default })));

/** key files read and parsed, kept while their stat is the same (one read for a sweep, not one per host) */
const keyFiles = new Map<string, { stat: string; parsed: ParsedKey | Error }>();

function readKey(file: string, ssh2: SshLibs['ssh2']): ParsedKey | Error {
  const st = statSync(file);
  const stat = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  let k = keyFiles.get(file);
  if (k?.stat !== stat) {
    const p = ssh2.utils.parseKey(readFileSync(file, 'utf8'));
    const one = (Array.isArray(p) ? p[0] : p) as ParsedKey | Error | undefined;
    k = { stat, parsed: one === undefined ? new Error('no key in the file') : one instanceof Error ? one : fastKey(one) };
    keyFiles.set(file, k);
  }
  return k.parsed;
}

function endpointId(ep: SshEndpoint): string {
  return `${ep.host}:${ep.port ?? 22}${ep.via ? ` via ${endpointId(ep.via)}` : ''}`;
}

export class SshPool {
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  constructor(private readonly opts: SshPoolOptions) {}

  /** Run one command; rejects with an SshError when the host cannot be reached in time. */
  async exec(ep: SshEndpoint, command: string, opts: { timeoutMs?: number } = {}): Promise<ExecResult> {
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
    const id = endpointId(ep);
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // a wedged connection is dropped so the next sweep starts clean
        this.drop(id);
        reject(new SshError('timeout', `ssh ${this.entries.get(id)?.target ?? ep.host}: timeout after ${timeoutMs / 1000}s.`, {
          hint: 'The host did not answer in time; raise ssh.timeout_seconds if the link is slow.',
        }));
      }, timeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([this.run(ep, id, command, started), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async run(ep: SshEndpoint, id: string, command: string, started: number): Promise<ExecResult> {
    const ssh = await this.connection(ep);
    const sent = Date.now();
    let firstByteMs: number | undefined;
    try {
      const r = await ssh.execCommand(command, {
        onStdout: () => {
          if (firstByteMs === undefined) firstByteMs = Date.now() - sent;
        },
      });
      return { stdout: r.stdout, stderr: r.stderr, code: r.code, firstByteMs, durationMs: Date.now() - started };
    } catch (err) {
      this.drop(id);
      throw new SshError('closed', `ssh ${this.entries.get(id)?.target ?? ep.host}: ${(err as Error).message}.`, { cause: err });
    }
  }

  /** Run a long command with a pty and stream its lines until it ends or `signal` aborts. */
  async stream(ep: SshEndpoint, command: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    const ssh = await this.connection(ep);
    const client = ssh.connection;
    if (!client) throw new SshError('closed', `ssh ${ep.host}: not connected.`);
    await new Promise<void>((resolve, reject) => {
      client.exec(command, { pty: true }, (err: Error | undefined, channel: ClientChannel) => {
        if (err) return reject(new SshError('other', `ssh ${ep.host}: ${err.message}.`, { cause: err }));
        let buf = '';
        const onAbort = () => channel.close(); // with a pty, closing hangs the remote up (SIGHUP)
        if (signal.aborted) onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        channel.on('data', (chunk: Buffer) => {
          buf += chunk.toString('utf8');
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            onLine(buf.slice(0, i).replace(/\r$/, ''));
            buf = buf.slice(i + 1);
          }
        });
        channel.stderr.on('data', () => {});
        channel.on('close', () => {
          signal.removeEventListener('abort', onAbort);
          if (buf) onLine(buf.replace(/\r$/, ''));
          resolve();
        });
      });
    });
  }

  /** The open connection to `ep`, opening it (once, whatever the number of callers) if needed. */
  async connection(ep: SshEndpoint, depth = 0): Promise<NodeSSH> {
    if (this.closed) throw new SshError('closed', 'the SSH pool is closed.');
    const id = endpointId(ep);
    const e = this.entries.get(id);
    if (e?.ssh?.isConnected()) return e.ssh;
    if (e?.connecting) return e.connecting;
    const entry: Entry = { target: ep.host };
    entry.connecting = this.open(ep, entry, depth).then(
      (ssh) => {
        if (this.entries.get(id) !== entry || this.closed) {
          // timed out (and dropped) or closed while connecting: do not leak it
          ssh.dispose();
          throw new SshError('timeout', `ssh ${entry.target}: connected too late, after the per-host timeout.`);
        }
        entry.ssh = ssh;
        entry.connecting = undefined;
        const forget = () => {
          if (this.entries.get(id) === entry) this.entries.delete(id);
        };
        ssh.connection?.on('close', forget);
        // node-ssh drops its 'error' listener after the handshake: a later reset or keepalive
        // timeout (a host rebooting, a link dying) would be an uncaught exception that ends onedeck
        ssh.connection?.on('error', forget);
        return ssh;
      },
      (err) => {
        if (this.entries.get(id) === entry) this.entries.delete(id);
        throw err;
      },
    );
    this.entries.set(id, entry);
    return entry.connecting;
  }

  private async open(ep: SshEndpoint, entry: Entry, depth: number): Promise<NodeSSH> {
    const { NodeSSH, ssh2 } = await loadSshLibs();
    const resolver = this.opts.resolve ?? resolveSsh;
    const r = await resolver(ep.host, { configFile: this.opts.configFile, defaultUser: this.opts.user, port: ep.port });
    const target = `${r.user}@${r.hostname}:${r.port}`;
    entry.target = target;
    if (r.proxyCommand && !ep.via) {
      throw new SshError('config', `ssh ${target}: ssh_config sets ProxyCommand, which onedeck does not run.`, {
        hint: 'Use ProxyJump instead, or ssh.jump_via_frontend in onedeck.yaml.',
      });
    }
    let via = ep.via;
    if (!via && r.proxyJump) {
      if (r.proxyJump.includes(',')) {
        throw new SshError('config', `ssh ${target}: ProxyJump with several hops (${r.proxyJump}) is not supported.`, {
          hint: 'Give the first jump host its own ProxyJump in ssh_config instead.',
        });
      }
      const j = parseJumpSpec(r.proxyJump);
      via = { host: j.user ? `${j.user}@${j.host}` : j.host, port: j.port };
    }
    if (depth > 3) throw new SshError('config', `ssh ${target}: jump hosts nest more than 3 deep.`);

    const knownHostsFiles = this.opts.knownHosts ? [this.opts.knownHosts] : r.knownHostsFiles;
    const entries = readKnownHostsFiles(knownHostsFiles);
    // OpenSSH looks a HostKeyAlias up as is, never as [alias]:port
    const names = [r.hostKeyAlias ?? knownHostsName(r.hostname, r.port)];
    const { keys, keyDesc } = this.pickKey(r, ssh2);
    const agent = this.opts.agent === null ? undefined : (this.opts.agent ?? process.env.SSH_AUTH_SOCK);
    const ctx: ConnectContext = {
      target,
      host: r.hostKeyAlias ?? r.hostname,
      port: r.port,
      timeoutMs: this.opts.timeoutMs,
      keyDesc: [keyDesc, agent ? 'ssh-agent' : undefined].filter(Boolean).join(' and ') || 'no key',
      knownHostsFiles,
      knownHostsName: names[0],
    };
    if (keys.length === 0 && !agent) {
      throw new SshError('auth', `ssh ${target}: no key to authenticate with.`, {
        hint: 'Set ssh.key in onedeck.yaml, add an IdentityFile in ssh_config, or load a key into ssh-agent.',
      });
    }
    let sock: Duplex | undefined;
    if (via) {
      const jump = await this.connection(via, depth + 1);
      try {
        sock = (await jump.forwardOut('127.0.0.1', 0, r.hostname, r.port)) as unknown as Duplex;
      } catch (err) {
        throw new SshError('unreachable', `ssh ${target} via ${endpointId(via)}: the jump host could not open a channel (${(err as Error).message}).`, {
          hint: 'Check that the jump host can reach that address and that sshd there allows TCP forwarding.',
          cause: err,
        });
      }
    }
    const ssh = new NodeSSH();
    const cfg: NodeSshConfig = {
      host: r.hostname,
      port: r.port,
      username: r.user.includes('@') ? r.user.split('@')[0] : r.user,
      readyTimeout: this.opts.timeoutMs,
      keepaliveInterval: this.opts.keepaliveMs ?? 15_000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        const outcome: HostKeyOutcome = checkHostKey(entries, names, key);
        ctx.hostKey = outcome;
        return outcome.kind === 'ok';
      },
    };
    const serverHostKey = hostKeyAlgorithms(entries, names);
    if (serverHostKey) cfg.algorithms = { serverHostKey: serverHostKey as ServerHostKeyAlgorithm[] };
    // Nagle off: an SSH handshake is a string of small packets each waiting for the other
    // side, and Nagle with delayed ACKs holds some of them back ~40 ms each (~100 ms a login)
    cfg.sock = sock ?? createConnection({ host: r.hostname, port: r.port, noDelay: true });
    if (keys.length) {
      // the parsed keys (each read once), offered in turn, then the agent, as ssh does
      const username = cfg.username!;
      const methods: (PublicKeyAuthMethod | AgentAuthMethod)[] = keys.map((key) => ({ type: 'publickey', username, key }));
      if (agent) methods.push({ type: 'agent', username, agent });
      cfg.authHandler = methods;
    } else if (agent) cfg.agent = agent;
    try {
      await ssh.connect(cfg);
    } catch (err) {
      ssh.dispose();
      if (ctx.hostKey && ctx.hostKey.kind !== 'ok') throw hostKeyError(ctx, ctx.hostKey);
      throw connectError(err, ctx);
    }
    return ssh;
  }

  private pickKey(r: ResolvedSsh, ssh2: SshLibs['ssh2']): { keys: ParsedKey[]; keyDesc?: string } {
    const candidates = this.opts.key ? [this.opts.key] : r.identityFiles;
    const keys: { key: ParsedKey; file: string }[] = [];
    for (const file of candidates) {
      if (!existsSync(file)) {
        if (this.opts.key) {
          throw new SshError('config', `ssh key ${file} (ssh.key in onedeck.yaml) does not exist.`, { hint: 'Fix the path of ssh.key.' });
        }
        continue;
      }
      const named = this.opts.key ? ` (ssh.key in onedeck.yaml)` : '';
      if (statSync(file).isDirectory()) {
        if (!this.opts.key) continue;
        throw new SshError('config', `ssh key ${file}${named} is a directory, not a private key file.`, {
          hint: `Point ssh.key at the private key itself, for example ${file.replace(/\/+$/, '')}/id_ed25519.`,
        });
      }
      const parsed = readKey(file, ssh2);
      if (parsed instanceof Error) {
        // an encrypted key is left to the agent: onedeck never asks for passphrases
        if (!this.opts.key || /encrypted|passphrase/i.test(parsed.message)) continue;
        throw new SshError('config', `ssh key ${file}${named} is not a private key onedeck can read (${parsed.message}).`, {
          hint: 'Point ssh.key at an OpenSSH private key (not its .pub, not a certificate), e.g. one made by ssh-keygen -t ed25519.',
        });
      }
      keys.push({ key: parsed, file });
    }
    if (keys.length === 0) return { keys: [] };
    return { keys: keys.map((k) => k.key), keyDesc: `key ${keys.map((k) => k.file).join(', ')}` };
  }

  /** Forget a connection (closing it) so the next call reconnects. */
  drop(id: string): void {
    const e = this.entries.get(id);
    this.entries.delete(id);
    e?.ssh?.dispose();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [id] of this.entries) this.drop(id);
  }
}
