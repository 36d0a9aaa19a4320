// The tofu `inventory` output. Preferred: the cache `<paths.terraform>/.onedeck-outputs.json` the
// job runner writes after each apply (no tofu run per sweep). Else, when a state exists, run
// `<tools.tofu> output -json` once. Else nothing (hosts without an address are "unknown").
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Config } from '../config/schema.js';
import type { InventoryOutput } from '../domain/inventory.js';
import { OnedeckError } from '../errors.js';

export const OUTPUTS_CACHE = '.onedeck-outputs.json';

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

export async function readInventory(config: Pick<Config, 'paths' | 'tools'>): Promise<InventoryOutput | undefined> {
  const dir = config.paths.terraform;
  const cache = join(dir, OUTPUTS_CACHE);
  if (existsSync(cache)) {
    try {
      return inventoryFromJson(JSON.parse(readFileSync(cache, 'utf8')));
    } catch (cause) {
      throw new OnedeckError(`cannot read ${cache}: ${(cause as Error).message}.`, { hint: 'Run apply again to rewrite it, or delete it.', cause });
    }
  }
  const hasState = existsSync(join(dir, 'terraform.tfstate')) || existsSync(join(dir, '.terraform', 'terraform.tfstate'));
  if (!hasState) return undefined;
  const bin = config.tools.tofu === 'auto' ? 'tofu' : config.tools.tofu;
  const r = await execa(bin, ['output', '-json'], { cwd: dir, timeout: 30_000, reject: false, stdin: 'ignore' });
  if (r.failed) {
    throw new OnedeckError(`\`${bin} output -json\` failed in ${dir}: ${String(r.stderr || r.shortMessage || "no output").split('\n')[0]}.`, {
      hint: 'Run `tofu init` there, or apply once so onedeck writes its outputs cache.',
    });
  }
  try {
    return inventoryFromJson(JSON.parse(r.stdout));
  } catch (cause) {
    throw new OnedeckError(`\`${bin} output -json\` printed something that is not JSON.`, { cause });
  }
}
