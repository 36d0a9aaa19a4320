// The tofu outputs are read, never produced: the outputs file an apply wrote, else a local state's
// outputs, else nothing. No tool runs and no file is written (read-only processes call this).
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OUTPUTS_FILE, readInventory } from '../../src/adapters/tofu/outputs.js';

const inv = (ip: string) => ({ frontend: { name: 'fe', public_ip: ip }, hypervisors: {} });
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
const setup = () => {
  dir = mkdtempSync(join(tmpdir(), 'outputs-'));
  return { config: { paths: { terraform: dir } } as Parameters<typeof readInventory>[0], dir };
};
const age = (f: string, s: number) => utimesSync(f, new Date(Date.now() - s * 1000), new Date(Date.now() - s * 1000));

describe('readInventory', () => {
  it('nothing at all: undefined', async () => {
    const { config } = setup();
    expect(await readInventory(config)).toBeUndefined();
  });

  it("the apply's outputs file, unless a newer local state says otherwise", async () => {
    const { config, dir } = setup();
    writeFileSync(join(dir, OUTPUTS_FILE), JSON.stringify({ inventory: { value: inv('198.51.100.1') } }));
    expect((await readInventory(config))?.frontend?.public_ip).toBe('198.51.100.1');
    writeFileSync(join(dir, 'terraform.tfstate'), JSON.stringify({ version: 4, outputs: { inventory: { value: inv('198.51.100.2'), type: 'object' } } }));
    age(join(dir, OUTPUTS_FILE), 60);
    expect((await readInventory(config))?.frontend?.public_ip).toBe('198.51.100.2');
    age(join(dir, 'terraform.tfstate'), 120);
    expect((await readInventory(config))?.frontend?.public_ip).toBe('198.51.100.1');
    expect(readdirSync(dir).sort()).toEqual([OUTPUTS_FILE, 'terraform.tfstate']);
  });

  it('a state whose outputs are not here (a remote backend before the first apply) says so', async () => {
    const { config, dir } = setup();
    mkdirSync(join(dir, '.terraform'));
    writeFileSync(join(dir, '.terraform', 'terraform.tfstate'), JSON.stringify({ version: 3, backend: { type: 's3' } }));
    await expect(readInventory(config)).rejects.toThrow(/no outputs yet in .*: apply writes them/);
    expect(readdirSync(dir)).toEqual(['.terraform']);
  });
});
