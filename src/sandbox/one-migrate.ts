// OpenNebula's scheduler and live migration, simulated: a VM marked for rescheduling (by
// `onehost flush`) goes to the enabled host with the most free memory that has room for its CPU
// and memory, in LCM state MIGRATE for knobs.migrateMs, then RUNNING there. With no room it stays
// where it is with the scheduler's SCHED_MESSAGE; a failed migration leaves it on its host with
// USER_TEMPLATE.ERROR, as OpenNebula does.
import { effectiveHost, oneTime } from './one-monitor.js';
import { consumeFault, knobs } from './state-faults.js';
import type { OneHost, OneVm, SandboxState } from './state-types.js';

export const NO_ROOM = 'Cannot dispatch VM to any Host. Possible reasons: Not enough capacity in Host or System DS, dispatch limit reached, or limit of free leases reached.';

/** A VM that takes room on a host: ACTIVE (any LCM state), or on its way there. */
const counts = (v: OneVm) => v.state === 3;

/** CPU (×100) and memory (KB) allocated on a host, migrations towards it included. */
export function allocated(state: SandboxState, h: OneHost): { cpu: number; memKb: number } {
  let cpu = 0;
  let memKb = 0;
  for (const v of state.one.vms) {
    if (!counts(v)) continue;
    if (v.hostId === h.id || v.migrating?.to === h.id) {
      cpu += Math.round(v.cpu * 100);
      memKb += v.memoryMb * 1024;
    }
  }
  return { cpu, memKb };
}

function pickHost(state: SandboxState, vm: OneVm): OneHost | undefined {
  const fits = state.one.hosts
    .filter((h) => h.id !== vm.hostId && effectiveHost(state, h).state === 2)
    .map((h) => ({ h, a: allocated(state, h) }))
    .filter(({ h, a }) => a.cpu + Math.round(vm.cpu * 100) <= h.totalCpu && a.memKb + vm.memoryMb * 1024 <= h.totalMemKb)
    .sort((x, y) => y.h.totalMemKb - y.a.memKb - (x.h.totalMemKb - x.a.memKb));
  return fits[0]?.h;
}

/** Advance migrations and place rescheduled VMs at epoch ms `now`; true when anything changed. */
export function advanceOne(state: SandboxState, now: number): boolean {
  let changed = false;
  const { migrateMs } = knobs(state);
  const nowS = Math.floor(now / 1000);
  for (const vm of state.one.vms) {
    const m = vm.migrating;
    if (!m || now - m.startedAt < migrateMs) continue;
    const to = state.one.hosts.find((h) => h.id === m.to);
    if (m.fail || !to) {
      vm.error = `${oneTime(nowS)} : Error executing image transfer script: Error live-migrating VM ${vm.id} to host ${to?.name ?? m.to}: error: operation failed: job 'migration out' failed: unexpectedly failed`;
    } else {
      vm.hostId = to.id;
      vm.stime = nowS;
    }
    vm.lcmState = 3;
    delete vm.migrating;
    vm.resched = false;
    changed = true;
  }
  for (const vm of state.one.vms) {
    if (!vm.resched || vm.migrating || vm.state !== 3) continue;
    const to = pickHost(state, vm);
    if (!to) {
      // the scheduler says so again on every cycle (here: once a second) until there is room
      const msg = `${oneTime(nowS)} : ${NO_ROOM}`;
      if (vm.schedMessage !== msg) {
        vm.schedMessage = msg;
        changed = true;
      }
      continue;
    }
    delete vm.schedMessage;
    vm.lcmState = 4;
    vm.migrating = { to: to.id, startedAt: now, ...(consumeFault(state, 'migrate') ? { fail: true } : {}) };
    changed = true;
  }
  return changed;
}
