// The seeded terraform.tfstate of the default sandbox cluster: every instance holds what the
// provider's refresh returns for it (so the first plan reports no drift), with the schema_version
// and sensitive_attributes the provider reports; an ids-only seed of an older sandbox is re-seeded.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { RESOURCES } from '../../src/sandbox/provider/service.js';
import { schemaToProto } from '../../src/sandbox/provider/schema.js';
import { refreshState, upgradeState } from '../../src/sandbox/provider/state-read.js';
import type { Obj } from '../../src/sandbox/provider/values.js';
import { createDefaultState } from '../../src/sandbox/state-default.js';
import { SandboxStateStore } from '../../src/sandbox/state.js';
import { inProcessCtx, seedTerraformState, STATE_FILE } from '../../src/sandbox/terraform-seed.js';

type Inst = { index_key?: string; schema_version: number; attributes: Obj; sensitive_attributes: unknown[] };
type TfState = { serial: number; lineage: string; resources: { type: string; name: string; instances: Inst[] }[] };

let dir: string;
let tf: string;
let store: SandboxStateStore;
const seed = () => seedTerraformState(store, tf, { sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBvQ1bV9F0bH5r3w8wJ0bX1oYkqJrGm3c1o8dFf0fFf0 onedeck@test', frontend: 'fe' });
const readState = () => JSON.parse(readFileSync(join(tf, STATE_FILE), 'utf8')) as TfState;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'onedeck-seed-'));
  tf = join(dir, 'terraform');
  mkdirSync(tf);
  store = SandboxStateStore.open(dir, () => createDefaultState({ repoRoot: resolve(__dirname, '../..') }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('every seeded instance is what the provider reads back for it, with every schema attribute', async () => {
  await seed();
  const st = readState();
  const ctx = inProcessCtx(store);
  const count = st.resources.reduce((n, r) => n + r.instances.length, 0);
  // 4 hosts (server, flexible IP, its MAC, 2 IPAM IPs), the SSH key, the VPC, 2 private networks
  expect(count).toBe(24);
  for (const r of st.resources) {
    const impl = RESOURCES[r.type];
    for (const i of r.instances) {
      const where = `${r.type}.${r.name}[${i.index_key ?? ''}]`;
      expect(Object.keys(i.attributes).sort(), where).toEqual([...Object.keys(impl.schema.attributes), ...Object.keys(impl.schema.blocks ?? {})].sort());
      expect(i.attributes.id, where).toMatch(/[0-9a-f-]{36}$/);
      // what Terraform's refresh (UpgradeResourceState, then ReadResource) makes of the stored state
      expect(await refreshState(impl, ctx, upgradeState(impl, i.attributes)), where).toEqual(i.attributes);
      expect(i.schema_version, where).toBe(schemaToProto(impl.schema).version);
      const sensitive = Object.entries(impl.schema.attributes).filter(([, a]) => a.sensitive).map(([k]) => [{ type: 'get_attr', value: k }]);
      expect(i.sensitive_attributes, where).toEqual(sensitive);
    }
  }
  const server = st.resources.find((r) => r.type === 'scaleway_baremetal_server')!.instances.find((i) => i.index_key === 'kvm-1')!;
  expect(server.attributes).toMatchObject({ hostname: 'kvm-1', name: 'sandbox-kvm-1', reinstall_on_config_changes: false, password: null });
  expect(server.sensitive_attributes.length).toBe(2);
});

it('re-seeds the ids-only state an older sandbox seeded (keeping its lineage), but never an applied one', async () => {
  await seed();
  const full = readState();
  const idsOnly = { ...full, resources: full.resources.map((r) => ({ ...r, instances: r.instances.map((i) => ({ ...i, attributes: { id: i.attributes.id } })) })) };
  writeFileSync(join(tf, STATE_FILE), JSON.stringify(idsOnly));
  await seed();
  const again = readState();
  expect(again.lineage).toBe(full.lineage);
  expect(again.resources).toEqual(full.resources);

  // a state terraform wrote (serial 2) is the operator's: left as it is
  const applied = { ...idsOnly, serial: 2, terraform_version: '1.11.4' };
  writeFileSync(join(tf, STATE_FILE), JSON.stringify(applied));
  await seed();
  expect(readState()).toEqual(applied);
});
