// After an apply: `tofu output -json` (saved by the runner) → the Ansible inventory file.
import { readFileSync } from 'node:fs';
import { renderInventory, writeInventory } from '../adapters/ansible/inventory.js';
import type { Config } from '../config/schema.js';
import type { TofuOutputs } from '../domain/inventory.js';
import { OnedeckError } from '../errors.js';

export async function renderInventoryFromOutputs(outputsFile: string, config: Config, inventoryFile: string): Promise<void> {
  let outputs: TofuOutputs;
  try {
    outputs = JSON.parse(readFileSync(outputsFile, 'utf8')) as TofuOutputs;
  } catch (cause) {
    throw new OnedeckError(`cannot read the tofu outputs ${outputsFile}`, { cause, hint: 'Run the apply again.' });
  }
  const inv = outputs.inventory?.value;
  if (!inv) {
    throw new OnedeckError('the tofu outputs have no `inventory` output', {
      hint: 'paths.terraform in onedeck.yaml must point at onedeck\'s terraform/ root module.',
    });
  }
  await writeInventory(inventoryFile, renderInventory(inv, config));
}
