import { describe, expect, it } from 'vitest';
import type { HostRow, OpenNebulaView, ProbeView, ScalewayView } from '../../src/domain/host.js';
import { computeVerdict, exitCodeFor, firstSentence } from '../../src/health/verdict.js';

const NOW = 1_764_000_000_000;
const ctx = { now: NOW, hasAddress: true, repoHasHooks: true };
const sc = (x: Partial<ScalewayView> = {}): ScalewayView => ({
  serverId: 's1', name: 'prod-kvm-1', status: 'ready', installStatus: 'completed', pingStatus: 'ping_status_up', offer: 'EM', zone: 'fr-par-2',
  publicIps: [], privateNetworks: [], flexibleIps: [], at: NOW, ...x,
});
const on = (x: Partial<OpenNebulaView> = {}): OpenNebulaView => ({ id: '1', name: '10.16.0.2', state: 2, stateName: 'MONITORED', stale: false, runningVms: 0, vmIds: [], monitoredAt: NOW - 5000, at: NOW, ...x });
const pr = (x: Partial<ProbeView> = {}): ProbeView => ({ reachable: true, rttMs: 10, libvirtd: true, libvirtdState: 'active', kvm: true, hooks: { preOk: true, cleanOk: true, dir: '/var/tmp/one/vnm/bridge' }, hookErrors24h: 0, at: NOW, lastOkAt: NOW, ...x });
const row = (x: Partial<Omit<HostRow, 'verdict'>> = {}): Omit<HostRow, 'verdict'> => ({ key: 'kvm-1', role: 'hypervisor', scaleway: sc(), opennebula: on(), probe: pr(), sourceErrors: {}, drift: [], ...x });

describe('computeVerdict', () => {
  it('healthy when every source agrees', () => {
    expect(computeVerdict(row(), ctx)).toEqual({ kind: 'healthy', reasons: [] });
  });

  it('pending while delivering or installing, with since when', () => {
    expect(computeVerdict(row({ scaleway: sc({ status: 'delivering', updatedAt: NOW - 8 * 60_000 }) }), ctx)).toEqual({ kind: 'pending', reasons: ['delivering 8m'] });
    expect(computeVerdict(row({ scaleway: sc({ installStatus: 'installing', statusSince: NOW - 8 * 60_000 }), probe: pr({ reachable: false, error: 'timeout' }) }), ctx)).toEqual({ kind: 'pending', reasons: ['installing 8m'] });
    expect(computeVerdict(row({ scaleway: sc({ installStatus: 'to_install' }) }), ctx).kind).toBe('pending');
    // a pending judged from an earlier Scaleway read says that the API could not be read since
    expect(computeVerdict(row({ scaleway: sc({ status: 'starting', statusSince: NOW - 60_000 }), sourceErrors: { scaleway: 'the Scaleway API did not answer within 30s.\nonedeck tries again', ssh: 'timeout' }, probe: pr({ reachable: false, error: 'timeout' }) }), ctx)).toEqual({
      kind: 'pending',
      reasons: ['starting 1m', 'scaleway: the Scaleway API did not answer within 30s'],
    });
  });

  it('down when SSH is unreachable, with the last success', () => {
    const v = computeVerdict(row({ probe: { reachable: false, error: 'timeout after 5s (no SSH handshake).', lastOkAt: NOW - 180_000, at: NOW } }), ctx);
    expect(v).toEqual({ kind: 'down', reasons: ['ssh: timeout after 5s (no SSH handshake). (last ok 3m ago)'] });
  });

  it('a changed host key is an ALARM', () => {
    const v = computeVerdict(row({ probe: { reachable: false, error: 'host key CHANGED', hostKeyAlarm: true, at: NOW } }), ctx);
    expect(v.kind).toBe('down');
    expect(v.reasons[0]).toMatch(/^ALARM ssh: host key CHANGED/);
  });

  it('degraded when OpenNebula says ERROR (with TEMPLATE.ERROR, without its timestamp) or OFFLINE; down once ssh fails too', () => {
    const error = 'Fri Nov 27 14:26:51 2026 : Error monitoring Host 10.16.0.2: timeout';
    const e = computeVerdict(row({ opennebula: on({ state: 3, stateName: 'ERROR', error, monitoredAt: NOW - 180_000 }) }), ctx);
    expect(e).toEqual({ kind: 'degraded', reasons: ['monitoring failed 3m (OpenNebula ERROR): Error monitoring Host 10.16.0.2: timeout'] });
    expect(computeVerdict(row({ opennebula: on({ state: 8, stateName: 'OFFLINE' }) }), ctx).kind).toBe('degraded');
    expect(computeVerdict(row({ opennebula: on({ state: 5, stateName: 'MONITORING_ERROR' }) }), ctx).kind).toBe('degraded');
    const both = computeVerdict(
      row({ opennebula: on({ state: 3, stateName: 'ERROR', error, monitoredAt: NOW - 180_000 }), probe: pr({ reachable: false, error: 'timeout after 5s' }) }),
      ctx,
    );
    expect(both.kind).toBe('down');
    expect(both.reasons[0]).toMatch(/^ssh: timeout after 5s/);
  });

  it('down when Scaleway says the server is stopped or does not ping', () => {
    expect(computeVerdict(row({ scaleway: sc({ status: 'stopped' }) }), ctx).reasons).toContain('server stopped at Scaleway');
    expect(computeVerdict(row({ scaleway: sc({ pingStatus: 'ping_status_down' }), probe: undefined }), ctx).reasons).toContain('server does not ping (Scaleway)');
    // no ping but SSH answers: up, with a firewall dropping ICMP
    const noPing = computeVerdict(row({ scaleway: sc({ pingStatus: 'ping_status_down' }), probe: pr({}) }), ctx);
    expect(noPing).toEqual({ kind: 'degraded', reasons: ['Scaleway sees no ping (ICMP filtered?) though SSH answers'] });
  });

  it('degraded for libvirtd, kvm, stale monitoring, disabled, hooks and hook errors, disk', () => {
    const v = computeVerdict(
      row({
        opennebula: on({ state: 4, stateName: 'DISABLED', stale: true, monitoredAt: NOW - 720_000 }),
        probe: pr({ libvirtdState: 'inactive', libvirtd: false, kvm: false, hooks: { preOk: false, cleanOk: true, dir: '/x', detail: 'pre.d/01-scw-flexip-attach.sh differs' }, hookErrors24h: 2, diskUsedPct: 95 }),
      }),
      ctx,
    );
    expect(v.kind).toBe('degraded');
    // libvirtd inactive is the row's reason (issue 12 #3: it caused OpenNebula's error); then OpenNebula's view
    expect(v.reasons).toEqual([
      'libvirtd inactive',
      'disabled in OpenNebula',
      'monitoring stale: last 12m ago',
      'kvm module not loaded',
      'hooks outdated on kvm-1 (pre.d/01-scw-flexip-attach.sh differs)',
      '2 Flexible-IP hook errors in 24h',
      'disk of /var/lib/one 95% full',
    ]);
  });

  it('degraded when the hooks are not installed at all, only if the repo has hooks', () => {
    const p = pr({ hooks: { preOk: false, cleanOk: false } });
    expect(computeVerdict(row({ probe: p }), ctx).reasons).toEqual(['Flexible-IP hooks not installed on kvm-1']);
    expect(computeVerdict(row({ probe: pr({ hooks: { preOk: true, cleanOk: true } }) }), { ...ctx, repoHasHooks: false }).kind).toBe('healthy');
  });

  it('unknown when a source could not be read; what is known to be wrong wins over unknown', () => {
    expect(computeVerdict(row({ sourceErrors: { opennebula: 'sudo refused' } }), ctx)).toEqual({ kind: 'unknown', reasons: ['opennebula: sudo refused'] });
    expect(computeVerdict(row({ sourceErrors: { opennebula: 'x' }, scaleway: sc({ status: 'error' }) }), ctx).kind).toBe('down');
    // libvirtd is down on the host even though the Scaleway API could not be read
    expect(computeVerdict(row({ sourceErrors: { scaleway: 'bad credentials (401)' }, probe: pr({ libvirtdState: 'inactive', libvirtd: false }) }), ctx)).toEqual({
      kind: 'degraded',
      reasons: ['libvirtd inactive', 'scaleway: bad credentials (401)'],
    });
  });

  it('a ready server OpenNebula does not know yet is pending "not deployed yet: press d", not degraded', () => {
    const fresh = row({ opennebula: undefined, probe: pr({ libvirtdState: 'inactive', libvirtd: false, hooks: { preOk: false, cleanOk: false } }) });
    expect(computeVerdict(fresh, ctx)).toEqual({ kind: 'pending', reasons: ['not deployed yet: press d (deploy OpenNebula)'] });
    // OpenNebula could not be read: it may know the host; not "not deployed"
    expect(computeVerdict({ ...fresh, sourceErrors: { opennebula: 'timeout' } }, ctx).kind).not.toBe('pending');
  });

  it('the whole OpenNebula error is in the reason, never cut', () => {
    const long = `Error monitoring Host kvm-2 (2): ${'Failed to connect socket to /var/run/libvirt/libvirt-sock: No such file or directory. '.repeat(3)}END`;
    const v = computeVerdict(row({ opennebula: on({ state: 3, stateName: 'ERROR', error: long }) }), ctx);
    expect(v.reasons[0]).toContain(long);
    expect(v.reasons[0].endsWith('END')).toBe(true);
  });

  it('keeps only the message part of a source error in the reason', () => {
    const msg = 'the Scaleway API did not answer GET /x within 0.2s (2 attempts).\nCheck the network.';
    expect(computeVerdict(row({ sourceErrors: { scaleway: msg } }), ctx).reasons).toEqual(['scaleway: the Scaleway API did not answer GET /x within 0.2s (2 attempts)']);
    // never cut in the model: JSON carries it whole (issue 12 #2)
    expect(firstSentence('x'.repeat(200))).toHaveLength(200);
  });

  it('drift makes a host degraded', () => {
    expect(computeVerdict(row({ drift: ['at Scaleway but not in OpenNebula'] }), ctx)).toEqual({ kind: 'degraded', reasons: ['drift: at Scaleway but not in OpenNebula'] });
  });
});

describe('exitCodeFor', () => {
  const v = (kind: HostRow['verdict']['kind']) => ({ verdict: { kind, reasons: [] } });
  it('0 healthy, 1 degraded/pending/drift, 2 down or unknown', () => {
    expect(exitCodeFor([v('healthy'), v('healthy')])).toBe(0);
    expect(exitCodeFor([v('healthy')], 1)).toBe(1);
    expect(exitCodeFor([v('healthy'), v('degraded')])).toBe(1);
    expect(exitCodeFor([v('pending')])).toBe(1);
    expect(exitCodeFor([v('degraded'), v('down')])).toBe(2);
    expect(exitCodeFor([v('unknown')])).toBe(2);
    // a source that could not be read: the cluster cannot be fully known, whatever the rows say
    expect(exitCodeFor([v('healthy'), v('degraded')], 0, 1)).toBe(2);
  });
});
