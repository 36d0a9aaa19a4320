// The host detail of a server OneDeploy has not reached yet: its missing hooks and libvirtd are
// what is expected before `d`, so they read "not deployed yet" (dim), never FAILED (red).
import { describe, expect, it } from 'vitest';
import type { HostRow, ProbeView, ScalewayView } from '../../src/domain/host.js';
import { computeVerdict } from '../../src/health/verdict.js';
import { detailSections, summaryLines } from '../../views/format/host-detail.js';

const NOW = 1_764_000_000_000;
const sc: ScalewayView = { serverId: 's1', name: 'prod-kvm-4', status: 'ready', installStatus: 'completed', pingStatus: 'ping_status_up', offer: 'EM', zone: 'fr-par-2', publicIps: [], privateNetworks: [], flexibleIps: [], at: NOW };
const probe = (ok: boolean): ProbeView => ({ reachable: true, rttMs: 10, libvirtd: ok, libvirtdState: ok ? 'active' : 'inactive', kvm: true, hooks: { preOk: ok, cleanOk: ok }, hookErrors24h: 0, at: NOW, lastOkAt: NOW });
const host = (deployed: boolean, ok: boolean): HostRow => {
  const r: Omit<HostRow, 'verdict'> = { key: 'kvm-4', role: 'hypervisor', scaleway: sc, probe: probe(ok), sourceErrors: {}, drift: [], ...(deployed ? { opennebula: { id: '4', name: '10.16.0.9', state: 2, stateName: 'MONITORED', stale: false, runningVms: 0, vmIds: [], monitoredAt: NOW, at: NOW } } : {}) };
  return { ...r, verdict: computeVerdict(r, { now: NOW, hasAddress: true, repoHasHooks: true }) };
};
const c = { now: NOW, refreshSeconds: 10 };
const text = (lines: { text: string; tone?: string }[][]) => lines.map((l) => l.map((s) => s.text).join('')).join('\n');
const sectionText = (h: HostRow, title: string) => text(detailSections(h, c).find((s) => s.title === title)!.lines);

describe('host detail before OneDeploy', () => {
  it('says "not deployed yet" for the hooks and libvirtd, not FAILED', () => {
    const h = host(false, false);
    expect(h.verdict.reasons[0]).toMatch(/^not deployed yet/);
    expect(sectionText(h, 'Hooks')).toMatch(/pre\.d +not installed: not deployed yet/);
    expect(sectionText(h, 'Hooks')).not.toContain('FAILED');
    expect(sectionText(h, 'SSH probe')).toMatch(/libvirtd +inactive: not deployed yet/);
    expect(text(summaryLines(h, c))).toMatch(/Hooks +not installed yet: deploy OpenNebula, then the hooks/);
  });

  it('a deployed host with broken hooks still says FAILED, in red', () => {
    const h = host(true, false);
    expect(sectionText(h, 'Hooks')).toMatch(/pre\.d +FAILED/);
    const hooks = summaryLines(h, c).find((l) => l[0].text.startsWith('Hooks'))!;
    expect(hooks[1]).toMatchObject({ text: expect.stringContaining('pre.d FAILED'), tone: 'bad' });
  });
});
