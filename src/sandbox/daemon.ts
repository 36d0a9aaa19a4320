// The sandbox daemon: one detached background process serving the fake Scaleway API, every
// simulated SSH host and the control endpoint, so the sandbox outlives the TUI that started it.
//   node dist/sandbox/daemon.js --dir <sandbox dir> --repo <onedeck checkout> --dist <dist dir>
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { configPath, configuredHypervisors, writeClientFiles, writeKnownHosts, writeOnedeckYaml } from './client-files.js';
import { failCommand, hostCommand, knobCommand, statusLines } from './control-commands.js';
import { startControl } from './control.js';
import { monitorTick } from './one-monitor.js';
import { startFakeScaleway, type FakeScaleway } from './scaleway-api/server.js';
import { startSshHosts } from './ssh-hosts/server.js';
import { createDefaultState, hostIndexFor, newSimHost } from './state-default.js';
import { infoPath, pidPath, type SandboxInfo } from './sandbox-paths.js';
import { SandboxStateStore, writeFileAtomic } from './state.js';

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) {
    process.stderr.write(`usage: daemon.js --dir DIR --repo REPO --dist DIST (missing --${name})\n`);
    process.exit(64);
  }
  return v;
}

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function main(): Promise<void> {
  const dir = arg('dir');
  const repoRoot = arg('repo');
  const distDir = arg('dist');
  const log = (l: string) => appendFileSync(join(dir, 'daemon.log'), `${new Date().toISOString()} ${l}\n`);
  writeFileSync(pidPath(dir), `${process.pid}\n`);
  const prev = existsSync(infoPath(dir)) ? (JSON.parse(readFileSync(infoPath(dir), 'utf8')) as Partial<SandboxInfo>) : {};
  const store = SandboxStateStore.open(dir, () => createDefaultState({ repoRoot }));
  const secretKey = store.get().secretKey;
  const portOf = (url?: string) => (url ? parseInt(new URL(url).port, 10) : 0);
  let api: FakeScaleway;
  try {
    api = await startFakeScaleway({ state: store, secretKey, port: portOf(prev.apiUrl), log: (l) => log(`api ${l}`) });
  } catch {
    api = await startFakeScaleway({ state: store, secretKey, log: (l) => log(`api ${l}`) });
  }
  const ssh = await startSshHosts({ store, dir, log });
  let stopping = false;
  const token = randomBytes(16).toString('hex');

  const reset = async () => {
    const old = store.get();
    // the reset cluster keeps the sandbox's project and credentials, so every object stays in the project
    const fresh = createDefaultState({ repoRoot, ids: old });
    for (const s of fresh.simHosts) s.port = old.simHosts.find((o) => o.name === s.name)?.port ?? 0;
    rmSync(join(dir, 'terraform'), { recursive: true, force: true });
    rmSync(configPath(dir), { force: true });
    store.replace(fresh);
    await ssh.reconcile();
    await writeClientFiles(dir, store, api.url, distDir);
  };

  const control = await startControl({
    token,
    port: portOf(prev.controlUrl) || undefined,
    handlers: {
      status: () => ({ pid: process.pid, apiUrl: api.url, cluster: store.get().cluster, hosts: statusLines(store) }),
      async command(args) {
        const [cmd, ...rest] = args;
        if (cmd === 'host') {
          const r = hostCommand(store, rest);
          await ssh.reconcile();
          return r;
        }
        if (cmd === 'fail') {
          const r = failCommand(store, rest);
          await ssh.reconcile();
          return r;
        }
        if (cmd === 'knob') return knobCommand(store, rest);
        if (cmd === 'reset') {
          await reset();
          return { code: 0, message: 'sandbox reset to its default state' };
        }
        if (cmd === 'stop') {
          setTimeout(() => void shutdown('stop requested'), 10);
          return { code: 0, message: 'sandbox daemon stopping' };
        }
        return { code: 64, message: `unknown sandbox command: ${cmd ?? ''}` };
      },
    },
  }).catch(() => startControl({ token, handlers: { status: () => ({}), command: async () => ({ code: 1, message: 'unavailable' }) } }));

  let signature = '';
  const sync = async () => {
    // hypervisors onedeck added to onedeck.yaml get a loopback SSH endpoint before their server exists
    const wanted = configuredHypervisors(dir) ?? [];
    const missing = wanted.filter((n) => /^[a-z][a-z0-9-]{0,62}$/.test(n) && !store.get().simHosts.some((h) => h.name === n));
    for (const name of missing) {
      const sim = newSimHost(name, 'hypervisor', hostIndexFor(store.get(), name), null, {});
      sim.port = await freePort(sim.address);
      sim.logs = {};
      sim.libvirtd = 'inactive';
      store.update((s) => void s.simHosts.push(sim));
    }
    const s = store.get();
    const sig = JSON.stringify(s.simHosts.map((h) => [h.name, h.address, h.port, h.privateIp]));
    if (sig !== signature || missing.length > 0) {
      writeKnownHosts(dir, s);
      writeOnedeckYaml(dir, s);
      signature = sig;
    }
  };

  await writeClientFiles(dir, store, api.url, distDir);
  await sync();
  const info: SandboxInfo = { pid: process.pid, apiUrl: api.url, controlUrl: control.url, token, startedAt: new Date().toISOString() };
  writeFileAtomic(infoPath(dir), JSON.stringify(info, null, 2) + '\n', 0o600);
  log(`ready: api ${api.url}, control ${control.url}, pid ${process.pid}`);

  let busy = false;
  const timer = setInterval(() => {
    if (busy || stopping) return;
    busy = true;
    const s = store.get();
    if (monitorTick(s, Math.floor(store.now() / 1000))) store.replace(s);
    sync()
      .catch((e: Error) => log(`sync: ${e.message}`))
      .finally(() => (busy = false));
  }, 1000);

  async function shutdown(why: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    log(`shutting down: ${why}`);
    clearInterval(timer);
    await Promise.allSettled([ssh.close(), api.close(), control.close()]);
    rmSync(infoPath(dir), { force: true });
    rmSync(pidPath(dir), { force: true });
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGHUP', () => {});
}

main().catch((err: Error) => {
  process.stderr.write(`onedeck sandbox daemon: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
