// The steps of removing a hypervisor: onehost disable, flush, wait for 0 VMs (each move shown),
// onehost delete, plan (checked), apply, onedeck.yaml, inventory, known_hosts.
import { editConfigFile } from '../config/edit.js';
import { OnedeckError } from '../errors.js';
import type { HostCapacity, VmDemand } from './capacity.js';
import { runJobOrThrow } from './engine.js';
import { oneCli, readOne, vmError } from './one-cli.js';
import { checkRemovePlan, planCheckError } from './plan-check.js';
import { findOneHost } from './removal-preview.js';
import type { StepDeps } from './step-deps.js';
import type { StepContext, StepDef } from './types.js';
import { changeLogger, pollUntil } from './wait.js';

export const REMOVE_STEP_IDS = ['onehost-disable', 'onehost-flush', 'drain', 'onehost-delete', 'plan', 'apply', 'config', 'inventory', 'known-hosts'] as const;

const LCM: Record<number, string> = { 3: 'RUNNING', 4: 'MIGRATE', 2: 'BOOT', 1: 'PROLOG', 0: 'LCM_INIT' };
const vmState = (v: VmDemand) => (v.state === 3 ? (LCM[v.lcmState] ?? `ACTIVE(${v.lcmState})`) : ({ 1: 'PENDING', 7: 'FAILED', 8: 'POWEROFF' } as Record<number, string>)[v.state] ?? `STATE ${v.state}`);
/** VMs that still occupy a host (not DONE, STOPPED, UNDEPLOYED) */
const occupies = (v: VmDemand) => ![4, 6, 9].includes(v.state);

export function removeSteps(host: string, deps: StepDeps): StepDef[] {
  const privateIp = () => deps.config.read().privateIps[host];
  const oneHost = async (): Promise<{ h?: HostCapacity; hosts: HostCapacity[]; vms: VmDemand[] }> => {
    const one = await readOne(deps);
    return { ...one, h: findOneHost(one.hosts, host, privateIp()) };
  };
  const onHost = (h: HostCapacity, vms: VmDemand[]) => vms.filter((v) => occupies(v) && (v.hostId === h.id || h.vmIds.includes(v.id)));
  const gone = async () => (await deps.serverStatus(host)) === undefined;
  /** a plan of the cluster without the host, checked: it destroys the host's resources and
   * nothing else (`rest`: what an earlier, stopped apply left of them, so some may be gone) */
  const checkedPlan = async (ctx: StepContext, rest: boolean) => {
    const keep = deps.config.read().hypervisors.filter((n) => n !== host);
    const out = await runJobOrThrow(ctx, { kind: 'plan', hypervisors: keep }, 'the plan');
    const c = checkRemovePlan(out.plan?.resources ?? [], host);
    if (!c.ok && !(rest && c.unexpected.length === 0)) throw planCheckError(c, `removing ${host}`);
    return out;
  };

  /** the plan changes nothing (of the host: the check let nothing else through) */
  const nothingLeft = (out: { plan?: { resources: { action: string }[] } }) => !(out.plan?.resources ?? []).some((r) => !['noop', 'no-op', 'read'].includes(r.action));

  return [
    {
      id: 'onehost-disable',
      title: `onehost disable ${host}`,
      async check() {
        const { h } = await oneHost();
        return !h ? { message: 'not in OpenNebula' } : h.state === 4 ? { message: 'already disabled' } : false;
      },
      async act() {
        const { h } = await oneHost();
        await oneCli(deps, ['onehost', 'disable', h!.id]);
        return { message: `host ${h!.id} disabled` };
      },
    },
    {
      id: 'onehost-flush',
      title: `onehost flush ${host} (OpenNebula migrates its VMs away)`,
      async check() {
        const { h, vms } = await oneHost();
        return !h ? { message: 'not in OpenNebula' } : onHost(h, vms).length === 0 ? { message: 'runs no VM' } : false;
      },
      async act() {
        const { h, vms } = await oneHost();
        // what OpenNebula said about each VM before the flush: the wait tells new failures from old
        const baseline: Record<string, string | null> = {};
        for (const v of onHost(h!, vms)) baseline[v.id] = (await vmError(deps, v.id)) ?? null;
        await oneCli(deps, ['onehost', 'flush', h!.id]);
        return { message: `host ${h!.id} flushed`, data: { baseline } };
      },
    },
    {
      id: 'drain',
      title: `wait until ${host} runs 0 VMs`,
      act: (ctx) => drain(ctx, deps, host, oneHost, onHost),
    },
    {
      id: 'onehost-delete',
      title: `onehost delete ${host}`,
      async check() {
        return (await oneHost()).h ? false : { message: 'not in OpenNebula' };
      },
      async act() {
        const { h } = await oneHost();
        await oneCli(deps, ['onehost', 'delete', h!.id]);
        return { message: `host ${h!.id} deleted` };
      },
    },
    {
      id: 'plan',
      title: `plan: exactly ${host}'s server and Flexible IP destroyed`,
      // always planned: a server already gone (the rollback of an add whose apply was refused)
      // may have left the host's private-network IPs in the state, and they go too
      async act(ctx) {
        const out = await checkedPlan(ctx, await gone());
        if (nothingLeft(out)) return { data: { nothing: true }, message: `nothing of ${host} is left to destroy` };
        return { data: { planJobId: out.id }, message: `plan ${out.id}: ${out.plan?.resources.filter((r) => r.action === 'delete').length ?? 0} to destroy` };
      },
    },
    {
      id: 'apply',
      title: 'apply',
      check: async (ctx) => ((ctx.outputs.plan as { nothing?: boolean } | undefined)?.nothing ? { message: `nothing of ${host} is left to destroy` } : false),
      async act(ctx) {
        let planJobId = (ctx.outputs.plan as { planJobId?: string } | undefined)?.planJobId;
        if (!planJobId) throw new OnedeckError('there is no checked plan to apply', { hint: 'Resume the operation: the plan step runs again.' });
        // an earlier apply stopped mid-destroy (killed, cancelled, failed): the checked plan is
        // stale (part of it is destroyed). Let an apply that outlived its runner end, then plan
        // again: nothing left of the host means it is done, else apply what is left of it
        if (ctx.attempt > 1) {
          await ctx.waitEarlierJobs?.();
          const again = await checkedPlan(ctx, true);
          if (nothingLeft(again)) return { message: 'the earlier apply finished it' };
          planJobId = again.id;
        }
        const out = await runJobOrThrow(ctx, { kind: 'apply', planJobId }, 'the apply');
        return { message: `apply ${out.id} succeeded` };
      },
    },
    {
      id: 'config',
      title: `remove ${host} from onedeck.yaml`,
      check: async () => !deps.config.read().hypervisors.includes(host),
      async act() {
        // the host's known_hosts names come from its entry: note them before it goes
        const names = deps.knownHostNames(host);
        const r = editConfigFile(deps.config.file, { remove: [host] });
        return { message: r.backup ? `written (backup ${r.backup})` : 'written', data: { knownHostNames: names } };
      },
    },
    {
      id: 'inventory',
      title: 'render the Ansible inventory again',
      act: async () => void (await deps.renderInventory()),
    },
    {
      id: 'known-hosts',
      title: `drop ${host}'s known_hosts entries`,
      async act(ctx) {
        const noted = (ctx.outputs.config as { knownHostNames?: string[] } | undefined)?.knownHostNames;
        const names = noted ?? deps.knownHostNames(host);
        return { message: `${await deps.dropKnownHosts(names)} line(s) dropped (${names.join(', ')})` };
      },
    },
  ];
}

/** Wait for the host to run 0 VMs, logging each VM's moves; a VM OpenNebula cannot move stops it. */
async function drain(
  ctx: StepContext,
  deps: StepDeps,
  host: string,
  oneHost: () => Promise<{ h?: HostCapacity; hosts: HostCapacity[]; vms: VmDemand[] }>,
  onHost: (h: HostCapacity, vms: VmDemand[]) => VmDemand[],
): Promise<{ message: string }> {
  const log = changeLogger(ctx);
  const first = await oneHost();
  if (!first.h) return { message: 'not in OpenNebula' };
  const hostId = first.h.id;
  const watched = new Map(onHost(first.h, first.vms).map((v) => [v.id, v.name]));
  // a message already there before the flush is old news (a failure fixed, then resumed);
  // OpenNebula stamps each one with its time, and the scheduler writes SCHED_MESSAGE again on
  // every cycle it still finds no host, so a new or rewritten message is a fresh failure
  const flushed = ctx.outputs['onehost-flush'] as { baseline?: Record<string, string | null> } | undefined;
  const oldErrors = new Map<string, string | undefined>();
  const again = ctx.attempt > 1 && watched.size > 0;
  for (const id of watched.keys()) {
    const b = again ? undefined : flushed?.baseline;
    oldErrors.set(id, b && id in b ? (b[id] ?? undefined) : await vmError(deps, id));
  }
  if (again) {
    // a resumed wait: the VMs that did not move are no longer marked for rescheduling; flush again
    ctx.log(`onehost flush ${hostId} again`);
    await oneCli(deps, ['onehost', 'flush', hostId]);
  }
  const names = (hosts: HostCapacity[], id?: string) => {
    const x = hosts.find((h) => h.id === id);
    return x ? (x.hostname ?? x.name) : id === undefined ? 'no host' : `host ${id}`;
  };
  await pollUntil(ctx, {
    timeoutMs: deps.timing.drainMs,
    pollMs: deps.timing.pollMs,
    probe: async () => {
      const { h, hosts, vms } = await oneHost();
      if (!h) return true;
      for (const v of vms.filter((x) => watched.has(x.id))) {
        log(v.id, `VM ${v.id} ${v.name}: ${vmState(v)} on ${names(hosts, v.hostId)}`);
      }
      const left = onHost(h, vms);
      for (const v of left) watched.set(v.id, v.name);
      for (const v of left) {
        const err = await vmError(deps, v.id);
        if (v.state === 7 || (err && err !== oldErrors.get(v.id))) {
          throw new OnedeckError(`VM ${v.id} ${v.name} did not move off ${host}: ${err ?? vmState(v)}`, {
            hint: 'Make room on another host or fix the cause OpenNebula names, then resume (the flush runs again).',
            exitCode: 1,
          });
        }
      }
      return left.length === 0 ? true : undefined;
    },
    onTimeout: () =>
      new OnedeckError(`${host} (host ${hostId}) still runs VMs after ${Math.round(deps.timing.drainMs / 60_000)} min`, {
        hint: 'See where they are with onevm list; resume to wait again.',
      }),
  });
  return { message: watched.size ? `${watched.size} VM(s) moved off` : `no VM left on ${host}` };
}
