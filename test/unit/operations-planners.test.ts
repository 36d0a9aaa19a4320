import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHostCapacities, parseVmDemands, type HostCapacity, type VmDemand } from '../../src/operations/capacity.js';
import { checkAddNames, checkRemoveName, nextFreeName, nextFreeNames } from '../../src/operations/names.js';
import { checkAddPlan, checkRemovePlan, PER_HOST_RESOURCES, planCheckError } from '../../src/operations/plan-check.js';
import { assertFits, findOneHost, previewLines, previewRemoval } from '../../src/operations/removal-preview.js';
import { hostPoolJson, vmPoolJson } from '../../src/sandbox/ssh-hosts/one-json.js';
import { createDefaultState } from '../../src/sandbox/state-default.js';

const repo = resolve(__dirname, '../..');
const per = (host: string, action: string) => PER_HOST_RESOURCES.map((b) => ({ addr: `${b}["${host}"]`, action }));

describe('plan check', () => {
  it('knows every per-host resource of terraform/ (for_each = local.hosts)', () => {
    const tf = join(repo, 'terraform');
    const found: string[] = [];
    for (const f of readdirSync(tf).filter((x) => x.endsWith('.tf'))) {
      const text = readFileSync(join(tf, f), 'utf8');
      for (const m of text.matchAll(/resource\s+"([^"]+)"\s+"([^"]+)"\s*\{([^}]*)/g)) {
        if (/for_each\s*=\s*local\.hosts\b/.test(m[3])) found.push(`${m[1]}.${m[2]}`);
      }
    }
    expect(found.sort()).toEqual([...PER_HOST_RESOURCES].sort());
  });

  it('accepts an add that creates exactly the new hosts, data reads and no-ops included', () => {
    const res = [...per('kvm-4', 'create'), ...per('kvm-5', 'create'), { addr: 'data.scaleway_baremetal_offer.host', action: 'read' }, { addr: 'scaleway_vpc.main', action: 'noop' }];
    expect(checkAddPlan(res, ['kvm-4', 'kvm-5'])).toEqual({ ok: true, unexpected: [], missing: [] });
  });

  it('refuses an add that changes anything else, and lists it', () => {
    const res = [...per('kvm-4', 'create'), { addr: 'scaleway_baremetal_server.host["kvm-1"]', action: 'replace' }, { addr: 'scaleway_vpc.main', action: 'update' }];
    const c = checkAddPlan(res, ['kvm-4']);
    expect(c.ok).toBe(false);
    expect(c.unexpected).toEqual([
      { addr: 'scaleway_baremetal_server.host["kvm-1"]', action: 'replace' },
      { addr: 'scaleway_vpc.main', action: 'update' },
    ]);
    expect(planCheckError(c, 'adding kvm-4').message).toContain('replace scaleway_baremetal_server.host["kvm-1"]');
  });

  it("accepts an add that replaces the new hosts' own resources (an apply stopped mid-create tainted them), not another host's", () => {
    const res = [...per('kvm-5', 'create').filter((r) => !r.addr.startsWith('scaleway_baremetal_server.')), { addr: 'scaleway_baremetal_server.host["kvm-5"]', action: 'replace' }];
    expect(checkAddPlan(res, ['kvm-5'])).toEqual({ ok: true, unexpected: [], missing: [] });
    expect(checkAddPlan([...res, { addr: 'scaleway_flexible_ip.host["kvm-1"]', action: 'replace' }], ['kvm-5']).unexpected).toEqual([{ addr: 'scaleway_flexible_ip.host["kvm-1"]', action: 'replace' }]);
    expect(checkRemovePlan([...per('kvm-2', 'delete').slice(1), { addr: 'scaleway_baremetal_server.host["kvm-2"]', action: 'replace' }], 'kvm-2').ok).toBe(false);
  });

  it('refuses an add whose plan lacks the server or the Flexible IP', () => {
    const c = checkAddPlan([{ addr: 'scaleway_baremetal_server.host["kvm-4"]', action: 'create' }], ['kvm-4']);
    expect(c).toMatchObject({ ok: false, missing: ['scaleway_flexible_ip.host["kvm-4"]'] });
  });

  it('a remove must destroy exactly that host', () => {
    expect(checkRemovePlan(per('kvm-2', 'delete'), 'kvm-2').ok).toBe(true);
    const wrong = checkRemovePlan([...per('kvm-2', 'delete'), { addr: 'scaleway_flexible_ip.host["kvm-3"]', action: 'delete' }], 'kvm-2');
    expect(wrong.unexpected).toEqual([{ addr: 'scaleway_flexible_ip.host["kvm-3"]', action: 'delete' }]);
    // creating the host's resources is not destroying them
    expect(checkRemovePlan(per('kvm-2', 'create'), 'kvm-2').ok).toBe(false);
    expect(checkRemovePlan([], 'kvm-2').missing).toHaveLength(2);
  });
});

const host = (id: string, hostname: string, o: Partial<HostCapacity> = {}): HostCapacity => ({
  id, name: `10.0.0.${id}`, hostname, state: 2, maxCpu: 400, usedCpu: 0, maxMemKb: 8 * 1048576, usedMemKb: 0, vmIds: [], ...o,
});
const vm = (id: string, hostId: string, cpu: number, memGb: number): VmDemand => ({ id, name: `vm-${id}`, state: 3, lcmState: 3, hostId, cpu, memKb: memGb * 1048576 });

describe('removal preview', () => {
  it('places each VM on an enabled host with room', () => {
    const hosts = [host('1', 'kvm-1', { usedCpu: 100, usedMemKb: 6 * 1048576 }), host('2', 'kvm-2', { vmIds: ['7', '8'] }), host('3', 'kvm-3'), host('4', 'kvm-4', { state: 4 })];
    const p = previewRemoval(hosts, [vm('7', '2', 200, 4), vm('8', '2', 100, 3)], hosts[1]);
    expect(p.fits).toBe(true);
    expect(p.vms.map((x) => [x.vm.id, x.to?.hostname])).toEqual([['7', 'kvm-3'], ['8', 'kvm-3']]);
    expect(p.room.map((r) => r.hostname)).toEqual(['kvm-1', 'kvm-3']); // disabled kvm-4 is no target
    expect(previewLines(p)[0]).toBe('kvm-2 runs 2 VMs:');
    expect(() => assertFits(p)).not.toThrow();
  });

  it('refuses when the VMs cannot fit, naming them', () => {
    const hosts = [host('1', 'kvm-1', { usedMemKb: 7 * 1048576 }), host('2', 'kvm-2')];
    const p = previewRemoval(hosts, [vm('9', '2', 100, 2)], hosts[1]);
    expect(p.fits).toBe(false);
    expect(() => assertFits(p)).toThrow(/kvm-2 cannot be removed: VM 9 vm-9 \(1 CPU, 2\.0 GiB\) fits on no other enabled host/);
  });

  it('ignores VMs that left the host (DONE, UNDEPLOYED)', () => {
    const hosts = [host('1', 'kvm-1'), host('2', 'kvm-2')];
    const p = previewRemoval(hosts, [{ ...vm('5', '2', 100, 1), state: 6 }, { ...vm('6', '2', 100, 1), state: 9 }], hosts[1]);
    expect(p.vms).toEqual([]);
  });

  it('reads capacities from the sandbox frontend\'s onehost/onevm JSON', () => {
    const s = createDefaultState({ repoRoot: repo, now: 1_790_000_000_000 });
    const hosts = parseHostCapacities(hostPoolJson(s));
    const vms = parseVmDemands(vmPoolJson(s));
    const kvm1 = findOneHost(hosts, 'kvm-1')!;
    expect(kvm1).toMatchObject({ hostname: 'kvm-1', maxCpu: 3200, usedCpu: 200, usedMemKb: 3072 * 1024 });
    expect(vms.find((v) => v.name === 'web-1')).toMatchObject({ hostId: kvm1.id, cpu: 100, memKb: 2048 * 1024 });
    const p = previewRemoval(hosts, vms, kvm1);
    expect(p.vms.map((x) => x.vm.name)).toEqual(['web-1', 'worker-1']);
    // kvm-2 is in ERROR (libvirtd down): not a target
    expect(p.vms.every((x) => x.to && x.to.hostname !== 'kvm-2')).toBe(true);
  });
});

describe('names', () => {
  it('proposes the next free kvm-N after the highest', () => {
    expect(nextFreeName(['fe', 'kvm-1', 'kvm-3'])).toBe('kvm-4');
    expect(nextFreeName(['fe'])).toBe('kvm-1');
    expect(nextFreeNames(['kvm-1', 'kvm-2'], 2)).toEqual(['kvm-3', 'kvm-4']);
  });

  it('refuses bad, taken or repeated names for an add', () => {
    const cfg = { frontend: 'fe', hypervisors: ['kvm-1'] };
    expect(() => checkAddNames(['kvm-2', 'kvm-3'], cfg)).not.toThrow();
    expect(() => checkAddNames(['KVM'], cfg)).toThrow(/not a valid host name/);
    expect(() => checkAddNames(['fe'], cfg)).toThrow(/is the frontend/);
    expect(() => checkAddNames(['kvm-1'], cfg)).toThrow(/already a hypervisor/);
    expect(() => checkAddNames(['kvm-2', 'kvm-2'], cfg)).toThrow(/named twice/);
    expect(() => checkAddNames([], cfg)).toThrow(/no host to add/);
  });

  it('the frontend can never be removed', () => {
    const cfg = { frontend: 'fe', hypervisors: ['kvm-1'] };
    expect(() => checkRemoveName('fe', cfg)).toThrow(/fe is the frontend: it can never be removed/);
    expect(() => checkRemoveName('kvm-9', cfg)).toThrow(/not a hypervisor/);
    expect(() => checkRemoveName('kvm-1', cfg)).not.toThrow();
  });
});

describe('previews', () => {
  it('an add with no name proposes the next free kvm-N, and lists every step', async () => {
    const { previewAdd, outline } = await import('../../src/operations/prepare.js');
    const p = previewAdd({ frontend: 'fe', hypervisors: ['kvm-1', 'kvm-2'] });
    expect(p.hosts).toEqual(['kvm-3']);
    expect(p.steps.map((s) => s.id)).toEqual(['config', 'plan', 'apply', 'server-ready', 'network', 'deploy', 'hooks', 'monitored']);
    expect(() => previewAdd({ frontend: 'fe', hypervisors: ['kvm-1'] }, ['kvm-1'])).toThrow(/already a hypervisor/);
    expect(outline('remove', ['kvm-2'])[0]).toEqual({ id: 'onehost-disable', title: 'onehost disable kvm-2' });
  });
});
