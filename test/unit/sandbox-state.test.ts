// The sandbox state's time-driven parts with an injected clock: server delivery, OpenNebula
// monitoring reacting to a node's SSH or libvirtd, and a forced ERROR from the control knobs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hostCommand } from '../../src/sandbox/control-commands.js';
import { DELIVERY_MS } from '../../src/sandbox/lifecycle.js';
import { effectiveHost, monitorTick } from '../../src/sandbox/one-monitor.js';
import { createDefaultState } from '../../src/sandbox/state-default.js';
import { SandboxStateStore } from '../../src/sandbox/state.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function store(now: { t: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'onedeck-sbx-state-'));
  dirs.push(dir);
  return new SandboxStateStore(dir, createDefaultState({ repoRoot: '/nonexistent', now: now.t }), () => now.t);
}

describe('sandbox state', () => {
  it('starts with fe + kvm-1..3 and kvm-2 in ERROR because libvirtd is inactive', () => {
    const now = { t: Date.UTC(2026, 10, 27, 14, 0, 0) };
    const s = store(now).get();
    expect(s.simHosts.map((h) => h.name)).toEqual(['fe', 'kvm-1', 'kvm-2', 'kvm-3']);
    const states = s.one.hosts.map((h) => effectiveHost(s, h).state);
    expect(states).toEqual([2, 2, 3, 2]);
    expect(effectiveHost(s, s.one.hosts[2]).error).toMatch(/^Fri Nov 27 13:40:00 2026 : Error monitoring Host 10\.16\.0\.4 \(2\): .*libvirt/);
  });

  it('delivers a created server over a few seconds and boots its simulated host', () => {
    const now = { t: Date.UTC(2026, 10, 27, 14, 0, 0) };
    const st = store(now);
    const id = st.update((s) => {
      const srv = { ...s.servers[0], id: 'new-server', name: 'sandbox-kvm-4', tags: ['onedeck', 'cluster=sandbox', 'role=hypervisor', 'host=kvm-4'], status: 'delivering', install: { ...s.servers[0].install!, status: 'to_install' } };
      s.servers.push(srv);
      s.transitions.push({ serverId: srv.id, kind: 'create', startedAt: now.t });
      return srv.id;
    });
    const srv = () => st.get().servers.find((x) => x.id === id)!;
    expect(srv().status).toBe('delivering');
    now.t += DELIVERY_MS.ready;
    expect([srv().status, srv().install!.status]).toEqual(['ready', 'to_install']);
    now.t += DELIVERY_MS.completed;
    expect([srv().status, srv().install!.status, srv().ping_status]).toEqual(['ready', 'completed', 'ping_status_up']);
    const sim = st.get().simHosts.find((h) => h.name === 'kvm-4')!;
    expect(sim).toMatchObject({ serverId: id, sshUp: true, libvirtd: 'inactive', address: '127.0.0.15' });
  });

  it('turns a host ERROR when its SSH stops and MONITORED again when it is back', () => {
    const now = { t: Date.UTC(2026, 10, 27, 14, 0, 0) };
    const st = store(now);
    const kvm3 = () => st.get().one.hosts.find((h) => h.hostname === 'kvm-3')!;
    expect(hostCommand(st, ['kvm-3', 'ssh', 'down']).code).toBe(0);
    const s = st.get();
    monitorTick(s, now.t / 1000 + 1);
    expect(effectiveHost(s, kvm3())).toMatchObject({ state: 3 });
    expect(effectiveHost(s, kvm3()).error).toMatch(/port 22: Connection refused$/);
    hostCommand(st, ['kvm-3', 'ssh', 'up']);
    monitorTick(s, now.t / 1000 + 20);
    expect(effectiveHost(s, kvm3())).toMatchObject({ state: 2, error: null, timestamp: now.t / 1000 + 20 });
  });

  it('forces an ERROR with a message until MONITORED is set again', () => {
    const now = { t: Date.UTC(2026, 10, 27, 14, 0, 0) };
    const st = store(now);
    expect(hostCommand(st, ['kvm-1', 'one-state', 'ERROR', 'boom']).code).toBe(0);
    const h = () => st.get().one.hosts[1];
    expect(effectiveHost(st.get(), h())).toMatchObject({ state: 3, error: 'Fri Nov 27 14:00:00 2026 : boom' });
    monitorTick(st.get(), now.t / 1000 + 30);
    expect(effectiveHost(st.get(), h()).state).toBe(3);
    hostCommand(st, ['kvm-1', 'one-state', 'MONITORED']);
    expect(effectiveHost(st.get(), h()).state).toBe(2);
    expect(hostCommand(st, ['kvm-1', 'one-state', 'BOGUS']).code).toBe(64);
    expect(hostCommand(st, ['nope', 'ssh', 'down']).code).toBe(1);
  });
});
