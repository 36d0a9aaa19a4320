// The tofu `inventory` output, read without running anything and without writing anything (the
// health sweep and hook-log tails call this from every onedeck process, read-only ones too).
// Preferred: `<paths.terraform>/.onedeck-outputs.json`, which an apply job writes as its post step.
// Else a local state file (`terraform.tfstate` holds `outputs.inventory.value`). Else nothing.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import type { InventoryOutput } from '../../domain/inventory.js';
import { OnedeckError } from '../../errors.js';

export const OUTPUTS_FILE = '.onedeck-outputs.json';

/** Accepts `tofu output -json` (every output as {value}) or the bare inventory value. */
export function inventoryFromJson(json: unknown): InventoryOutput | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const o = json as Record<string, unknown>;
  const inv = (o.inventory && typeof o.inventory === 'object' && 'value' in (o.inventory as object)
    ? (o.inventory as { value: unknown }).value
    : o) as Partial<InventoryOutput>;
  if (!inv || typeof inv !== 'object' || (!inv.frontend && !inv.hypervisors)) return undefined;
  return { ...inv, hypervisors: inv.hypervisors ?? {} } as InventoryOutput;
}

const mtime = (f: string): number | undefined => {
  try {
    return statSync(f).mtimeMs;
  } catch {
    return undefined;
  }
};

function readJsonFile(file: string, hint: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new OnedeckError(`cannot read ${file}: ${(cause as Error).message}.`, { hint, cause });
  }
}

/**
 * The inventory output, or undefined when there are no servers yet (no outputs, no state).
 * Throws when a state exists but its outputs cannot be read here (a remote backend before
 * onedeck's first apply): "no outputs yet".
 */
export async function readInventory(config: Pick<Config, 'paths'>): Promise<InventoryOutput | undefined> {
  const dir = config.paths.terraform;
  const cache = join(dir, OUTPUTS_FILE);
  const state = join(dir, 'terraform.tfstate');
  const cacheAt = mtime(cache);
  const stateAt = mtime(state);
  // the outputs file is good while no apply (by onedeck or anyone else) has written the state since
  if (cacheAt !== undefined && (stateAt === undefined || cacheAt >= stateAt)) {
    return inventoryFromJson(readJsonFile(cache, 'Run apply again to rewrite it, or delete it.'));
  }
  if (stateAt !== undefined) {
    const st = readJsonFile(state, 'It is OpenTofu\'s state: check it with `tofu show`.') as { outputs?: unknown } | null;
    // a local state newer than the outputs file says what is there now (nothing, after a destroy)
    if (st && typeof st.outputs === 'object') return inventoryFromJson(st.outputs);
  }
  if (cacheAt !== undefined) return inventoryFromJson(readJsonFile(cache, 'Run apply again to rewrite it, or delete it.'));
  if (stateAt !== undefined || existsSync(join(dir, '.terraform', 'terraform.tfstate'))) {
    throw new OnedeckError(`no outputs yet in ${dir}: apply writes them (${OUTPUTS_FILE})`, {
      hint: 'Run an apply from onedeck (p, then a); onedeck never runs tofu outside a job.',
    });
  }
  return undefined;
}
