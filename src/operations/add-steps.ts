// The steps of adding hypervisors: onedeck.yaml, plan (checked), apply, wait for the servers,
// host network, OneDeploy, hooks, wait for MONITORED. Every step checks first whether it is done.
import { editConfigFile } from '../config/edit.js';
import { OnedeckError } from '../errors.js';
import { runJobOrThrow } from './engine.js';
import { readOne } from './one-cli.js';
import { checkAddPlan, hostAddr, planCheckError } from './plan-check.js';
import { findOneHost } from './removal-preview.js';
import { DEFAULT_TIMING, type StepDeps } from './step-deps.js';
import type { StepContext, StepDef } from './types.js';
import { changeLogger, pollUntil } from './wait.js';

export const ADD_STEP_IDS = ['config', 'plan', 'apply', 'server-ready', 'network', 'deploy', 'hooks', 'monitored'] as const;

const HOST_STATE: Record<number, string> = { 0: 'INIT', 2: 'MONITORED', 3: 'ERROR', 4: 'DISABLED', 8: 'OFFLINE' };

/**
 * A plan that creates a host's server while Scaleway already has one for it would make a second:
 * the first is a server an apply stopped while creating and Terraform lost (killed before it
 * wrote its state). Refused, naming the server and the two ways out.
 */
async function refuseUntrackedServers(resources: { addr: string; action: string }[], hosts: string[], deps: StepDeps): Promise<void> {
  for (const h of hosts) {
    if (!resources.some((r) => r.addr === hostAddr('scaleway_baremetal_server.host', h) && r.action === 'create')) continue;
    const s = await deps.serverStatus(h);
    if (!s) continue;
    throw new OnedeckError(`${h}: Scaleway already has a server for it (${s.status}) that the Terraform state does not hold — an apply was stopped while creating it; applying would create a second one`, {
      hint: `Import it (terraform import 'scaleway_baremetal_server.host["${h}"]' <zone>/<server id>) or delete it in the Scaleway console, then resume.`,
    });
  }
}

export function addSteps(hosts: string[], deps: StepDeps): StepDef[] {
  const list = hosts.join(', ');
  const allHaveServers = async () => (await Promise.all(hosts.map((h) => deps.serverStatus(h)))).every((s) => s !== undefined);
  // done only once an apply completed: an apply stopped while creating (a cancel, a crash) leaves
  // a server Scaleway shows but Terraform tainted or never recorded, without its FIP or outputs
  const allApplied = async () => (await allHaveServers()) && (await Promise.all(hosts.map((h) => deps.applied(h)))).every(Boolean);
  const checkedPlan = async (ctx: StepContext) => {
    const out = await runJobOrThrow(ctx, { kind: 'plan', hypervisors: deps.config.read().hypervisors }, 'the plan');
    const c = checkAddPlan(out.plan?.resources ?? [], hosts);
    if (!c.ok) throw planCheckError(c, `adding ${list}`);
    await refuseUntrackedServers(out.plan?.resources ?? [], hosts, deps);
    return out;
  };
  return [
    {
      id: 'config',
      title: `add ${list} to onedeck.yaml`,
      async check() {
        const c = deps.config.read();
        return hosts.every((h) => c.hypervisors.includes(h));
      },
      async act() {
        const r = editConfigFile(deps.config.file, { add: hosts });
        return { message: r.backup ? `written (backup ${r.backup})` : 'written' };
      },
    },
    {
      id: 'plan',
      title: 'plan: exactly the new servers and their Flexible IPs',
      check: async () => ((await allApplied()) ? { message: 'the servers exist already' } : false),
      async act(ctx) {
        const out = await checkedPlan(ctx);
        const made = out.plan?.resources.filter((r) => r.action === 'create' || r.action === 'replace').length ?? 0;
        return { data: { planJobId: out.id }, message: `plan ${out.id}: ${made} to add` };
      },
    },
    {
      id: 'apply',
      title: 'apply',
      check: async () => ((await allApplied()) ? { message: 'the servers exist already' } : false),
      async act(ctx) {
        let planJobId = (ctx.outputs.plan as { planJobId?: string } | undefined)?.planJobId;
        if (!planJobId) throw new OnedeckError('there is no checked plan to apply', { hint: 'Resume the operation: the plan step runs again.' });
        // an earlier apply stopped (cancelled, failed, killed): what it did made the checked plan
        // stale (a server it was creating is tainted now), so plan and check again first
        if (ctx.attempt > 1) {
          // an apply that outlived a killed runner may still run (it holds the state lock): let it
          // end, and if it finished the job, there is nothing left to apply
          await ctx.waitEarlierJobs?.();
          if (await allApplied()) return { message: 'the earlier apply finished it' };
          planJobId = (await checkedPlan(ctx)).id;
        }
        const out = await runJobOrThrow(ctx, { kind: 'apply', planJobId }, 'the apply');
        return { message: `apply ${out.id} succeeded` };
      },
    },
    {
      id: 'server-ready',
      title: 'wait for the servers: ready, installed, SSH answering',
      async act(ctx) {
        const log = changeLogger(ctx);
        const pending = new Set(hosts);
        await pollUntil(ctx, {
          timeoutMs: deps.timing.serverReadyMs,
          pollMs: deps.timing.pollMs,
          probe: async () => {
            for (const h of [...pending]) {
              const s = await deps.serverStatus(h);
              const line = s ? `${h}: ${s.status}${s.installStatus ? `, install ${s.installStatus}` : ''}` : `${h}: no server yet`;
              if (s?.status === 'ready' && s.installStatus === 'completed') {
                const up = await deps.sshAnswers(h);
                log(h, up ? `${line}, SSH answers` : `${line}, waiting for SSH`);
                if (up) pending.delete(h);
              } else {
                log(h, line);
                if (s?.status === 'error' || s?.installStatus === 'error') {
                  throw new OnedeckError(`${h}: Scaleway reports the server ${s.status}${s.installStatus ? ` (install ${s.installStatus})` : ''}`, {
                    hint: 'See the server in the Scaleway console; fix or reinstall it, then resume.',
                  });
                }
              }
            }
            return pending.size === 0 ? true : undefined;
          },
          onTimeout: () =>
            new OnedeckError(`${[...pending].join(', ')} did not become ready within ${Math.round(deps.timing.serverReadyMs / 60_000)} min`, {
              hint: 'Elastic Metal delivery can be slow: resume the operation to wait again.',
            }),
        });
      },
    },
    {
      id: 'network',
      title: `host network (network.yml) on ${list}`,
      act: async (ctx) => void (await runJobOrThrow(ctx, { kind: 'playbook', playbook: 'network', limit: hosts }, 'network.yml')),
    },
    {
      id: 'deploy',
      title: `OneDeploy on the frontend and ${list}`,
      act: async (ctx) => void (await runJobOrThrow(ctx, { kind: 'playbook', playbook: 'deploy', limit: [deps.config.read().frontend, ...hosts] }, 'OneDeploy')),
    },
    {
      id: 'hooks',
      title: 'deploy the Flexible-IP hooks',
      act: async (ctx) => void (await runJobOrThrow(ctx, { kind: 'playbook', playbook: 'hooks' }, 'the hooks deployment')),
    },
    {
      id: 'monitored',
      title: `wait for OpenNebula to show ${list} MONITORED`,
      async act(ctx) {
        const log = changeLogger(ctx);
        const ips = deps.config.read().privateIps;
        let last = '';
        const errorGrace = deps.timing.monitoredErrorMs ?? DEFAULT_TIMING.monitoredErrorMs!;
        const erroredSince: Record<string, number> = {};
        await pollUntil(ctx, {
          timeoutMs: deps.timing.monitoredMs,
          pollMs: deps.timing.pollMs,
          probe: async () => {
            const { hosts: one } = await readOne(deps);
            const states = hosts.map((h) => {
              const x = findOneHost(one, h, ips[h]);
              const st = x ? (HOST_STATE[x.state] ?? String(x.state)) : 'not in OpenNebula yet';
              log(h, `${h}: ${x ? `host ${x.id} ` : ''}${st}${x?.state === 3 && x.error ? `: ${x.error}` : ''}`);
              // ERROR for longer than a monitoring retry or two: say OpenNebula's reason now
              if (x?.state === 3) erroredSince[h] ??= ctx.now();
              else delete erroredSince[h];
              if (x?.state === 3 && ctx.now() - erroredSince[h] >= errorGrace) {
                throw new OnedeckError(`${h}: OpenNebula keeps host ${x.id} in ERROR: ${x.error ?? 'no error message'}`, {
                  hint: 'Fix what OpenNebula names (SSH from the frontend, libvirtd, the oneadmin key) and resume: the wait starts again.',
                });
              }
              return x?.state === 2;
            });
            last = hosts.map((h, i) => `${h} ${states[i] ? 'MONITORED' : 'not MONITORED'}`).join(', ');
            return states.every(Boolean) ? true : undefined;
          },
          onTimeout: () => new OnedeckError(`OpenNebula did not show the new hosts MONITORED in time (${last})`, { hint: 'Look at the host in onehost show (its ERROR), fix it, then resume.' }),
        });
      },
    },
  ];
}
