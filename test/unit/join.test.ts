import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { OpenNebulaView, ProbeView, ScalewayView } from '../../src/domain/host.js';
import type { InventoryOutput } from '../../src/domain/inventory.js';
import type { ScalewayData } from '../../src/adapters/scaleway/servers.js';
import type { OpenNebulaData } from '../../src/adapters/opennebula/client.js';
import { joinCluster, type JoinInput } from '../../src/health/join.js';

const NOW = 1_764_000_000_000;
const config = parseConfig(
  'cluster: prod\nscaleway: { zone: fr-par-2, project_id: 11111111-1111-1111-1111-111111111111 }\nfrontend: { name: fe }\nhypervisors: [kvm-1, kvm-2]\n',
  '/tmp/onedeck.yaml',
);
const hostInv = (name: string, n: number) => ({
  name,
  server_id: `fr-par-2/0000000${n}-0000-0000-0000-000000000000`,
  public_ip: `51.15.0.${n}`,
  private_ip: `10.16.0.${n}`,
  vmtovm_ip: `172.16.24.${n}`,
  flexible_ip: `212.47.0.${n}`,
  flexible_ip_id: `fip-${n}`,
  flexible_ip_mac: `52:54:00:00:00:0${n}`,
});
const inventory: InventoryOutput = {
  cluster_name: 'prod', zone: 'fr-par-2', project_id: '1', private_network_id: 'pn', vmtovm_private_network_id: 'pn2',
  frontend: hostInv('fe', 1),
  hypervisors: { 'kvm-1': hostInv('kvm-1', 2), 'kvm-2': hostInv('kvm-2', 3) },
};
const server = (n: number, name: string, extra: Partial<ScalewayView> = {}): ScalewayView => ({
  serverId: `0000000${n}-0000-0000-0000-000000000000`, name, status: 'ready', installStatus: 'completed', pingStatus: 'ping_status_up',
  offer: 'EM-A610R-NVMe', zone: 'fr-par-2', publicIps: [`51.15.0.${n}`], privateNetworks: [], flexibleIps: [], tags: ['onedeck', 'cluster=prod', `host=${name.replace('prod-', '')}`], at: NOW, ...extra,
});
const oneHost = (id: number, name: string, extra: Partial<OpenNebulaView> = {}): OpenNebulaView => ({
  id: String(id), name, state: 2, stateName: 'MONITORED', stale: false, runningVms: 0, vmIds: [], monitoredAt: NOW - 10_000, at: NOW, ...extra,
});
const okProbe = (): ProbeView => ({ reachable: true, rttMs: 12, libvirtd: true, libvirtdState: 'active', kvm: true, hookErrors24h: 0, hooks: { preOk: true, cleanOk: true, dir: '/var/tmp/one/vnm/bridge' }, at: NOW, lastOkAt: NOW });
const scw = (servers: ScalewayView[], fips: ScalewayData['flexibleIps'] = []): ScalewayData => ({ servers, flexibleIps: fips, warnings: [], at: NOW });
const one = (hosts: OpenNebulaView[], vms: OpenNebulaData['vms'] = []): OpenNebulaData => ({ hosts, vms, at: NOW });

function input(over: Partial<JoinInput> = {}): JoinInput {
  return {
    config,
    inventory,
    scaleway: scw([server(1, 'prod-fe'), server(2, 'prod-kvm-1'), server(3, 'prod-kvm-2')]),
    opennebula: one([oneHost(0, '10.16.0.1'), oneHost(1, '10.16.0.2'), oneHost(2, '10.16.0.3')]),
    probes: { fe: okProbe(), 'kvm-1': okProbe(), 'kvm-2': okProbe() },
    sshTargets: { fe: '51.15.0.1', 'kvm-1': '51.15.0.2', 'kvm-2': '51.15.0.3' },
    repoHasHooks: true,
    now: NOW,
    ...over,
  };
}

describe('joinCluster', () => {
  it('joins config, inventory, Scaleway, OpenNebula and probes by host key: all healthy', () => {
    const { rows, drift } = joinCluster(input());
    expect(rows.map((r) => [r.key, r.role, r.privateIp, r.scaleway?.name, r.opennebula?.id, r.verdict.kind])).toEqual([
      ['fe', 'frontend', '10.16.0.1', 'prod-fe', '0', 'healthy'],
      ['kvm-1', 'hypervisor', '10.16.0.2', 'prod-kvm-1', '1', 'healthy'],
      ['kvm-2', 'hypervisor', '10.16.0.3', 'prod-kvm-2', '2', 'healthy'],
    ]);
    expect(drift).toEqual([]);
  });

  it('matches servers by the host= tag when there is no inventory', () => {
    const { rows } = joinCluster(input({ inventory: undefined, scaleway: scw([server(7, 'renamed', { tags: ['cluster=prod', 'host=kvm-1'] })]) }));
    expect(rows[1].scaleway?.name).toBe('renamed');
  });

  it('flags a host in config but not at Scaleway', () => {
    const { rows, drift } = joinCluster(input({ scaleway: scw([server(1, 'prod-fe'), server(2, 'prod-kvm-1')]) }));
    expect(rows[2].drift).toContain('in config but not at Scaleway');
    expect(rows[2].verdict.kind).toBe('degraded');
    expect(drift).toContainEqual(expect.objectContaining({ kind: 'missing-server', subject: 'kvm-2' }));
    // ... and its OpenNebula host now has no server
    expect(drift).toContainEqual(expect.objectContaining({ kind: 'orphan-opennebula-host', subject: 'host 2 (10.16.0.3)' }));
  });

  it('does not claim drift from a source that could not be read', () => {
    const { rows, drift } = joinCluster(input({ scalewayError: 'Scaleway rejected the credentials (401)', scaleway: undefined }));
    expect(drift).toEqual([]);
    expect(rows[0].verdict).toMatchObject({ kind: 'unknown' });
    expect(rows[0].verdict.reasons[0]).toMatch(/scaleway: Scaleway rejected the credentials \(401\)/);
  });

  it('flags a server at Scaleway that is not in OpenNebula', () => {
    const { rows, drift } = joinCluster(input({ opennebula: one([oneHost(0, '10.16.0.1'), oneHost(1, '10.16.0.2')]) }));
    expect(rows[2].drift).toEqual(['at Scaleway but not in OpenNebula (deploy registers it)']);
    expect(drift.map((d) => [d.kind, d.subject])).toEqual([['not-in-opennebula', 'kvm-2']]);
  });

  it('a configured host with no server and no OpenNebula host yet is pending, waiting for plan and apply', () => {
    const { rows } = joinCluster(
      input({ scaleway: scw([server(1, 'prod-fe'), server(2, 'prod-kvm-1')]), opennebula: one([oneHost(0, '10.16.0.1'), oneHost(1, '10.16.0.2')]) }),
    );
    expect(rows[2].verdict).toEqual({ kind: 'pending', reasons: ['no server yet: plan and apply (p, then a) to create it'] });
  });

  it('flags an OpenNebula host that matches no configured host, and unmanaged servers of the cluster', () => {
    const { drift } = joinCluster(
      input({
        opennebula: one([oneHost(0, '10.16.0.1'), oneHost(1, '10.16.0.2'), oneHost(2, '10.16.0.3'), oneHost(9, '10.16.0.99')]),
        scaleway: scw([server(1, 'prod-fe'), server(2, 'prod-kvm-1'), server(3, 'prod-kvm-2'), server(4, 'prod-kvm-9', { tags: ['cluster=prod', 'host=kvm-9'] }), server(5, 'someone-else', { tags: [] })]),
      }),
    );
    expect(drift).toEqual([
      expect.objectContaining({ kind: 'unmanaged-server', subject: 'prod-kvm-9' }),
      expect.objectContaining({ kind: 'orphan-opennebula-host', subject: 'host 9 (10.16.0.99)' }),
    ]);
  });

  it('flags a Flexible IP on the wrong server: a host\'s own FIP, and a VM\'s FIP not where the VM runs', () => {
    const s1 = server(1, 'prod-fe');
    const s2 = server(2, 'prod-kvm-1');
    const s3 = server(3, 'prod-kvm-2');
    const fips = [
      { id: 'fip-2', ip: '212.47.0.2', status: 'attached', serverId: s3.serverId, tags: [] }, // kvm-1's own FIP on kvm-2
      { id: 'fip-vm', ip: '51.159.10.20', status: 'attached', serverId: s2.serverId, tags: [] }, // VM runs on kvm-2
      { id: 'fip-3', ip: '212.47.0.3', status: 'attached', serverId: s3.serverId, tags: [] }, // fine
    ];
    const vms = [{ id: '3', name: 'web', state: 3, lcmState: 3, stateName: 'RUNNING', hostName: '10.16.0.3', hostId: '2', ips: ['51.159.10.20'] }];
    const { rows, drift } = joinCluster(input({ scaleway: scw([s1, s2, s3], fips), opennebula: one([oneHost(0, '10.16.0.1'), oneHost(1, '10.16.0.2'), oneHost(2, '10.16.0.3')], vms) }));
    const fipDrift = drift.filter((d) => d.kind === 'fip-wrong-server');
    expect(fipDrift.map((d) => d.subject).sort()).toEqual(['212.47.0.2', '51.159.10.20']);
    expect(fipDrift.find((d) => d.subject === '51.159.10.20')?.detail).toMatch(/VM 3 \(web\) is on kvm-1 but the VM runs on kvm-2/);
    expect(rows[1].drift).toContain('Flexible IP 212.47.0.2 attached to the wrong server');
    expect(rows[2].verdict.kind).toBe('degraded');
  });

  it('a server ready but still installing is pending, not healthy, and not drift for OpenNebula', () => {
    const { rows, drift } = joinCluster(
      input({
        scaleway: scw([server(1, 'prod-fe'), server(2, 'prod-kvm-1'), server(3, 'prod-kvm-2', { installStatus: 'installing', statusSince: NOW - 8 * 60_000 })]),
        opennebula: one([oneHost(0, '10.16.0.1'), oneHost(1, '10.16.0.2')]),
        probes: { fe: okProbe(), 'kvm-1': okProbe(), 'kvm-2': { reachable: false, error: 'connection refused.', at: NOW } },
      }),
    );
    expect(rows[2].verdict).toEqual({ kind: 'pending', reasons: ['installing 8m'] });
    expect(drift).toEqual([]);
  });

  it('a host without an address is unknown, saying how to get one', () => {
    const { rows } = joinCluster(input({ probes: { fe: okProbe(), 'kvm-1': okProbe() }, sshTargets: { fe: '51.15.0.1', 'kvm-1': '51.15.0.2' } }));
    expect(rows[2].verdict).toEqual({ kind: 'unknown', reasons: ['no address: run plan/apply first'] });
  });
});
