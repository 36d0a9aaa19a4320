// The tofu `inventory` output. Preferred: the cache `<paths.terraform>/.onedeck-outputs.json` the
// job runner writes after each apply (no tofu run per sweep). Else, when a state exists, run
// `<tools.tofu> output -json` once. Else nothing (hosts without an address are "unknown").
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Config } from '../../config/schema.js';
import type { InventoryOutput } from '../../domain/inventory.js';
import { OnedeckError } from '../../errors.js';
import { findTofu } from '../tools.js';

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

export async function readInventory(config: Pick<Config, 'paths' | 'tools' | 'source'>): Promise<InventoryOutput | undefined> {
  const dir = config.paths.terraform;
  const cache = join(dir, OUTPUTS_FILE);
  const state = [join(dir, 'terraform.tfstate'), join(dir, '.terraform', 'terraform.tfstate')].find((f) => existsSync(f));
  // the cache is good while no apply (by onedeck or anyone else) has written the state since
  if (existsSync(cache) && (!state || statSync(cache).mtimeMs >= statSync(state).mtimeMs)) {
    try {
      return inventoryFromJson(JSON.parse(readFileSync(cache, 'utf8')));
    } catch (cause) {
      throw new OnedeckError(`cannot read ${cache}: ${(cause as Error).message}.`, { hint: 'Run apply again to rewrite it, or delete it.', cause });
    }
  }
  if (!state) return undefined;
  const bin = findTofu(config);
  const r = await execa(bin, ['output', '-json'], { cwd: dir, timeout: 30_000, reject: false, stdin: 'ignore' });
  if (r.failed) {
    throw new OnedeckError(`\`${bin} output -json\` failed in ${dir}: ${String(r.stderr || r.shortMessage || 'no output').split('\n')[0]}.`, {
      hint: 'Run `tofu init` there, or apply once so onedeck writes its outputs cache.',
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.stdout);
  } catch (cause) {
    throw new OnedeckError(`\`${bin} output -json\` printed something that is not JSON.`, { cause });
  }
  try {
    // outputs hold no secret (the inventory output is addresses and ids), but keep the file private anyway
    writeFileSync(`${cache}.tmp`, r.stdout, { mode: 0o600 });
    renameSync(`${cache}.tmp`, cache);
  } catch {
    // a read-only checkout: run tofu output again next time
  }
  return inventoryFromJson(parsed);
}
