// The answer to onedeck's health probe (a script containing the marker `onedeck-probe`), in the
// probe protocol's `key value` lines, from the simulated host's state.
import { FRONTEND_REMOTES_DIR, HOOKS_DIR, type SimHost } from '../state-types.js';

const HOOK_GLOBS = [/^pre\.d\/[^/]*flexip[^/]*$/, /^clean\.d\/[^/]*flexip[^/]*$/, /^scw-flexip\/[^/]+$/];

/** Files under `dir` on the host, relative, in the probe's glob order (pre.d, clean.d, scw-flexip). */
export function hookFilesUnder(host: SimHost, dir: string): [string, string][] {
  const rel = Object.entries(host.files)
    .filter(([p]) => p.startsWith(`${dir}/`))
    .map(([p, sha]) => [p.slice(dir.length + 1), sha] as [string, string]);
  return HOOK_GLOBS.flatMap((g) => rel.filter(([p]) => g.test(p)).sort(([a], [b]) => a.localeCompare(b)));
}

export function hasDir(host: SimHost, dir: string): boolean {
  return Object.keys(host.files).some((p) => p.startsWith(`${dir}/`));
}

/** a successful attach: it clears the errors before it (as the probe script counts) */
const ATTACHED = / INFO: VM [^:]*: (attached Flexible IP|Flexible IP .* is already attached)/;

/** Hook-log ERROR lines of the last 24 hours that no later successful attach cleared, oldest first. */
export function hookErrors(host: SimHost, nowMs: number): string[] {
  const cut = new Date(nowMs - 86_400_000).toISOString().slice(0, 19);
  const lines = Object.entries(host.logs)
    .filter(([p]) => /^\/var\/log\/vnm\/scw-flexip-[^/]*\.log$/.test(p))
    .flatMap(([, ls]) => ls)
    .sort();
  let errs: string[] = [];
  for (const l of lines) {
    if (ATTACHED.test(l)) errs = [];
    else if (l.includes('ERROR')) {
      const t = l.slice(0, 19).replace(' ', 'T');
      if (/^\d{4}-\d\d-\d\dT/.test(t) && t >= cut) errs.push(l);
    }
  }
  return errs;
}

/** `become`: the probe ran as root (the user is root or may sudo -n), as the probe script says. */
export function probeAnswer(host: SimHost, nowMs: number, become = true): string {
  const dir = [HOOKS_DIR, FRONTEND_REMOTES_DIR].find((d) => hasDir(host, d));
  const lines = [
    'onedeck-probe 1',
    `become ${become ? 'yes' : 'no'}`,
    `load1 ${host.load1.toFixed(2)}`,
    `mem_total_kb ${host.memTotalKb}`,
    `mem_available_kb ${host.memAvailableKb}`,
    `disk_used_pct ${host.diskUsedPct}`,
    `libvirtd ${host.libvirtd}`,
    `kvm ${host.kvm}`,
    `hooks_dir ${dir ?? 'missing'}`,
  ];
  if (dir) for (const [rel, sha] of hookFilesUnder(host, dir)) lines.push(`hook ${rel} ${sha}`);
  const errs = hookErrors(host, nowMs);
  lines.push(`hook_errors_24h ${errs.length}`);
  for (const e of errs.slice(-5)) lines.push(`hook_error ${e}`);
  lines.push('end');
  return lines.join('\n') + '\n';
}
