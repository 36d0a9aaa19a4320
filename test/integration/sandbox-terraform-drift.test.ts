// A fresh sandbox's seeded terraform.tfstate holds what the provider reads back for every resource,
// so the real terraform's first plan reports no drift ("Objects have changed outside of
// Terraform") and no changes; neither does a plan after an apply that adds a hypervisor.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { whichSync } from '../../src/adapters/tools.js';
import { ensureSandbox, stopSandbox } from '../../src/sandbox/config.js';

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

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(bin!, args, { cwd: tf, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

const lines = (s: string): Line[] => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const errors = (ls: Line[]) => ls.filter((l) => l['@level'] === 'error').map((l) => `${l.diagnostic?.summary}: ${l.diagnostic?.detail}`);
const drift = (ls: Line[]) => ls.filter((l) => l.type === 'resource_drift').map((l) => l['@message']);
const changes = (ls: Line[]) => ls.find((l) => l.type === 'change_summary')?.changes;

/** `plan -json -out` as onedeck's plan job runs it: the drift messages, the summary, the exit code */
async function plan(out: string) {
  const p = await run(['plan', '-input=false', '-lock-timeout=0s', `-out=${out}`, '-json']);
  const ls = lines(p.stdout);
  expect(errors(ls), p.stderr).toEqual([]);
  expect(p.code).toBe(0);
  return { drift: drift(ls), changes: changes(ls), planned: ls.filter((l) => l.type === 'planned_change').map((l) => l['@message']) };
}

beforeAll(async () => {
  if (!bin) throw new Error('neither tofu nor terraform is on PATH: these tests run the real binary (install OpenTofu >= 1.8 or Terraform >= 1.8)');
  build();
  dir = mkdtempSync(join(tmpdir(), 'onedeck-sbx-drift-'));
  const { configFile } = await ensureSandbox({ dir, repoRoot, distDir });
  const c = parse(readFileSync(configFile, 'utf8')) as { tools: { terraform_cli_config: string }; paths: { terraform: string }; scaleway: { config_path: string } };
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
  const init = await run(['init', '-input=false', '-no-color']);
  expect(init.code, init.stdout + init.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  if (dir) {
    await stopSandbox(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

it('the first plan of a fresh sandbox reports no drift and no changes', async () => {
  const p = await plan('first.tfplan');
  expect(p.drift).toEqual([]);
  expect(p.planned).toEqual([]);
  expect(p.changes).toMatchObject({ add: 0, change: 0, remove: 0, operation: 'plan' });
  // and a plan never writes the state: the second one says the same
  expect((await plan('second.tfplan')).drift).toEqual([]);
}, 60_000);

it('a plan after an apply that adds a hypervisor reports no changes, and drift only where the apply attached the new IPAM IPs', async () => {
  const f = join(tf, 'onedeck.auto.tfvars.json');
  const vars = JSON.parse(readFileSync(f, 'utf8')) as { hypervisors: string[] };
  writeFileSync(f, JSON.stringify({ ...vars, hypervisors: [...vars.hypervisors, 'kvm-9'] }, null, 2));
  const add = await plan('add.tfplan');
  expect(add.drift).toEqual([]);
  expect(add.changes).toMatchObject({ add: 5, change: 0, remove: 0 });
  const a = await run(['apply', '-input=false', '-lock-timeout=0s', '-json', 'add.tfplan']);
  expect(errors(lines(a.stdout)), a.stderr).toEqual([]);
  expect(a.code).toBe(0);
  const after = await plan('after.tfplan');
  // what the apply wrote reads back the same; only the new host's two IPAM IPs changed after they
  // were written: creating the server attached them to its private NICs (their `resource`), as the
  // real API does, and Terraform's -json stream reports every drift, relevant to the plan or not
  expect(after.drift.sort()).toEqual(['scaleway_ipam_ip.management["kvm-9"]: Drift detected (update)', 'scaleway_ipam_ip.vmtovm["kvm-9"]: Drift detected (update)']);
  expect(after.planned).toEqual([]);
  expect(after.changes).toMatchObject({ add: 0, change: 0, remove: 0 });
}, 120_000);
