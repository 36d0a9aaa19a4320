// A terraform.tfstate-like file (format version 4) in the working dir: serial, lineage, the
// managed resources by address and the `inventory` output, as the real local backend keeps them.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InventoryOutput } from '../../domain/inventory.js';
import { ctyType, TOFU_VERSION } from './tofu-ui.js';

export interface TfState {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, { value: unknown; type: unknown; sensitive?: boolean }>;
  resources: { mode: 'managed'; type: string; name: string; provider: string; instances: { index_key: string; attributes: { id: string } }[] }[];
  check_results: null;
}

export const STATE_FILE = 'terraform.tfstate';
const PROVIDER = 'provider["registry.opentofu.org/scaleway/scaleway"]';

export function readTfState(dir: string): TfState | null {
  const f = join(dir, STATE_FILE);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as TfState) : null;
}

/** Resource ids per type/name/key, for the state file. */
export type ResourceIds = Record<string, Record<string, Record<string, string>>>;

export function writeTfState(dir: string, inventory: InventoryOutput | null, ids: ResourceIds, prev: TfState | null): TfState {
  const state: TfState = {
    version: 4,
    terraform_version: TOFU_VERSION,
    serial: (prev?.serial ?? 0) + 1,
    lineage: prev?.lineage ?? randomUUID(),
    outputs: inventory ? { inventory: { value: inventory, type: ctyType(inventory) } } : {},
    resources: Object.entries(ids).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, byKey]) => ({
        mode: 'managed' as const,
        type,
        name,
        provider: PROVIDER,
        instances: Object.entries(byKey).map(([k, id]) => ({ index_key: k, attributes: { id } })),
      })),
    ),
    check_results: null,
  };
  const f = join(dir, STATE_FILE);
  if (existsSync(f)) writeFileSync(`${f}.backup`, readFileSync(f));
  writeFileSync(`${f}.tmp`, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  renameSync(`${f}.tmp`, f);
  return state;
}

/** What `tofu init` leaves behind: .terraform/ and the dependency lock file. */
export function markInitialized(dir: string): void {
  mkdirSync(join(dir, '.terraform', 'providers', 'registry.opentofu.org', 'scaleway', 'scaleway', '2.57.0', 'linux_amd64'), { recursive: true });
  const lock = join(dir, '.terraform.lock.hcl');
  if (!existsSync(lock)) {
    writeFileSync(
      lock,
      `# This file is maintained automatically by "tofu init".\n# Manual edits may be lost in future updates.\n\nprovider "registry.opentofu.org/scaleway/scaleway" {\n  version     = "2.57.0"\n  constraints = "~> 2.57"\n  hashes = [\n    "h1:3Zt0q3kVjGmWcHSTdWDEvyDd2HQLH1JmDZWw0ELL8wQ=",\n  ]\n}\n`,
    );
  }
}

export const isInitialized = (dir: string) => existsSync(join(dir, '.terraform'));
