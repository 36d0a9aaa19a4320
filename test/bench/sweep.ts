// The bench's health sweep: N simulated sandbox hosts (real SSH servers on 127.0.0.x, the
// sandbox's own ssh-hosts with ONEDECK_SANDBOX_SSH_LATENCY_MS of injected latency per login and
// per command), probed the way a sweep probes them (probeHost over one SshPool, p-limit with the
// configured concurrency). Prints one JSON line: one cold probe, a cold sweep, a warm sweep (ms),
// and the CPU the sweeps took in this process (client and the simulated hosts' servers alike).
//   tsx test/bench/sweep.ts HOSTS LATENCY_MS CONCURRENCY
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { SshPool, type SshEndpoint } from '../../src/adapters/ssh/connection-pool.js';
import { probeHost } from '../../src/health/probe.js';
import { writeKnownHosts, knownHostsPath } from '../../src/sandbox/client-files.js';
import { clientKeyPath } from '../../src/sandbox/keys.js';
import { createDefaultState, newSimHost } from '../../src/sandbox/state-default.js';
import { SandboxStateStore } from '../../src/sandbox/state.js';

const [hostsArg, latencyArg, concArg] = process.argv.slice(2);
const count = Number(hostsArg ?? 200);
process.env.ONEDECK_SANDBOX_SSH_LATENCY_MS = String(Number(latencyArg ?? 100));
const concurrency = Number(concArg ?? 8);
const repoRoot = resolve(import.meta.dirname, '../..');

const { startSshHosts } = await import('../../src/sandbox/ssh-hosts/server.js');
const dir = mkdtempSync(join(tmpdir(), 'onedeck-bench-sweep-'));
try {
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
  const newPool = () => new SshPool({ user: 'root', key: clientKeyPath(dir), knownHosts: knownHostsPath(dir), timeoutMs: 60_000, agent: null });
  const repoHooks = state.hookHashes;

  const probeAll = async (pool: SshPool) => {
    const limit = pLimit(concurrency);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const views = await Promise.all(eps.map((ep) => limit(() => probeHost(pool, ep, { repoHooks, timeoutMs: 60_000 }))));
    const c = process.cpuUsage(c0);
    return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, reachable: views.filter((v) => v.reachable).length, error: views.find((v) => !v.reachable)?.error };
  };

  // one probe of one host on a fresh connection: the unit a sweep is compared with
  const onePool = newPool();
  const t0 = performance.now();
  const one = await probeHost(onePool, eps[1], { repoHooks, timeoutMs: 60_000 });
  const oneMs = performance.now() - t0;
  onePool.close?.();
  const pool = newPool();
  const cold = await probeAll(pool);
  const warm = await probeAll(pool);
  pool.close?.();
  await hosts.close();
  console.log(JSON.stringify({ hosts: count, concurrency, latencyMs: Number(process.env.ONEDECK_SANDBOX_SSH_LATENCY_MS), oneMs, oneOk: one.reachable, oneError: one.error, coldMs: cold.ms, coldCpuMs: cold.cpuMs, warmCpuMs: warm.cpuMs, coldReachable: cold.reachable, coldError: cold.error, warmMs: warm.ms, warmReachable: warm.reachable }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
