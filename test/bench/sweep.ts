// The bench's health sweep: N simulated sandbox hosts (real SSH servers on 127.0.0.x, the
// sandbox's own ssh-hosts with ONEDECK_SANDBOX_SSH_LATENCY_MS of injected latency per login and
// per command), probed the way a sweep probes them (probeHost over one SshPool, resolved through
// ssh_config by `ssh -G`, p-limit with the configured concurrency). The simulated hosts run in a
// child process, as the sandbox daemon does, so onedeck's CPU and the bench's are told apart.
// Prints one JSON line: one cold probe, a cold sweep, a warm sweep (ms), the CPU each took in
// onedeck's process and in the hosts' process, and the `ssh -G` processes spawned.
//   tsx test/bench/sweep.ts HOSTS LATENCY_MS CONCURRENCY
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';
import { SshPool, type SshEndpoint } from '../../src/adapters/ssh/connection-pool.js';
import { sshGSpawns } from '../../src/adapters/ssh/ssh-config.js';
import { probeHost } from '../../src/health/probe.js';
import { writeKnownHosts, knownHostsPath } from '../../src/sandbox/client-files.js';
import { clientKeyPath } from '../../src/sandbox/keys.js';
import { createDefaultState, newSimHost } from '../../src/sandbox/state-default.js';
import { SandboxStateStore } from '../../src/sandbox/state.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const CLK_TCK = 100;

if (process.argv[2] === '--serve') await serve(Number(process.argv[3]), process.argv[4]);
else await bench();

/** the simulated hosts: prints {eps, hookHashes} once listening; stops when stdin ends */
async function serve(count: number, dir: string): Promise<void> {
  const { startSshHosts } = await import('../../src/sandbox/ssh-hosts/server.js');
  const state = createDefaultState({ repoRoot });
  // the default cluster's hosts, then hypervisors up to `count` (127.0.0.10 + n stays in 127/8)
  for (let n = state.simHosts.length; n < count; n++) {
    state.simHosts.push(newSimHost(`kvm-${n}`, 'hypervisor', n, `bench-${n}`, state.hookHashes));
  }
  state.simHosts = state.simHosts.slice(0, count).map((h) => ({ ...h, sshUp: true, serverId: h.serverId ?? 'bench' }));
  const store = new SandboxStateStore(join(dir, 'state'), state);
  const hosts = await startSshHosts({ store, dir });
  await hosts.reconcile();
  writeKnownHosts(dir, store.get());
  const eps: SshEndpoint[] = store.get().simHosts.map((h) => ({ host: h.address, port: h.port }));
  process.stdout.write(`${JSON.stringify({ eps, hookHashes: state.hookHashes })}\n`);
  process.stdin.resume();
  await new Promise((r) => process.stdin.once('end', r));
  await hosts.close();
  process.exit(0);
}

function cpuMs(pid: number): number {
  const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(rest[11]) + Number(rest[12])) * 1000) / CLK_TCK;
}

async function bench(): Promise<void> {
  const [hostsArg, latencyArg, concArg] = process.argv.slice(2);
  const count = Number(hostsArg ?? 200);
  const latencyMs = Number(latencyArg ?? 100);
  const concurrency = Number(concArg ?? 8);
  const dir = mkdtempSync(join(tmpdir(), 'onedeck-bench-sweep-'));
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--serve', String(count), dir], {
    cwd: repoRoot,
    env: { ...process.env, ONEDECK_SANDBOX_SSH_LATENCY_MS: String(latencyMs) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const first = await new Promise<string>((res, rej) => {
      createInterface({ input: child.stdout! }).once('line', res);
      child.once('exit', (c) => rej(new Error(`the simulated hosts exited (${c})`)));
    });
    const { eps, hookHashes: repoHooks } = JSON.parse(first) as { eps: SshEndpoint[]; hookHashes: Record<string, string> };
    const newPool = () => new SshPool({ user: 'root', key: clientKeyPath(dir), knownHosts: knownHostsPath(dir), timeoutMs: 60_000, agent: null });

    const probeAll = async (pool: SshPool) => {
      const limit = pLimit(concurrency);
      const spawned = sshGSpawns();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const h0 = cpuMs(child.pid!);
      const views = await Promise.all(eps.map((ep) => limit(() => probeHost(pool, ep, { repoHooks, timeoutMs: 60_000 }))));
      const c = process.cpuUsage(c0);
      return {
        ms: performance.now() - t0,
        cpuMs: (c.user + c.system) / 1000,
        hostsCpuMs: cpuMs(child.pid!) - h0,
        sshG: sshGSpawns() - spawned,
        reachable: views.filter((v) => v.reachable).length,
        error: views.find((v) => !v.reachable)?.error,
      };
    };

    // one probe of one host on a fresh connection: the unit a sweep is compared with
    const onePool = newPool();
    const t0 = performance.now();
    const one = await probeHost(onePool, eps[1], { repoHooks, timeoutMs: 60_000 });
    const oneMs = performance.now() - t0;
    await onePool.close();
    const pool = newPool();
    const cold = await probeAll(pool);
    const warm = await probeAll(pool);
    await pool.close();
    // the cold sweep again in a new pool: its connections are new, its `ssh -G` answers cached
    const again = newPool();
    const recold = await probeAll(again);
    await again.close();
    console.log(
      JSON.stringify({
        hosts: count,
        concurrency,
        latencyMs,
        oneMs,
        oneOk: one.reachable,
        oneError: one.error,
        coldMs: cold.ms,
        coldCpuMs: cold.cpuMs,
        coldHostsCpuMs: cold.hostsCpuMs,
        coldSshG: cold.sshG,
        coldReachable: cold.reachable,
        coldError: cold.error,
        warmMs: warm.ms,
        warmCpuMs: warm.cpuMs,
        warmSshG: warm.sshG,
        warmReachable: warm.reachable,
        recoldMs: recold.ms,
        recoldSshG: recold.sshG,
      }),
    );
  } finally {
    child.stdin!.end();
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}
