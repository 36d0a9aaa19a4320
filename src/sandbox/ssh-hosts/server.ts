// One ssh2 Server per simulated host, each on its own 127.0.0.x address and port, with its own
// host key and publickey auth against the sandbox client key. A host whose SSH is "down" (or
// whose server is gone) has no listener at all, so connecting gets ECONNREFUSED.
import ssh2, { type Connection } from 'ssh2';
import { fastKey, type ParsedKey } from '../../adapters/ssh/fast-key.js';
import { ensureClientKey, ensureHostKey } from '../keys.js';
import type { SandboxStateStore } from '../state.js';
import type { SimHost } from '../state-types.js';
import { runCommand, wantsStdin } from './commands.js';

// ssh2 is CommonJS: Node's ESM loader only offers its default export
const { Server, utils } = ssh2;
type Server = InstanceType<typeof Server>;

interface Listener {
  server: Server;
  clients: Set<Connection>;
  address: string;
  port: number;
}

export interface SshHosts {
  /** bring listeners in line with the state (awaitable; also runs on every state change) */
  reconcile(): Promise<void>;
  close(): Promise<void>;
}

export async function startSshHosts(opts: { store: SandboxStateStore; dir: string; log?: (l: string) => void }): Promise<SshHosts> {
  const { store, dir } = opts;
  const log = opts.log ?? (() => {});
  const parsed = utils.parseKey(ensureClientKey(dir).publicKey);
  if (parsed instanceof Error) throw parsed;
  // verified with a KeyObject made once, not its PEM decoded at every login (200 hosts' sweeps)
  const allowed = fastKey((Array.isArray(parsed) ? parsed[0] : parsed) as ParsedKey);
  const listeners = new Map<string, Listener>();
  // injected network latency (the bench's 200-host sweep): one delay per login and per command
  const latencyMs = Number(process.env.ONEDECK_SANDBOX_SSH_LATENCY_MS) || 0;
  const later = (f: () => void) => (latencyMs > 0 ? void setTimeout(f, latencyMs) : f());
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  function makeServer(name: string): Server {
    const hostKey = utils.parseKey(ensureHostKey(dir, name).privateKey);
    if (hostKey instanceof Error) throw hostKey;
    const key = fastKey((Array.isArray(hostKey) ? hostKey[0] : hostKey) as ParsedKey);
    return new Server({ hostKeys: [{ key }] }, (client) => {
      // Nagle off, as onedeck's client does: delayed ACKs would hold each login ~100 ms
      (client as unknown as { setNoDelay(on: boolean): void }).setNoDelay(true);
      const l = listeners.get(name);
      l?.clients.add(client);
      client.on('close', () => l?.clients.delete(client));
      client.on('error', () => {});
      let user: string | undefined;
      client.on('authentication', (ctx) => {
        user = ctx.username;
        if (ctx.method === 'publickey' && ctx.key.algo === allowed.type && ctx.key.data.equals(allowed.getPublicSSH())) {
          if (!ctx.signature) return ctx.accept();
          if (allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true) return later(() => ctx.accept());
        }
        ctx.reject(['publickey']);
      });
      client.on('ready', () => {
        client.on('session', (acceptSession) => {
          const session = acceptSession();
          session.on('pty', (accept) => accept?.());
          session.on('env', (accept) => accept?.());
          session.on('exec', (accept, _reject, info) => {
            const stream = accept();
            const finish = (stdin: Buffer) => {
              let r;
              try {
                r = runCommand(store, name, info.command, stdin, user);
              } catch (err) {
                r = { stdout: '', stderr: `sandbox: ${(err as Error).message}\n`, code: 1 };
              }
              log(`ssh ${name}: exit ${r.code}: ${info.command.includes('onedeck-probe') ? '<probe>' : info.command.slice(0, 120)}`);
              if (r.stdout) stream.write(r.stdout);
              if (r.stderr) stream.stderr.write(r.stderr);
              if (r.follow) return follow(name, r.follow, stream);
              stream.exit(r.code);
              stream.end();
            };
            if (!wantsStdin(info.command)) return later(() => finish(Buffer.alloc(0)));
            const chunks: Buffer[] = [];
            stream.on('data', (c: Buffer) => chunks.push(c));
            stream.on('end', () => finish(Buffer.concat(chunks)));
          });
        });
      });
    });
  }

  /** `tail -F`: keep the channel open and send log lines as they are appended, until it closes. */
  function follow(name: string, paths: string[], stream: { write(s: string): unknown; on(ev: 'close', f: () => void): unknown }): void {
    const logsOf = () => store.get().simHosts.find((x) => x.name === name)?.logs ?? {};
    const seen = new Map(paths.map((p) => [p, logsOf()[p]?.length ?? 0]));
    const off = store.onChange(() => {
      const logs = logsOf();
      for (const [p, n] of seen) {
        const lines = logs[p] ?? [];
        if (lines.length > n) stream.write(lines.slice(n).map((l) => `${l}\n`).join(''));
        seen.set(p, lines.length);
      }
    });
    stream.on('close', off);
  }

  async function listen(h: SimHost): Promise<void> {
    const server = makeServer(h.name);
    const entry: Listener = { server, clients: new Set(), address: h.address, port: h.port };
    listeners.set(h.name, entry);
    const tryListen = (port: number) =>
      new Promise<number>((resolve, reject) => {
        const onErr = (e: Error) => reject(e);
        server.once('error', onErr);
        server.listen(port, h.address, () => {
          server.off('error', onErr);
          resolve((server.address() as { port: number }).port);
        });
      });
    let port: number;
    try {
      port = await tryListen(h.port);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || h.port === 0) throw err;
      port = await tryListen(0);
    }
    entry.port = port;
    if (port !== h.port) store.update((s) => void (s.simHosts.find((x) => x.name === h.name)!.port = port));
    log(`ssh ${h.name}: listening on ${h.address}:${port}`);
  }

  async function unlisten(name: string): Promise<void> {
    const l = listeners.get(name);
    if (!l) return;
    listeners.delete(name);
    for (const c of l.clients) c.end();
    await new Promise<void>((resolve) => l.server.close(() => resolve()));
    log(`ssh ${name}: stopped`);
  }

  async function doReconcile(): Promise<void> {
    const hosts = store.get().simHosts;
    for (const name of [...listeners.keys()]) {
      const h = hosts.find((x) => x.name === name);
      if (closed || !h || !h.sshUp || !h.serverId || listeners.get(name)!.address !== h.address) await unlisten(name);
    }
    if (closed) return;
    for (const h of hosts) if (h.sshUp && h.serverId && !listeners.has(h.name)) await listen(h);
  }

  const reconcile = () => (chain = chain.then(doReconcile, doReconcile));
  const off = store.onChange(() => void reconcile().catch((e: Error) => log(`ssh reconcile: ${e.message}`)));
  await reconcile();
  return {
    reconcile,
    async close() {
      closed = true;
      off();
      await reconcile();
    },
  };
}
