// The real tofu/terraform binary (Terraform 1.11 on this kind of machine) on the real terraform/
// code against the sandbox: its own terraform-provider-scaleway, installed from the filesystem
// mirror the sandbox writes, talking to the sandbox's Scaleway API over HTTP.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInventory } from '../../src/adapters/tofu/outputs.js';
import { findTofu, whichSync } from '../../src/adapters/tools.js';
import { parseConfig } from '../../src/config/load.js';
import { ensureSandbox, stopSandbox } from '../../src/sandbox/config.js';
import { providerExecutable } from '../../src/sandbox/provider-install.js';

const repoRoot = resolve(__dirname, '../..');
const distDir = join(repoRoot, 'dist');
const bin = whichSync('tofu') ?? whichSync('terraform');
let dir: string;
let tf: string;
let env: NodeJS.ProcessEnv;

type Line = { type: string; '@message': string; '@level': string; change?: { action: string; resource: { addr: string } }; changes?: Record<string, number | string>; diagnostic?: { summary: string; detail: string } };

function build(): void {
  const src = join(repoRoot, 'src');
  const newest = Math.max(...(readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => statSync(join(src, f)).mtimeMs));
  const outs = ['daemon.js', 'terraform-provider-scaleway.js'].map((f) => join(distDir, 'sandbox', f));
  if (outs.some((f) => !existsSync(f) || statSync(f).mtimeMs < newest)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}

function run(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(bin!, args, { cwd: tf, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

const lines = (s: string): Line[] => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const planned = (ls: Line[]) => ls.filter((l) => l.type === 'planned_change').map((l) => `${l.change!.action} ${l.change!.resource.addr}`).sort();
const summary = (ls: Line[]) => ls.find((l) => l.type === 'change_summary')?.['@message'];
const errors = (ls: Line[]) => ls.filter((l) => l['@level'] === 'error').map((l) => `${l.diagnostic?.summary}: ${l.diagnostic?.detail}`);

function setHypervisors(names: string[]): void {
  const f = join(tf, 'onedeck.auto.tfvars.json');
  const vars = JSON.parse(readFileSync(f, 'utf8')) as { hypervisors: string[] };
  vars.hypervisors = names;
  writeFileSync(f, JSON.stringify(vars, null, 2));
}

/** address -> id of every managed resource in the state */
async function stateIds(): Promise<Record<string, string>> {
  const r = await run(['show', '-json']);
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { values: { root_module: { resources: { address: string; mode: string; values: { id: string } }[] } } };
  return Object.fromEntries(doc.values.root_module.resources.filter((x) => x.mode === 'managed').map((x) => [x.address, x.values.id]));
}

const HOST_RESOURCES = (h: string) =>
  ['scaleway_baremetal_server.host', 'scaleway_flexible_ip.host', 'scaleway_flexible_ip_mac_address.host', 'scaleway_ipam_ip.management', 'scaleway_ipam_ip.vmtovm'].map((r) => `${r}["${h}"]`).sort();

beforeAll(async () => {
  if (!bin) throw new Error('neither tofu nor terraform is on PATH: these tests run the real binary (install OpenTofu >= 1.8 or Terraform >= 1.8)');
  build();
  dir = mkdtempSync(join(tmpdir(), 'onedeck-sbx-tf-'));
  const { configFile } = await ensureSandbox({ dir, repoRoot, distDir });
  const c = parse(readFileSync(configFile, 'utf8')) as { tools: { tofu: string; terraform_cli_config: string }; paths: { terraform: string }; scaleway: { config_path: string } };
  expect(c.tools.tofu).toBe('auto');
  tf = c.paths.terraform;
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    TF_CLI_CONFIG_FILE: c.tools.terraform_cli_config,
    SCW_CONFIG_PATH: c.scaleway.config_path,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    // any registry or network access would go to a closed loopback port and fail
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
  };
}, 60_000);

afterAll(async () => {
  if (dir) {
    await stopSandbox(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('without tofu or terraform on PATH', () => {
  it('the plan and apply keys say how to install one, and onedeck still reads the sandbox inventory', async () => {
    const config = parseConfig(readFileSync(join(dir, 'onedeck.yaml'), 'utf8'), join(dir, 'onedeck.yaml'), { sandbox: true });
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'no-such-dir');
    try {
      expect(() => findTofu(config)).toThrow(/neither tofu nor terraform found on PATH — install OpenTofu/);
      const inv = await readInventory(config);
      expect(Object.keys(inv!.hypervisors).sort()).toEqual(['kvm-1', 'kvm-2', 'kvm-3']);
      expect(inv!.frontend.private_ip).toBe('10.16.0.2');
    } finally {
      process.env.PATH = path;
    }
  });
});

describe(`real ${bin ? bin.split('/').pop() : 'tofu/terraform'} against the sandbox provider`, () => {
  it('init installs the provider offline from the mirror; validate passes', async () => {
    const init = await run(['init', '-input=false', '-no-color']);
    expect(init.code, init.stdout + init.stderr).toBe(0);
    expect(init.stdout).toMatch(/Installed scaleway\/scaleway v2\.57\.0/);
    expect(readFileSync(join(tf, '.terraform.lock.hcl'), 'utf8')).toMatch(/"h1:[A-Za-z0-9+/=]+"/);
    const v = await run(['validate', '-json']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, error_count: 0 });
  }, 60_000);

  it('the default cluster (seeded state) plans no changes', async () => {
    const p = await run(['plan', '-input=false', '-json', '-detailed-exitcode']);
    const ls = lines(p.stdout);
    expect(errors(ls)).toEqual([]);
    // -detailed-exitcode: 0 is "no changes" (2 would be changes)
    expect(p.code).toBe(0);
    expect(ls.find((l) => l.type === 'change_summary')!.changes).toMatchObject({ add: 0, change: 0, remove: 0, operation: 'plan' });
    expect(planned(ls)).toEqual([]);
    // the seeded state is what the provider reads back: no "Drift detected" either
    expect(ls.filter((l) => l.type === 'resource_drift').map((l) => l['@message'])).toEqual([]);
  }, 60_000);

  it('plan -json -out, show -json, apply -json of that plan (a second apply meanwhile hits the lock), output -json', async () => {
    const before = await stateIds();
    setHypervisors(['kvm-1', 'kvm-2', 'kvm-3', 'kvm-4']);
    const p = await run(['plan', '-input=false', '-lock-timeout=0s', '-json', '-out=add.tfplan']);
    const pl = lines(p.stdout);
    expect(errors(pl)).toEqual([]);
    expect(p.code).toBe(0);
    expect(planned(pl)).toEqual(HOST_RESOURCES('kvm-4').map((a) => `create ${a}`));
    expect(summary(pl)).toBe('Plan: 5 to add, 0 to change, 0 to destroy.');

    const shown = await run(['show', '-json', 'add.tfplan']);
    expect(shown.code, shown.stderr).toBe(0);
    const doc = JSON.parse(shown.stdout) as { resource_changes: { address: string; change: { actions: string[]; after_unknown: Record<string, unknown> } }[] };
    const server = doc.resource_changes.find((c) => c.address === 'scaleway_baremetal_server.host["kvm-4"]')!;
    expect(server.change.actions).toEqual(['create']);
    expect(server.change.after_unknown).toMatchObject({ id: true, ips: true, offer_name: true });
    expect(doc.resource_changes.filter((c) => !c.address.includes('kvm-4')).every((c) => c.change.actions[0] === 'no-op' || c.change.actions[0] === 'read')).toBe(true);

    const applying = run(['apply', '-input=false', '-lock-timeout=0s', '-json', 'add.tfplan']);
    const deadline = Date.now() + 30_000;
    while (!existsSync(join(tf, '.terraform.tfstate.lock.info')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(join(tf, '.terraform.tfstate.lock.info'))).toBe(true);
    const second = await run(['apply', '-input=false', '-lock-timeout=0s', '-json', '-auto-approve']);
    expect(second.code).toBe(1);
    const lock = lines(second.stdout).find((l) => l.diagnostic)!;
    expect(lock.diagnostic!.summary).toBe('Error acquiring the state lock');
    expect(lock.diagnostic!.detail).toMatch(/Lock Info:\n\s+ID:\s+[0-9a-f-]{36}\n\s+Path:\s+terraform\.tfstate\n\s+Operation:\s+OperationTypeApply/);

    const a = await applying;
    const al = lines(a.stdout);
    expect(errors(al)).toEqual([]);
    expect(a.code).toBe(0);
    expect(al.some((l) => l.type === 'apply_complete' && /^scaleway_baremetal_server\.host\["kvm-4"\]: Creation complete after \d+s \[id=fr-par-2\/[0-9a-f-]{36}\]$/.test(l['@message']))).toBe(true);
    expect(summary(al)).toBe('Apply complete! Resources: 5 added, 0 changed, 0 destroyed.');

    const out = await run(['output', '-json']);
    expect(out.code, out.stderr).toBe(0);
    const inv = (JSON.parse(out.stdout) as { inventory: { value: { hypervisors: Record<string, Record<string, unknown>>; frontend: { name: string } } } }).inventory.value;
    expect(inv.frontend.name).toBe('fe');
    expect(Object.keys(inv.hypervisors).sort()).toEqual(['kvm-1', 'kvm-2', 'kvm-3', 'kvm-4']);
    expect(inv.hypervisors['kvm-4']).toMatchObject({
      name: 'kvm-4',
      server_id: expect.stringMatching(/^fr-par-2\/[0-9a-f-]{36}$/),
      private_ip: expect.stringMatching(/^10\.16\.\d+\.\d+$/),
      vmtovm_ip: expect.stringMatching(/^172\.16\.2[4-7]\.\d+$/),
      private_vlan: 1891,
      flexible_ip_mac: expect.stringMatching(/^52:54:00(:[0-9a-f]{2}){3}$/),
    });
    // the hosts that were there keep their ids
    const after = await stateIds();
    for (const [addr, id] of Object.entries(before)) expect(after[addr]).toBe(id);
    // what was applied reads back the same: no drift
    const again = await run(['plan', '-input=false', '-json', '-detailed-exitcode']);
    expect(again.code, errors(lines(again.stdout)).join('\n')).toBe(0);
  }, 120_000);

  it('removing one hypervisor destroys its for_each instances only; the others keep their ids', async () => {
    const before = await stateIds();
    setHypervisors(['kvm-1', 'kvm-2', 'kvm-4']);
    const p = await run(['plan', '-input=false', '-json', '-out=rm.tfplan']);
    const pl = lines(p.stdout);
    expect(errors(pl)).toEqual([]);
    expect(planned(pl)).toEqual(HOST_RESOURCES('kvm-3').map((a) => `delete ${a}`));
    const a = await run(['apply', '-input=false', '-json', 'rm.tfplan']);
    const al = lines(a.stdout);
    expect(errors(al)).toEqual([]);
    expect(summary(al)).toBe('Apply complete! Resources: 0 added, 0 changed, 5 destroyed.');
    const after = await stateIds();
    const kept = Object.keys(before).filter((k) => !k.includes('"kvm-3"'));
    expect(Object.keys(after).sort()).toEqual(kept.sort());
    for (const k of kept) expect(after[k]).toBe(before[k]);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { servers: { id: string }[] };
    expect(state.servers.map((s) => s.id)).not.toContain(before['scaleway_baremetal_server.host["kvm-3"]'].split('/')[1]);
  }, 120_000);

  it('an object deleted behind Terraform’s back is read as gone and planned again', async () => {
    const scw = Object.fromEntries(readFileSync(env.SCW_CONFIG_PATH!, 'utf8').trim().split('\n').map((l) => l.split(': ')));
    const ids = await stateIds();
    const [zone, fipId] = ids['scaleway_flexible_ip.host["kvm-1"]'].split('/');
    const r = await fetch(`${scw.api_url}/flexible-ip/v1alpha1/zones/${zone}/fips/${fipId}/mac`, { method: 'DELETE', headers: { 'X-Auth-Token': scw.secret_key } });
    expect(r.status).toBe(204);
    const p = await run(['plan', '-input=false', '-json']);
    const pl = lines(p.stdout);
    expect(errors(pl)).toEqual([]);
    expect(planned(pl)).toEqual(['create scaleway_flexible_ip_mac_address.host["kvm-1"]']);
    expect(pl.some((l) => l.type === 'resource_drift' && l.change?.action === 'delete' && l.change.resource.addr === 'scaleway_flexible_ip_mac_address.host["kvm-1"]')).toBe(true);
  }, 60_000);

  it('API answers come back as the real provider’s diagnostics (an offer that does not exist)', async () => {
    const f = join(tf, 'onedeck.auto.tfvars.json');
    const saved = readFileSync(f, 'utf8');
    writeFileSync(f, JSON.stringify({ ...(JSON.parse(saved) as object), offer: 'EM-NOPE-1' }));
    try {
      const p = await run(['plan', '-input=false', '-json']);
      expect(p.code).toBe(1);
      const diag = lines(p.stdout).find((l) => l.diagnostic)!.diagnostic as { summary: string; address?: string };
      expect(diag.summary).toBe('no offer found with the name EM-NOPE-1 and hourly subscription period in zone fr-par-2');
      expect(diag.address).toBe('data.scaleway_baremetal_offer.host');
    } finally {
      writeFileSync(f, saved);
    }
  }, 60_000);

  it('the provider refuses to start outside Terraform (no magic cookie)', async () => {
    const exe = providerExecutable(dir);
    const r = await new Promise<{ code: number; stderr: string }>((done) => {
      const c = spawn(exe, [], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      c.on('close', (code) => done({ code: code ?? -1, stderr }));
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/This binary is a plugin/);
  });
});

describe('terraform/ style', () => {
  it('passes fmt -check', async () => {
    const r = await new Promise<{ code: number; out: string }>((done) => {
      const c = spawn(bin!, ['fmt', '-check', '-recursive', join(repoRoot, 'terraform')], { env: { PATH: process.env.PATH, HOME: tmpdir(), CHECKPOINT_DISABLE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.stderr.on('data', (d: Buffer) => (out += d.toString()));
      c.on('close', (code) => done({ code: code ?? -1, out }));
    });
    expect(r.code, `not formatted:\n${r.out}`).toBe(0);
  });
});
