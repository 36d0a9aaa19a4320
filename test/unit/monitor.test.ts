import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ProbeView } from '../../src/domain/host.js';
import { HealthMonitor, stableKey } from '../../src/health/monitor.js';
import { createClusterStore } from '../../src/store/cluster-store.js';

const config = parseConfig(
  'cluster: prod\nscaleway: { zone: fr-par-2, project_id: 11111111-1111-1111-1111-111111111111 }\nfrontend: { name: fe, ssh: { host: 127.0.0.9 }, private_ip: 10.16.0.1 }\nrefresh_seconds: 3600\n',
  '/tmp/onedeck.yaml',
);
const store = () =>
  createClusterStore({ name: 'prod', zone: 'fr-par-2', region: 'fr-par', opennebulaVersion: '7.0', sandbox: false, configFile: null, refreshSeconds: 10 });

function monitorWith(probe: () => ProbeView, clock: { t: number }, scalewayFails = { v: false }) {
  const cluster = store();
  let sweeps = 0;
  let concurrent = 0;
  let maxConcurrent = 0;
  const m = new HealthMonitor(config, cluster, {
    clock: () => clock.t,
    inventory: async () => undefined,
    repoHooks: () => ({}),
    scaleway: async () => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      sweeps++;
      await new Promise((r) => setTimeout(r, 5));
      concurrent--;
      if (scalewayFails.v) throw new Error('boom');
      return { servers: [{ serverId: 's1', name: 'prod-fe', status: 'ready', installStatus: 'completed', pingStatus: 'ping_status_up', offer: 'EM', zone: 'fr-par-2', publicIps: [], privateNetworks: [], flexibleIps: [], tags: ['host=fe'], at: clock.t }], flexibleIps: [], warnings: [], at: clock.t };
    },
    opennebula: async () => ({ hosts: [{ id: '0', name: '10.16.0.1', state: 2, stateName: 'MONITORED', stale: false, runningVms: 0, vmIds: [], monitoredAt: 1000, at: clock.t }], vms: [], at: clock.t }),
    probe: async () => probe(),
  });
  return { m, cluster, stats: () => ({ sweeps, maxConcurrent }) };
}

describe('HealthMonitor', () => {
  it('replaces hosts only when something displayed changed; refreshedAt moves every sweep', async () => {
    const clock = { t: 1_000_000 };
    let libvirtd = 'active';
    const { m, cluster } = monitorWith(() => ({ reachable: true, libvirtdState: libvirtd, kvm: true, rttMs: 5, at: clock.t, lastOkAt: clock.t }), clock);
    await m.refreshNow();
    const first = cluster.getState().hosts;
    expect(first[0].verdict.kind).toBe('healthy');
    clock.t += 10_000;
    await m.refreshNow();
    expect(cluster.getState().hosts).toBe(first); // same array: no table re-render
    expect(cluster.getState().refreshedAt).toBe(clock.t);
    libvirtd = 'failed';
    clock.t += 10_000;
    await m.refreshNow();
    expect(cluster.getState().hosts).not.toBe(first);
    expect(cluster.getState().hosts[0].verdict).toEqual({ kind: 'degraded', reasons: ['libvirtd failed'] });
    await m.stop();
  });

  it('keeps the last Scaleway view with its old time when a read fails, and says so', async () => {
    const clock = { t: 1_000_000 };
    const fails = { v: false };
    const { m, cluster } = monitorWith(() => ({ reachable: true, libvirtdState: 'active', kvm: true, at: clock.t }), clock, fails);
    await m.refreshNow();
    fails.v = true;
    clock.t += 60_000;
    await m.refreshNow();
    const s = cluster.getState();
    expect(s.sourceErrors.scaleway).toBe('boom');
    expect(s.hosts[0].scaleway?.at).toBe(1_000_000);
    expect(s.hosts[0].verdict.kind).toBe('unknown');
    await m.stop();
  });

  it('never overlaps sweeps: refreshNow during a sweep joins it', async () => {
    const clock = { t: 1 };
    const { m, stats } = monitorWith(() => ({ reachable: true, libvirtdState: 'active', kvm: true, at: clock.t }), clock);
    await Promise.all([m.refreshNow(), m.refreshNow(), m.refreshNow()]);
    expect(stats()).toEqual({ sweeps: 1, maxConcurrent: 1 });
    await m.stop();
  });

  it('stop() does not wait for a sweep stuck on a slow source (quit and :reload stay prompt)', async () => {
    const cluster = store();
    let release!: () => void;
    const m = new HealthMonitor(config, cluster, {
      inventory: async () => undefined,
      repoHooks: () => ({}),
      // the Scaleway API hangs: the sweep would only end at its source timeout
      scaleway: () => new Promise((resolve, reject) => (release = () => reject(new Error('late')))),
      opennebula: async () => ({ hosts: [], vms: [], at: 1 }),
      probe: async () => ({ reachable: true, at: 1 }),
      sourceTimeoutMs: 60_000,
    });
    m.start();
    await new Promise((r) => setImmediate(r));
    expect(cluster.getState().refreshing).toBe(true);
    // the source is released only after stop() resolved: a stop() that waited for the sweep would
    // never resolve, and the test would fail on its timeout
    await m.stop();
    release();
  });

  it('a scheduled sweep shows "refreshing" only once it has run refreshingAfterMs; the first sweep and r show it at once', async () => {
    const until = async (what: () => boolean) => {
      while (!what()) await new Promise((r) => setTimeout(r, 5));
    };
    // every sweep waits until the test answers it
    const pending: (() => void)[] = [];
    const monitor = (cluster: ReturnType<typeof store>, refreshingAfterMs: number) =>
      new HealthMonitor(config, cluster, {
        refreshSeconds: 0.01,
        refreshingAfterMs,
        inventory: async () => undefined,
        repoHooks: () => ({}),
        scaleway: () => new Promise((_res, rej) => pending.push(() => rej(new Error('late')))),
        opennebula: async () => ({ hosts: [], vms: [], at: 1 }),
        probe: async () => ({ reachable: true, at: 1 }),
      });
    const answer = async () => {
      await until(() => pending.length > 0);
      pending.shift()!();
    };
    // a minute before a scheduled sweep would say so
    const a = store();
    const m = monitor(a, 60_000);
    m.start();
    expect(a.getState().refreshing).toBe(true); // the first sweep: at once
    await answer();
    await until(() => !a.getState().refreshing);
    await until(() => pending.length > 0); // the next, scheduled sweep runs, quietly
    expect(a.getState().refreshing).toBe(false);
    void m.refreshNow(); // r while it runs: at once
    expect(a.getState().refreshing).toBe(true);
    await answer();
    await until(() => !a.getState().refreshing);
    await m.stop();
    pending.splice(0).forEach((f) => f());
    // a scheduled sweep that has run 20 ms says so
    const b = store();
    const m2 = monitor(b, 20);
    m2.start();
    await answer();
    await until(() => !b.getState().refreshing);
    await until(() => pending.length > 0);
    await until(() => b.getState().refreshing);
    await answer();
    await until(() => !b.getState().refreshing);
    await m2.stop();
    pending.splice(0).forEach((f) => f());
  });

  it('stableKey ignores read timestamps only', () => {
    expect(stableKey({ a: 1, at: 5, x: { lastOkAt: 3, b: 2 } })).toBe(stableKey({ x: { b: 2, lastOkAt: 9 }, a: 1, at: 7 }));
    expect(stableKey({ rttMs: 5 })).not.toBe(stableKey({ rttMs: 6 }));
  });
});

describe('HealthMonitor: what the credentials leave out', () => {
  it('publishes cluster.access from IAM (asked again only after keyAccessEveryMs) and the probes, with one notice per new finding', async () => {
    const clock = { t: 1_000_000 };
    const cluster = store();
    let iamCalls = 0;
    let become = true;
    const m = new HealthMonitor(config, cluster, {
      clock: () => clock.t,
      inventory: async () => undefined,
      repoHooks: () => ({}),
      scaleway: async () => ({ servers: [], flexibleIps: [], warnings: [], at: clock.t }),
      opennebula: async () => ({ hosts: [], vms: [], at: clock.t }),
      probe: async () => ({ reachable: true, become, at: clock.t }),
      keyAccess: async () => {
        iamCalls++;
        return { determined: true, bearer: 'application ci 1f2e3d4c…', grants: [{ set: 'AllProductsReadOnly', projectIds: [config.scaleway.project_id] }] };
      },
      keyAccessEveryMs: 600_000,
    });
    await m.refreshNow();
    const a = cluster.getState().access!;
    expect(a.scaleway?.leftOut).toEqual(['apply', 'add', 'remove']);
    expect(a.ssh).toMatchObject({ user: 'ubuntu', noSudo: [], leftOut: [] });
    expect(cluster.getState().notices.map((n) => n.text)).toEqual([a.scaleway!.summary]);
    become = false;
    clock.t += 30_000;
    await m.refreshNow();
    expect(iamCalls).toBe(1);
    expect(cluster.getState().access?.ssh?.leftOut).toContain('deploy');
    expect(cluster.getState().notices.map((n) => n.text)).toEqual([a.scaleway!.summary, cluster.getState().access!.ssh!.summary]);
    const same = cluster.getState().access;
    clock.t += 600_000;
    await m.refreshNow();
    expect(iamCalls).toBe(2);
    // nothing changed: the same object, no new notice
    expect(cluster.getState().access).toBe(same);
    expect(cluster.getState().notices).toHaveLength(2);
    // r asks IAM again at once
    clock.t += 1000;
    await m.refreshNow({ credentials: true });
    expect(iamCalls).toBe(3);
    await m.stop();
  });
});
