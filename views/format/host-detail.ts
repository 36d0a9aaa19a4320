// Every source's view of one host as labelled lines, each section with its source and age:
// the host detail screen shows them side by side, the main screen shows a short summary.
import type { HostRow } from '../../src/domain/host.js';
import { VERDICT_TONE, isStale, type CellCtx } from '../../src/domain/host-cells.js';
import { formatAge as age } from '../../src/domain/time-format.js';
import type { Seg } from './text.js';

export interface Section {
  title: string;
  /** "tofu inventory", "Scaleway API · 4s ago" */
  source: string;
  stale: boolean;
  lines: Seg[][];
  /** free text (drift, reasons, errors) that needs the full width: a row of its own in the grid */
  wide?: boolean;
}

const LABEL = 12;
const kv = (k: string, v: string, tone?: Seg['tone']): Seg[] => [{ text: k.padEnd(LABEL), tone: 'dim' }, { text: v, tone }];
const yesNo = (b: boolean | undefined, yes = 'ok', no = 'FAILED', pendingDeploy = false): [string, Seg['tone']] =>
  b === undefined ? ['—', 'dim'] : b ? [yes, 'ok'] : pendingDeploy ? [`${no === 'FAILED' ? 'not installed' : no}: not deployed yet`, 'dim'] : [no, 'bad'];

/** a server OneDeploy has not reached yet: missing hooks and libvirtd are expected, not failures */
const awaitingDeploy = (h: HostRow): boolean => h.verdict.kind === 'pending' && (h.verdict.reasons[0] ?? '').startsWith('not deployed yet');

function ageOf(at: number | undefined, c: CellCtx): { text: string; stale: boolean } {
  if (at === undefined) return { text: 'never read', stale: true };
  return { text: `${age(c.now - at)} ago`, stale: isStale(at, c.now, c.refreshSeconds) };
}

export function detailSections(h: HostRow, c: CellCtx): Section[] {
  const out: Section[] = [];
  out.push({
    title: 'Config / Tofu', source: 'onedeck.yaml + tofu inventory', stale: false,
    lines: [kv('name', h.key), kv('role', h.role), kv('ssh', h.sshTarget ?? '—'), kv('private IP', h.privateIp ?? '—')],
  });
  const s = h.scaleway;
  const sa = ageOf(s?.at, c);
  out.push({
    title: 'Scaleway', source: s ? `API · ${sa.text}` : 'API', stale: !!s && sa.stale,
    lines: s
      ? [
          kv('server', `${s.name} (${s.serverId.slice(0, 8)})`),
          kv('status', `${s.status} · install ${s.installStatus}`, s.status === 'ready' && s.installStatus === 'completed' ? 'ok' : 'warn'),
          kv('ping', s.pingStatus.replace('ping_status_', '')),
          kv('offer', `${s.offer} · ${s.zone}`),
          kv('public IP', s.publicIps.join(', ') || '—'),
          ...s.privateNetworks.map((p) => kv('private', `${p.ips.join(', ') || '—'}${p.vlan !== undefined ? ` (VLAN ${p.vlan})` : ''} · ${p.status}`)),
          ...s.flexibleIps.map((f) => kv('flexible IP', `${f.ip} · ${f.status}${f.mac ? ` · ${f.mac}` : ''}`)),
        ]
      : [kv('server', h.sourceErrors.scaleway ?? 'not found', h.sourceErrors.scaleway ? 'bad' : 'dim')],
  });
  const o = h.opennebula;
  const oa = ageOf(o?.at, c);
  out.push({
    title: 'OpenNebula', source: o ? `onehost · ${oa.text}` : 'onehost', stale: !!o && (o.stale || oa.stale),
    lines: o
      ? [
          kv('host', `${o.id} · ${o.name}`),
          kv('state', o.stateName, o.stateName === 'MONITORED' ? 'ok' : o.stateName === 'ERROR' ? 'bad' : 'warn'),
          kv('monitored', o.monitoredAt ? `${age(c.now - o.monitoredAt)} ago${o.stale ? ' (stale)' : ''}` : 'never', o.stale ? 'warn' : undefined),
          kv('VMs', `${o.runningVms} running${o.vmIds.length ? ` · ${o.vmIds.join(' ')}` : ''}`),
          kv('alloc', `CPU ${o.cpuAllocPct ?? '—'}% · MEM ${o.memAllocPct ?? '—'}%`),
        ]
      : [kv('host', h.sourceErrors.opennebula ?? 'not registered', h.sourceErrors.opennebula ? 'bad' : 'dim')],
  });
  const p = h.probe;
  const pa = ageOf(p?.at, c);
  const [lv, lvt] = yesNo(p?.libvirtd, 'active', 'inactive', awaitingDeploy(h));
  const [kvm, kvmt] = yesNo(p?.kvm, 'present', 'missing');
  out.push({
    title: 'SSH probe', source: p ? `ssh · ${pa.text}` : 'ssh', stale: !!p && pa.stale,
    lines: p
      ? [
          kv('reach', p.reachable ? `ok · probe answered in ${p.rttMs ?? '?'} ms (to its first output)` : p.error ?? 'unreachable', p.reachable ? 'ok' : 'bad'),
          kv('last ok', p.lastOkAt ? `${age(c.now - p.lastOkAt)} ago` : 'never'),
          kv('load', p.load1 === undefined ? '—' : String(p.load1)),
          kv('mem / disk', `${p.memUsedPct ?? '—'}% · ${p.diskUsedPct ?? '—'}% of /var/lib/one`),
          kv('libvirtd', lv, lvt),
          kv('/dev/kvm', kvm, kvmt),
          ...(p.become === undefined ? [] : [kv('sudo', p.become ? 'yes (passwordless)' : 'no: sudo -n needs a password, so OneDeploy, network, hooks and validation cannot run here', p.become ? 'ok' : 'warn')]),
        ]
      : [kv('reach', h.sourceErrors.ssh ?? 'not probed yet', h.sourceErrors.ssh ? 'bad' : 'dim')],
  });
  const hk = p?.hooks;
  const [pre, pret] = yesNo(hk?.preOk, 'ok', 'FAILED', awaitingDeploy(h));
  const [clean, cleant] = yesNo(hk?.cleanOk, 'ok', 'FAILED', awaitingDeploy(h));
  out.push({
    title: 'Hooks', source: p ? `ssh · ${pa.text}` : 'ssh', stale: !!p && pa.stale,
    lines: [
      kv('pre.d', pre, pret),
      kv('clean.d', clean, cleant),
      kv('errors 24h', p?.hookErrors24h === undefined ? '—' : String(p.hookErrors24h), p?.hookErrors24h ? 'warn' : undefined),
      ...(hk?.detail ? [kv('detail', hk.detail)] : []),
    ],
  });
  out.push({ title: 'Drift', source: 'config vs sources', stale: false, wide: true, lines: h.drift.length ? h.drift.map((d) => [{ text: d, tone: 'warn' as const }]) : [[{ text: 'none', tone: 'dim' }]] });
  out.push({
    title: 'Verdict', source: 'all sources', stale: false, wide: true,
    lines: [[{ text: h.verdict.kind, tone: VERDICT_TONE[h.verdict.kind] }], ...h.verdict.reasons.map((r) => [{ text: `· ${r}` }])],
  });
  const errs: Seg[][] = [];
  for (const [src, e] of Object.entries(h.sourceErrors)) errs.push(kv(src, e ?? '', 'bad'));
  if (o?.error) errs.push(kv('opennebula', o.error, 'bad'));
  if (p?.error) errs.push(kv('ssh', p.error, 'bad'));
  for (const e of p?.lastHookErrors ?? []) errs.push(kv('hook_error', e, 'warn'));
  out.push({ title: 'Last errors', source: 'TEMPLATE.ERROR · probe · hook logs', stale: false, wide: true, lines: errs.length ? errs : [[{ text: 'none', tone: 'dim' }]] });
  return out;
}

/** the short summary under the main table (screens.md) */
export function summaryLines(h: HostRow, c: CellCtx): Seg[][] {
  const s = h.scaleway;
  const o = h.opennebula;
  const p = h.probe;
  const lines: Seg[][] = [];
  lines.push(s ? kv('Scaleway', `${s.status} · ${s.offer} · ${s.zone} · ${age(c.now - s.at)}`, isStale(s.at, c.now, c.refreshSeconds) ? 'dim' : undefined) : kv('Scaleway', h.sourceErrors.scaleway ?? '—', 'dim'));
  if (s) lines.push(kv('Public IP', `${s.publicIps[0] ?? '—'}${s.flexibleIps[0] ? `  Flexible IP ${s.flexibleIps[0].ip}` : ''}`));
  lines.push(kv('Private', `${h.privateIp ?? '—'}${s?.privateNetworks[0]?.vlan !== undefined ? ` (VLAN ${s.privateNetworks[0].vlan})` : ''}`));
  lines.push(o ? kv('OpenNebula', `host ${o.id} · ${o.stateName} · ${age(c.now - (o.monitoredAt ?? o.at))}${o.stale ? ' stale' : ''}`, o.stateName === 'ERROR' ? 'bad' : o.stale ? 'dim' : undefined) : kv('OpenNebula', h.sourceErrors.opennebula ?? '—', 'dim'));
  if (o?.error) lines.push([{ text: ' '.repeat(LABEL) }, { text: o.error, tone: 'bad' }]);
  lines.push(
    p
      ? kv('SSH', p.reachable ? `probe ${p.rttMs ?? '?'} ms · load ${p.load1 ?? '—'} · libvirtd ${p.libvirtd === false ? 'inactive' : 'ok'}` : `${p.error ?? 'unreachable'}${p.lastOkAt ? ` (last ok ${age(c.now - p.lastOkAt)} ago)` : ''}`, p.reachable ? undefined : 'bad')
      : kv('SSH', '—', 'dim'),
  );
  if (p?.hooks && awaitingDeploy(h) && !(p.hooks.preOk && p.hooks.cleanOk)) lines.push(kv('Hooks', 'not installed yet: deploy OpenNebula, then the hooks', 'dim'));
  else if (p?.hooks) lines.push(kv('Hooks', `pre.d ${p.hooks.preOk ? 'ok' : 'FAILED'} · clean.d ${p.hooks.cleanOk ? 'ok' : 'FAILED'} · ${p.hookErrors24h ?? 0} errors / 24h`, p.hooks.preOk && p.hooks.cleanOk ? undefined : 'bad'));
  lines.push(kv('Drift', h.drift.length ? h.drift.join('; ') : 'none', h.drift.length ? 'warn' : 'dim'));
  lines.push(kv('Verdict', [h.verdict.kind, ...h.verdict.reasons].join(' · '), VERDICT_TONE[h.verdict.kind]));
  return lines;
}
