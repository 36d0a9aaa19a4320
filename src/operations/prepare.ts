// Before an operation exists: check the request, compute the preview (every step; for a removal
// the host's VMs and where they fit) and write the operation, ready to start. Refusals happen
// here, before anything changes.
import { OnedeckError } from '../errors.js';
import { addSteps } from './add-steps.js';
import { readOne } from './one-cli.js';
import { checkAddNames, checkRemoveName, nextFreeName } from './names.js';
import { createOperation } from './operations.js';
import { assertFits, findOneHost, previewLines, previewRemoval, type RemovalPreview } from './removal-preview.js';
import { removeSteps } from './remove-steps.js';
import type { StepDeps } from './step-deps.js';
import type { OperationKind, OperationSummary, Operator } from './types.js';

/** The steps' ids and titles (they depend on the hosts only, never on the deps). */
export function outline(kind: OperationKind, hosts: string[]): { id: string; title: string }[] {
  const none = {} as StepDeps; // titles are built from the names; no dependency is touched
  const steps = kind === 'add' ? addSteps(hosts, none) : removeSteps(hosts[0], none);
  return steps.map((s) => ({ id: s.id, title: s.title }));
}

export interface AddPreview {
  kind: 'add';
  hosts: string[];
  steps: { id: string; title: string }[];
}

/** `:add [NAME…]`: with no name, the next free kvm-N. Throws the refusal. */
export function previewAdd(cfg: { frontend: string; hypervisors: string[] }, names: string[] = []): AddPreview {
  const hosts = names.length ? names : [nextFreeName([cfg.frontend, ...cfg.hypervisors])];
  checkAddNames(hosts, cfg);
  return { kind: 'add', hosts, steps: outline('add', hosts) };
}

export interface RemovePreview {
  kind: 'remove';
  host: string;
  steps: { id: string; title: string }[];
  /** undefined when OpenNebula does not know the host (then only the infrastructure goes) */
  vms?: RemovalPreview;
  lines: string[];
}

/** `:remove NAME`: refuses the frontend, an unknown host, or VMs that fit nowhere else. */
export async function previewRemove(deps: Pick<StepDeps, 'frontend' | 'onePrefix' | 'config'>, name: string): Promise<RemovePreview> {
  const cfg = deps.config.read();
  checkRemoveName(name, cfg);
  const one = await readOne(deps);
  const h = findOneHost(one.hosts, name, cfg.privateIps[name]);
  const steps = outline('remove', [name]);
  if (!h) return { kind: 'remove', host: name, steps, lines: [`${name} is not an OpenNebula host: only its server and its config entry go`] };
  const p = previewRemoval(one.hosts, one.vms, h);
  assertFits(p);
  return { kind: 'remove', host: name, steps, vms: p, lines: previewLines(p) };
}

/** Write the operation (not started yet); its spec keeps the preview shown at the confirmation. */
export function createFromPreview(stateDir: string, p: AddPreview | RemovePreview, o: { configFile: string; operator: Operator; now?: number }): OperationSummary {
  const hosts = p.kind === 'add' ? p.hosts : [p.host];
  if (hosts.length === 0) throw new OnedeckError('no host named', { exitCode: 64 });
  return createOperation(
    stateDir,
    {
      kind: p.kind,
      title: `${p.kind} ${hosts.join(' ')}`,
      hosts,
      configFile: o.configFile,
      operator: o.operator,
      steps: p.steps,
      ...(p.kind === 'remove' && p.lines.length ? { details: p.lines } : {}),
    },
    o.now,
  );
}
