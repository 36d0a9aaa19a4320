// The frontend's OpenNebula CLI: onehost list/show/create/enable/disable/offline/flush/delete/sync
// and onevm list/show, acting on the sandbox state.
import { newOneHost } from '../state-default.js';
import { effectiveHost } from '../one-monitor.js';
import type { SandboxStateStore } from '../state.js';
import { consumeFault, faultNote } from '../state-faults.js';
import { FRONTEND_REMOTES_DIR, HOOKS_DIR, type OneHost, type SandboxState } from '../state-types.js';
import { hostJson, hostPoolJson, vmJson, vmPoolJson } from './one-json.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

const ok = (stdout = ''): ExecResult => ({ stdout, stderr: '', code: 0 });
const fail = (stderr: string, code = 255): ExecResult => ({ stdout: '', stderr, code });
const json = (v: unknown) => ok(JSON.stringify(v) + '\n');
const isJson = (a: string[]) => a.includes('-j') || a.includes('--json');

const STAT: Record<number, string> = { 0: 'init', 2: 'on', 3: 'err', 4: 'dsbl', 8: 'off' };

function findHost(s: SandboxState, ref: string | undefined): OneHost | undefined {
  if (ref === undefined) return undefined;
  return s.one.hosts.find((h) => String(h.id) === ref || h.name === ref);
}

function listText(s: SandboxState): string {
  const head = '  ID NAME                                                    CLUSTER    TVM      ALLOCATED_CPU      ALLOCATED_MEM STAT';
  const rows = s.one.hosts.map((h) => {
    const vms = s.one.vms.filter((v) => v.hostId === h.id && v.state === 3);
    const cpu = vms.reduce((a, v) => a + v.cpu * 100, 0);
    const mem = vms.reduce((a, v) => a + v.memoryMb, 0);
    const alloc = `${cpu} / ${h.totalCpu} (${Math.round((cpu / h.totalCpu) * 100)}%)`;
    const memS = `${(mem / 1024).toFixed(1)}G / ${(h.totalMemKb / 1048576).toFixed(1)}G (${Math.round((mem * 1024 * 100) / h.totalMemKb)}%)`;
    return `${String(h.id).padStart(4)} ${h.name.padEnd(55)} ${'default'.padEnd(10)} ${String(vms.length).padStart(3)} ${alloc.padStart(18)} ${memS.padStart(18)} ${STAT[effectiveHost(s, h).state] ?? 'unkn'}`;
  });
  return [head, ...rows].join('\n') + '\n';
}

/** An injected failure of `onehost <sub>`, answered as oned answers a refused request. */
function injected(store: SandboxStateStore, sub: string, h: OneHost): ExecResult | undefined {
  const step = `onehost-${sub}`;
  if (!['disable', 'flush', 'delete'].includes(sub) || !store.update((st) => consumeFault(st, step))) return undefined;
  const call = sub === 'delete' ? 'one.host.delete' : 'one.host.status';
  return fail(`[${call}] Error ${sub === 'delete' ? 'deleting' : 'updating'} host ${h.id}: internal error ${faultNote(step)}\n`);
}

export function onehost(store: SandboxStateStore, args: string[]): ExecResult {
  const [sub, ...rest] = args;
  const s = store.get();
  const nowS = Math.floor(store.now() / 1000);
  const ref = rest.find((a) => !a.startsWith('-'));
  switch (sub) {
    // as OpenNebula's CLI answers (`onedeck doctor` reads the version from it)
    case '--version':
    case '-V':
      return ok('OpenNebula 7.0.0\nCopyright 2002-2025, OpenNebula Project, OpenNebula Systems\n');
    case 'list': {
      if (isJson(rest)) return json(hostPoolJson(s));
      const li = rest.findIndex((a) => a === '--list' || a === '-l');
      if (li < 0 || !rest.includes('--csv')) return ok(listText(s));
      const cols = (rest[li + 1] ?? 'ID,NAME').split(',');
      const val = (h: OneHost, c: string) => (c === 'ID' ? String(h.id) : c === 'NAME' ? h.name : c === 'STAT' ? STAT[effectiveHost(s, h).state] : '');
      const rows = s.one.hosts.map((h) => cols.map((c) => val(h, c)).join(','));
      return ok([...(rest.includes('--no-header') ? [] : [cols.join(',')]), ...rows].join('\n') + '\n');
    }
    case 'show': {
      const h = findHost(s, ref);
      if (!h) return fail(`[one.host.info] Error getting host [${ref ?? ''}].\n`);
      return isJson(rest) ? json({ HOST: hostJson(s, h) }) : ok(`HOST ${h.id} INFORMATION\nID                    : ${h.id}\nNAME                  : ${h.name}\n`);
    }
    case 'create': {
      if (!ref) return fail('command create requires one parameter to run\n', 255);
      if (findHost(s, ref)) return fail(`[one.host.allocate] NAME is already taken by HOST ${findHost(s, ref)!.id}.\n`);
      const id = store.update((st) => {
        const sim = st.simHosts.find((x) => x.privateIp === ref);
        const h = newOneHost(st.one.nextHostId++, sim ?? { name: ref, privateIp: ref, memTotalKb: 131_586_028 }, nowS, 0);
        h.hostname = sim?.name ?? ref;
        h.createdAt = nowS;
        // `fail monitored`: its monitoring fails until the faults are cleared
        if (consumeFault(st, 'monitored')) {
          h.forcedError = `Error monitoring Host ${ref} (${h.id}): monitor probe failed: timeout ${faultNote('monitored')}`;
          h.faultError = true;
          h.failingSince = nowS;
        }
        st.one.hosts.push(h);
        return h.id;
      });
      return ok(`ID: ${id}\n`);
    }
    case 'enable':
    case 'disable':
    case 'offline':
    case 'forceupdate': {
      const h = findHost(s, ref);
      if (!h) return fail(`[one.host.status] Error getting host [${ref ?? ''}].\n`);
      const f = injected(store, sub, h);
      if (f) return f;
      store.update((st) => {
        const x = st.one.hosts.find((y) => y.id === h.id)!;
        x.prevState = x.state;
        if (sub === 'enable') x.state = x.lastMonitored > 0 ? 2 : 0;
        if (sub === 'disable') x.state = 4;
        if (sub === 'offline') x.state = 8;
        if (sub === 'forceupdate' && x.state !== 8) x.lastMonitored = 0;
      });
      return ok();
    }
    case 'flush': {
      // OpenNebula 7: disable the host and mark every VM on it for rescheduling; the scheduler
      // then live-migrates each one to a host with room (see one-migrate.ts)
      const h = findHost(s, ref);
      if (!h) return fail(`[one.host.status] Error getting host [${ref ?? ''}].\n`);
      const f = injected(store, sub, h);
      if (f) return f;
      store.update((st) => {
        const x = st.one.hosts.find((y) => y.id === h.id)!;
        if (x.state !== 4) x.prevState = x.state;
        x.state = 4;
        for (const vm of st.one.vms.filter((v) => v.hostId === x.id && v.state === 3 && !v.migrating)) vm.resched = true;
      });
      return ok();
    }
    case 'delete': {
      const h = findHost(s, ref);
      if (!h) return fail(`[one.host.delete] Error getting host [${ref ?? ''}].\n`);
      const f = injected(store, sub, h);
      if (f) return f;
      if (s.one.vms.some((v) => v.hostId === h.id && v.state === 3)) {
        return fail('[one.host.delete] Cannot delete host. Can not remove a host with running VMs\n');
      }
      store.update((st) => {
        st.one.hosts = st.one.hosts.filter((y) => y.id !== h.id);
      });
      return ok();
    }
    case 'sync': {
      const ids = rest.filter((a) => /^\d+$/.test(a)).map(Number);
      const failed = syncRemotes(store, ids.length ? ids : undefined);
      if (failed.length) return { stdout: '', stderr: `Failed to update the following hosts:\n${failed.map((n) => `* ${n}`).join('\n')}\n`, code: 255 };
      return ok();
    }
    default:
      return fail(`onehost: unknown command ${sub ?? ''}\n`, 255);
  }
}

/** `onehost sync --force [ids]`: copy the frontend's remotes/vnm/bridge files to the nodes'
 * /var/tmp/one; returns the names of the hosts that could not be reached. */
export function syncRemotes(store: SandboxStateStore, ids?: number[]): string[] {
  return store.update((st) => {
    const failed: string[] = [];
    const fe = st.simHosts.find((x) => x.role === 'frontend');
    const files = fe ? Object.entries(fe.files).filter(([p]) => p.startsWith(`${FRONTEND_REMOTES_DIR}/`)) : [];
    for (const h of st.one.hosts.filter((x) => !ids || ids.includes(x.id))) {
      const sim = st.simHosts.find((x) => x.privateIp === h.name && x.serverId);
      if (!sim || !sim.sshUp || h.state === 8) {
        failed.push(h.name);
        continue;
      }
      for (const [p, sha] of files) sim.files[HOOKS_DIR + p.slice(FRONTEND_REMOTES_DIR.length)] = sha;
    }
    return failed;
  });
}

export function onevm(store: SandboxStateStore, args: string[]): ExecResult {
  const [sub, ...rest] = args;
  const s = store.get();
  if (sub === 'list') return isJson(rest) ? json(vmPoolJson(s)) : ok(s.one.vms.map((v) => `${v.id} ${v.name}`).join('\n') + '\n');
  if (sub === 'show') {
    const ref = rest.find((a) => !a.startsWith('-'));
    const vm = s.one.vms.find((v) => String(v.id) === ref || v.name === ref);
    if (!vm) return fail(`[one.vm.info] Error getting virtual machine [${ref ?? ''}].\n`);
    return json({ VM: vmJson(s, vm) });
  }
  return fail(`onevm: unknown command ${sub ?? ''}\n`, 255);
}
