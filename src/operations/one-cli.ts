// OpenNebula's CLI on the frontend, for the operations: onehost/onevm with their exit codes.
import { OnedeckError } from '../errors.js';
import { parseCliJson } from '../adapters/opennebula/client.js';
import { parseHostCapacities, parseVmDemands, type HostCapacity, type VmDemand } from './capacity.js';
import type { StepDeps } from './step-deps.js';

const quote = (s: string) => (/^[A-Za-z0-9_.,:/=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Run `onehost …`/`onevm …`; a non-zero exit throws with OpenNebula's own message. */
export async function oneCli(deps: Pick<StepDeps, 'frontend' | 'onePrefix'>, args: string[]): Promise<string> {
  const line = `${deps.onePrefix.trim()} ${args.map(quote).join(' ')}`.trim();
  const r = await deps.frontend(line);
  if (r.code !== 0) {
    const msg = (r.stderr.trim() || r.stdout.trim() || 'no error output').split('\n').slice(-3).join(' ');
    throw new OnedeckError(`\`${args.join(' ')}\` on the frontend failed (exit ${r.code ?? 'signal'}): ${msg}`, {
      hint: 'Fix the cause OpenNebula names, then resume the operation (:resume).',
      exitCode: 1,
    });
  }
  return r.stdout;
}

export async function readOne(deps: Pick<StepDeps, 'frontend' | 'onePrefix'>): Promise<{ hosts: HostCapacity[]; vms: VmDemand[] }> {
  const [h, v] = await Promise.all([oneCli(deps, ['onehost', 'list', '-j']), oneCli(deps, ['onevm', 'list', '-j'])]);
  return { hosts: parseHostCapacities(parseCliJson(h, 'onehost list -j')), vms: parseVmDemands(parseCliJson(v, 'onevm list -j')) };
}

/** Why OpenNebula could not run or move the VM: USER_TEMPLATE.ERROR (a failed action) or
 * USER_TEMPLATE.SCHED_MESSAGE (the scheduler found no host), if any. */
export async function vmError(deps: Pick<StepDeps, 'frontend' | 'onePrefix'>, id: string): Promise<string | undefined> {
  try {
    type T = { ERROR?: unknown; SCHED_MESSAGE?: unknown };
    const j = parseCliJson(await oneCli(deps, ['onevm', 'show', id, '-j']), 'onevm show -j') as { VM?: { USER_TEMPLATE?: T; TEMPLATE?: T } };
    const s = (x: unknown) => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
    const parts = [s(j.VM?.USER_TEMPLATE?.ERROR) ?? s(j.VM?.TEMPLATE?.ERROR), s(j.VM?.USER_TEMPLATE?.SCHED_MESSAGE)].filter(Boolean);
    return parts.length ? parts.join(' / ') : undefined;
  } catch {
    return undefined;
  }
}
