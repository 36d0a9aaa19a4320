import { describe, expect, it } from 'vitest';
import type { HostRow } from '../../src/domain/host.js';
import { collectStatus, formatStatus, type StatusResult } from '../../src/cli/status.js';
import { parseConfig } from '../../src/config/load.js';
import { hostColumns } from '../../src/domain/host-cells.js';
import type { ProbeView } from '../../src/domain/host.js';

const NOW = 1_764_000_000_000;
const row = (key: string, kind: HostRow['verdict']['kind'], reasons: string[] = [], extra: Partial<HostRow> = {}): HostRow => ({
  key, role: key === 'fe' ? 'frontend' : 'hypervisor', sourceErrors: {}, drift: [], verdict: { kind, reasons },
  opennebula: { id: '0', name: '10.16.0.1', state: 2, stateName: 'MONITORED', stale: false, runningVms: 2, vmIds: ['1', '2'], cpuAllocPct: 25, memAllocPct: 31, monitoredAt: NOW - 12_000, at: NOW },
  probe: { reachable: true, rttMs: 12, at: NOW },
  ...extra,
});
const result = (rows: HostRow[], exitCode: 0 | 1 | 2, more: Partial<StatusResult> = {}): StatusResult => ({ rows, drift: [], sourceErrors: {}, exitCode, refreshedAt: NOW, ...more });

describe('formatStatus', () => {
  it('prints a readable table for a healthy cluster', () => {
    const out = formatStatus(result([row('fe', 'healthy'), row('kvm-1', 'healthy')], 0), { json: false, now: NOW });
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ROLE\s+SCALEWAY\s+OPENNEBULA\s+VMS\s+CPU\s+MEM\s+SSH\s+VERDICT$/);
    expect(lines[1]).toMatch(/^fe\s+frontend\s+—\s+MONITORED 12s\s+2\s+25%\s+31%\s+probe 12 ms\s+healthy$/);
    expect(out).toMatch(/2 hosts: 2 healthy — cluster healthy \(exit 0\)\n$/);
  });

  it('lists reasons, drift and unreadable sources for a degraded or down cluster', () => {
    const rows = [
      row('fe', 'healthy'),
      row('kvm-2', 'down', ['ssh: timeout after 5s', 'OpenNebula ERROR 3m: Error monitoring Host'], { probe: { reachable: false, error: 'timeout after 5s', at: NOW } }),
    ];
    const out = formatStatus(
      result(rows, 2, { drift: [{ kind: 'missing-server', subject: 'kvm-3', detail: 'not at Scaleway' }], sourceErrors: { scaleway: 'Scaleway rejected the credentials (401)' } }),
      { json: false, now: NOW },
    );
    expect(out).toMatch(/kvm-2 .*timeout\s+down: ssh: timeout after 5s/);
    expect(out).toContain('  kvm-2: OpenNebula ERROR 3m: Error monitoring Host');
    expect(out).toContain('  missing-server  kvm-3: not at Scaleway');
    expect(out).toContain('  scaleway: Scaleway rejected the credentials (401)');
    expect(out).toMatch(/2 hosts: 1 healthy, 1 down; 1 drift — cluster has hosts down or unknown \(exit 2\)\n$/);
  });

  it('exit 2 for a source read only in part does not claim that hosts are down', () => {
    const out = formatStatus(result([row('fe', 'healthy'), row('kvm-1', 'healthy')], 2, { sourceErrors: { 'scaleway-partial': 'Scaleway refused to list Flexible IPs (403).' } }), { json: false, now: NOW });
    expect(out).toContain('  scaleway-partial: Scaleway refused to list Flexible IPs (403).');
    expect(out).not.toMatch(/hosts down or unknown/);
    expect(out).toMatch(/2 hosts: 2 healthy — cluster not fully known: a source could not be read \(exit 2\)\n$/);
  });

  it('says the same words as the TUI: the cells of src/domain/host-cells.ts, a changed host key is KEY ALARM', () => {
    const rows = [
      row('fe', 'healthy'),
      row('kvm-1', 'down', ['ssh: host key changed'], { probe: { reachable: false, hostKeyAlarm: true, error: 'host key changed', at: NOW } }),
      row('kvm-2', 'down', ['ssh: connection refused.'], { probe: { reachable: false, error: 'connection refused.', at: NOW } }),
    ];
    const out = formatStatus(result(rows, 2), { json: false, now: NOW, refreshSeconds: 10 });
    expect(out).toMatch(/kvm-1 .*KEY ALARM\s+down: ssh: host key changed/);
    expect(out).not.toContain('HOSTKEY!');
    expect(out).toMatch(/kvm-2 .*refused\s+down:/);
    const lines = out.split('\n');
    for (const r of rows) {
      const line = lines.find((l) => l.startsWith(`${r.key} `))!;
      for (const c of hostColumns(rows)) expect(line, `${r.key} ${c.id}`).toContain(c.cell(r, { now: NOW, refreshSeconds: 10 }).text);
    }
  });

  it('JSON is the model itself, exit code included', () => {
    const r = result([row('fe', 'degraded', ['libvirtd inactive'])], 1);
    const parsed = JSON.parse(formatStatus(r, { json: true, now: NOW }));
    expect(parsed).toEqual({ rows: r.rows, drift: [], sourceErrors: {}, exitCode: 1, refreshedAt: NOW });
  });
});

describe('collectStatus exit codes', () => {
  const config = parseConfig(
    'cluster: prod\nscaleway: { zone: fr-par-2, project_id: 11111111-1111-1111-1111-111111111111 }\nfrontend: { name: fe, ssh: { host: 127.0.0.9 }, private_ip: 10.16.0.1 }\n',
    '/tmp/onedeck.yaml',
  );
  const server = { serverId: 's1', name: 'prod-fe', status: 'ready', installStatus: 'completed', pingStatus: 'ping_status_up', offer: 'EM', zone: 'fr-par-2', publicIps: [], privateNetworks: [], flexibleIps: [], tags: ['host=fe'], at: NOW };
  const host = { id: '0', name: '10.16.0.1', state: 2, stateName: 'MONITORED', stale: false, runningVms: 0, vmIds: [], monitoredAt: NOW, at: NOW };
  const run = (probe: ProbeView) =>
    collectStatus(config, {
      clock: () => NOW,
      inventory: async () => undefined,
      repoHooks: () => ({}),
      scaleway: async () => ({ servers: [server], flexibleIps: [], warnings: [], at: NOW }),
      opennebula: async () => ({ hosts: [host], vms: [], at: NOW }),
      probe: async () => probe,
    });
  it('0 when healthy, 1 when degraded, 2 when down', async () => {
    expect((await run({ reachable: true, libvirtdState: 'active', kvm: true, at: NOW })).exitCode).toBe(0);
    expect((await run({ reachable: true, libvirtdState: 'inactive', kvm: true, at: NOW })).exitCode).toBe(1);
    const down = await run({ reachable: false, error: 'connection refused.', at: NOW });
    expect(down.exitCode).toBe(2);
    expect(down.rows[0].verdict.reasons).toEqual(['ssh: connection refused.']);
  });
});
