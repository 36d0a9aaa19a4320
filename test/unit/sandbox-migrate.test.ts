// The sandbox's scheduler, live migration, delivery knobs and faults, driven by an injected clock.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advanceLifecycle } from '../../src/sandbox/lifecycle.js';
import { NO_ROOM, advanceOne } from '../../src/sandbox/one-migrate.js';
import { vmJson } from '../../src/sandbox/ssh-hosts/one-json.js';
import { clearFaults, consumeFault } from '../../src/sandbox/state-faults.js';
import { createDefaultState } from '../../src/sandbox/state-default.js';
import type { SandboxState } from '../../src/sandbox/state-types.js';

const repoRoot = resolve(__dirname, '../..');
const T0 = 1_790_000_000_000;
const fresh = () => createDefaultState({ repoRoot, now: T0 });
const id = (s: SandboxState, name: string) => s.one.hosts.find((h) => h.hostname === name)!.id;

describe('sandbox scheduler and live migration', () => {
  it('moves a rescheduled VM to the enabled host with the most free memory, MIGRATE then RUNNING', () => {
    const s = fresh();
    const vm = s.one.vms.find((v) => v.name === 'web-1')!;
    s.one.hosts.find((h) => h.hostname === 'kvm-1')!.state = 4;
    vm.resched = true;
    expect(advanceOne(s, T0)).toBe(true);
    // fe runs db-1 (8 GiB): kvm-3 has more room; kvm-2 is in ERROR
    expect(vm).toMatchObject({ lcmState: 4, hostId: id(s, 'kvm-1'), migrating: { to: id(s, 'kvm-3') } });
    const hist = (vmJson(s, vm).HISTORY_RECORDS as { HISTORY: { HID: string }[] }).HISTORY;
    expect(hist.map((h) => h.HID)).toEqual([String(id(s, 'kvm-1')), String(id(s, 'kvm-3'))]);
    advanceOne(s, T0 + 1499);
    expect(vm.lcmState).toBe(4);
    advanceOne(s, T0 + 1500);
    expect(vm).toMatchObject({ lcmState: 3, hostId: id(s, 'kvm-3'), resched: false });
    expect(vm.migrating).toBeUndefined();
  });

  it('with no room the VM stays, and the scheduler says so again each second', () => {
    const s = fresh();
    for (const h of s.one.hosts) if (h.hostname !== 'kvm-1') h.totalMemKb = 1024;
    const vm = s.one.vms.find((v) => v.name === 'web-1')!;
    vm.resched = true;
    advanceOne(s, T0);
    expect(vm.hostId).toBe(id(s, 'kvm-1'));
    expect(vm.schedMessage).toMatch(new RegExp(` : ${NO_ROOM.replace(/[.]/g, '\\.')}$`));
    const first = vm.schedMessage;
    advanceOne(s, T0 + 1000);
    expect(vm.schedMessage).not.toBe(first);
    expect((vmJson(s, vm).USER_TEMPLATE as { SCHED_MESSAGE: string }).SCHED_MESSAGE).toBe(vm.schedMessage);
  });

  it('a `migrate` fault fails the next migration: the VM stays with OpenNebula\'s ERROR', () => {
    const s = fresh();
    s.faults = ['migrate'];
    const vm = s.one.vms.find((v) => v.name === 'web-1')!;
    vm.resched = true;
    advanceOne(s, T0);
    advanceOne(s, T0 + 1500);
    expect(vm).toMatchObject({ hostId: id(s, 'kvm-1'), lcmState: 3, resched: false });
    expect(vm.error).toMatch(/Error live-migrating VM 10 to host 10\.16\.0\.5/);
    expect(s.faults).toEqual([]);
  });

  it('the migrate-ms knob makes migrations slower', () => {
    const s = fresh();
    s.knobs = { migrateMs: 20_000 };
    const vm = s.one.vms.find((v) => v.name === 'web-1')!;
    vm.resched = true;
    advanceOne(s, T0);
    advanceOne(s, T0 + 19_999);
    expect(vm.lcmState).toBe(4);
    advanceOne(s, T0 + 20_000);
    expect(vm.lcmState).toBe(3);
  });
});

describe('sandbox server delivery', () => {
  const newServer = (s: SandboxState, failInstall = false) => {
    const srv = { ...s.servers[1], id: 'new', name: 'sandbox-kvm-4', tags: ['onedeck', 'host=kvm-4', 'role=hypervisor'], status: 'delivering', install: { ...s.servers[1].install!, status: 'to_install' } };
    s.servers.push(srv);
    s.transitions.push({ serverId: 'new', kind: 'create', startedAt: T0, ...(failInstall ? { failInstall } : {}) });
    return srv;
  };

  it('goes delivering, ready/to_install, installing, completed, scaled by delivery-scale; its SSH host boots', () => {
    const s = fresh();
    s.knobs = { deliveryScale: 10 };
    const srv = newServer(s);
    const at = (ms: number) => (advanceLifecycle(s, T0 + ms), `${srv.status}/${srv.install!.status}`);
    expect(at(11_999)).toBe('delivering/to_install');
    expect(at(12_000)).toBe('ready/to_install');
    expect(at(25_000)).toBe('ready/installing');
    expect(s.simHosts.find((h) => h.name === 'kvm-4')).toBeUndefined();
    expect(at(45_000)).toBe('ready/completed');
    expect(s.simHosts.find((h) => h.name === 'kvm-4')).toMatchObject({ serverId: 'new', sshUp: true, address: '127.0.0.15' });
  });

  it('a server-ready fault ends the install in error until the faults are cleared', () => {
    const s = fresh();
    const srv = newServer(s, true);
    advanceLifecycle(s, T0 + 10_000);
    expect(`${srv.status}/${srv.install!.status}`).toBe('ready/error');
    expect(s.simHosts.find((h) => h.name === 'kvm-4')).toBeUndefined();
    clearFaults(s, T0 + 10_000);
    advanceLifecycle(s, T0 + 10_001);
    expect(srv.install!.status).toBe('installing');
    advanceLifecycle(s, T0 + 12_000);
    expect(srv.install!.status).toBe('completed');
    expect(s.simHosts.find((h) => h.name === 'kvm-4')?.serverId).toBe('new');
  });

  it('a fault is consumed once', () => {
    const s = fresh();
    s.faults = ['apply', 'apply'];
    expect([consumeFault(s, 'apply'), consumeFault(s, 'apply'), consumeFault(s, 'apply')]).toEqual([true, true, false]);
  });
});
