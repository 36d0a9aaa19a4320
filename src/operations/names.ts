// Names an operation proposes or refuses: the next free kvm-N, and hosts that can never be removed.
import { OnedeckError } from '../errors.js';

/** The next `kvm-N` not in `taken` (one past the highest N, so a removed name is not reused at once). */
export function nextFreeName(taken: Iterable<string>, prefix = 'kvm-'): string {
  let max = 0;
  const all = new Set(taken);
  for (const n of all) {
    const m = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+)$`).exec(n);
    if (m) max = Math.max(max, parseInt(m[1], 10));
  }
  let i = max + 1;
  while (all.has(`${prefix}${i}`)) i++;
  return `${prefix}${i}`;
}

/** `count` new names after the ones taken. */
export function nextFreeNames(taken: Iterable<string>, count: number, prefix = 'kvm-'): string[] {
  const have = [...taken];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = nextFreeName([...have, ...out], prefix);
    out.push(n);
  }
  return out;
}

const HOST_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** Refuse names an add cannot use: invalid, the frontend's, already configured, or repeated. */
export function checkAddNames(names: string[], cfg: { frontend: string; hypervisors: string[] }): void {
  if (names.length === 0) throw new OnedeckError('no host to add', { hint: 'Name the hosts: :add kvm-4 kvm-5.', exitCode: 64 });
  const seen = new Set<string>();
  for (const n of names) {
    if (!HOST_NAME.test(n)) {
      throw new OnedeckError(`"${n}" is not a valid host name`, { hint: 'Use lower-case letters, digits and dashes, starting with a letter.', exitCode: 64 });
    }
    if (n === cfg.frontend) throw new OnedeckError(`${n} is the frontend`, { hint: 'Pick another name for the new hypervisor.', exitCode: 64 });
    if (cfg.hypervisors.includes(n)) throw new OnedeckError(`${n} is already a hypervisor of this cluster`, { hint: 'Pick a free name (:add with no name proposes one).', exitCode: 64 });
    if (seen.has(n)) throw new OnedeckError(`${n} is named twice`, { hint: 'Name each new host once.', exitCode: 64 });
    seen.add(n);
  }
}

/** Refuse a removal of the frontend or of a host the config does not list. */
export function checkRemoveName(name: string, cfg: { frontend: string; hypervisors: string[] }): void {
  if (name === cfg.frontend) {
    throw new OnedeckError(`${name} is the frontend: it can never be removed`, {
      hint: 'The frontend runs OpenNebula itself; remove hypervisors only.',
      exitCode: 64,
    });
  }
  if (!cfg.hypervisors.includes(name)) {
    throw new OnedeckError(`${name} is not a hypervisor of this cluster`, { hint: `The hypervisors are: ${cfg.hypervisors.join(', ') || 'none'}.`, exitCode: 64 });
  }
}
