// One probe of one host: the probe script over the pooled SSH connection, parsed, compared with
// the repo's hooks, as a ProbeView. Never throws: a failure is an unreachable view.
import type { ProbeView } from '../domain/host.js';
import type { SshEndpoint, SshPool } from '../adapters/ssh/connection-pool.js';
import { compareHooks, parseProbeOutput } from '../adapters/ssh/probe-parse.js';
import { probeCommand, type ProbePaths } from '../adapters/ssh/probe-script.js';
import { SshError } from '../adapters/ssh/ssh-errors.js';

export interface ProbeOptions {
  repoHooks: Record<string, string>;
  previous?: ProbeView;
  now?: () => number;
  timeoutMs?: number;
  paths?: ProbePaths;
}

export async function probeHost(pool: SshPool, ep: SshEndpoint, opts: ProbeOptions): Promise<ProbeView> {
  const now = opts.now ?? Date.now;
  const fail = (error: string, alarm = false): ProbeView => {
    const v: ProbeView = { reachable: false, error, at: now() };
    if (opts.previous?.lastOkAt !== undefined) v.lastOkAt = opts.previous.lastOkAt;
    if (alarm) v.hostKeyAlarm = true;
    return v;
  };
  let out;
  try {
    out = await pool.exec(ep, probeCommand(opts.paths), { timeoutMs: opts.timeoutMs });
  } catch (err) {
    if (err instanceof SshError) {
      return fail(err.message.replace(/^ssh \S+: /, ''), err.kind === 'hostkey-changed' || err.kind === 'hostkey-revoked');
    }
    return fail((err as Error).message);
  }
  let p;
  try {
    p = parseProbeOutput(out.stdout);
  } catch (err) {
    const stderr = out.stderr.trim().split('\n').pop() ?? '';
    return fail(`${(err as Error).message}${stderr ? `; stderr: ${stderr.slice(0, 120)}` : ''}`);
  }
  const at = now();
  const v: ProbeView = { reachable: true, at, lastOkAt: at };
  if (out.firstByteMs !== undefined) v.rttMs = out.firstByteMs;
  if (p.load1 !== undefined) v.load1 = p.load1;
  if (p.memTotalKb !== undefined) v.memTotalKb = p.memTotalKb;
  if (p.memTotalKb && p.memAvailableKb !== undefined) v.memUsedPct = Math.round((1 - p.memAvailableKb / p.memTotalKb) * 100);
  if (p.diskUsedPct !== undefined) v.diskUsedPct = p.diskUsedPct;
  if (p.libvirtd) {
    v.libvirtdState = p.libvirtd;
    v.libvirtd = p.libvirtd === 'active';
  }
  if (p.kvm) v.kvm = p.kvm === 'loaded';
  if (p.become !== undefined) v.become = p.become;
  const cmp = compareHooks(p.hooks, opts.repoHooks);
  const bad = [...cmp.missing.map((f) => `${f} missing`), ...cmp.different.map((f) => (p.hooks[f] === null ? `${f} unreadable (the SSH user may not sudo -n)` : `${f} differs`))];
  v.hooks = {
    preOk: ![...cmp.missing, ...cmp.different].some((f) => f.startsWith('pre.d/')),
    cleanOk: ![...cmp.missing, ...cmp.different].some((f) => !f.startsWith('pre.d/')),
    missing: cmp.missing,
    different: cmp.different,
  };
  if (p.hooksDir) v.hooks.dir = p.hooksDir;
  if (bad.length) v.hooks.detail = bad.join(', ');
  if (p.hookErrors24h !== undefined) v.hookErrors24h = p.hookErrors24h;
  if (p.hookErrors.length) v.lastHookErrors = p.hookErrors;
  if (!p.complete) v.error = 'probe output was cut short';
  return v;
}
