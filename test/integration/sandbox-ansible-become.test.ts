// The sandbox's stand-in ansible-playbook refuses a privileged task without become, as a real host
// does for an ordinary user: the sandbox connects as `ubuntu` (like Scaleway's Ubuntu images), the
// inventory is onedeck's own rendering of the sandbox's onedeck.yaml, and become comes only from
// where Ansible takes it (onedeck's ansible.cfg here).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { inventoryDoc, renderInventory, writeInventory } from '../../src/adapters/ansible/inventory.js';
import type { Config } from '../../src/config/schema.js';
import type { InventoryHost, InventoryOutput } from '../../src/domain/inventory.js';
import { ensureSandbox, sandboxCommand, stopSandbox } from '../../src/sandbox/config.js';
import { credentialsLackFor } from '../../src/jobs/job-watcher.js';
import { expectAnsibleReadsAsMeant } from '../unit/ansible-roundtrip.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const distDir = join(repoRoot, 'dist');
const ANSIBLE = join(repoRoot, 'ansible');
let dir: string;
let config: Config;
let inventory: string;
let text: string;
let out: InventoryOutput;

function build(): void {
  const built = ['daemon.js', 'ansible-playbook.js'].map((f) => (existsSync(join(distDir, 'sandbox', f)) ? statSync(join(distDir, 'sandbox', f)).mtimeMs : 0));
  const newest = (readdirSync(join(repoRoot, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => statSync(join(repoRoot, 'src', f)).mtimeMs);
  if (Math.min(...built) < Math.max(...newest)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}

function run(args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(dir, 'home'), SCW_FLEXIBLE_IP_TOKEN: 'sandbox-token', ...opts.env };
    const child = spawn(config.tools.ansible_playbook, args, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

const host = (name: string, i: number, h: { private_ip?: string }): InventoryHost => ({
  name,
  server_id: `fr-par-2/0b9d1c9e-6a0e-4b1a-9d55-3b2f0c1e7a1${i}`,
  public_ip: `51.159.10.${10 + i}`,
  private_ip: h.private_ip ?? `10.16.0.${2 + i}`,
  vmtovm_ip: `172.16.24.${2 + i}`,
  private_vlan: 1891,
  vmtovm_vlan: 1892,
  flexible_ip: `51.159.24.${33 + i}`,
  flexible_ip_id: `a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4${i}`,
  // all digits 00-59: YAML 1.1 would read it as a base-60 integer
  flexible_ip_mac: `52:54:00:12:34:5${i}`,
});

beforeAll(async () => {
  build();
  dir = mkdtempSync(join(tmpdir(), 'onedeck-sbx-become-'));
  mkdirSync(join(dir, 'home'));
  const { configFile } = await ensureSandbox({ dir: join(dir, 'sbx'), repoRoot, distDir });
  config = parseConfig(readFileSync(configFile, 'utf8'), configFile, { sandbox: true });
  out = {
    cluster_name: config.cluster,
    zone: config.scaleway.zone,
    project_id: config.scaleway.project_id,
    private_network_id: 'fr-par/8c1f3d2e-4b5a-4c6d-9e8f-0a1b2c3d4e5f',
    vmtovm_private_network_id: 'fr-par/9d2e4f3a-5c6b-4d7e-8f9a-1b2c3d4e5f60',
    frontend: host(config.frontend.name, 0, config.frontend),
    hypervisors: Object.fromEntries(config.hypervisors.map((h, i) => [h.name, host(h.name, i + 1, h)])),
  };
  text = renderInventory(out, config);
  inventory = join(dir, 'inventory.yml');
  await writeInventory(inventory, text);
}, 90_000);

afterAll(async () => {
  if (dir) {
    await stopSandbox(join(dir, 'sbx'));
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('become in the sandbox', () => {
  it('the sandbox connects as an ordinary user, and Ansible reads its inventory as onedeck meant it', async () => {
    expect(config.ssh.user).toBe('ubuntu');
    await expectAnsibleReadsAsMeant(text, inventoryDoc(out, config));
  }, 30_000);

  it('OneDeploy without become (no ansible.cfg) fails at the first package install, as on a real host', async () => {
    const r = await run(['-i', inventory, join(ANSIBLE, 'site.yml')], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toMatch(/^fatal: \[fe\]: FAILED! => \{.*"msg": "Failed to lock apt for exclusive operation: .*Permission denied\)"\}$/m);
    expect(r.stdout).toMatch(/^TASK \[opennebula\/server : Install OpenNebula packages\]/m);
  }, 60_000);

  it('with onedeck\'s ansible.cfg (become = true, as the job runs it) OneDeploy and the hooks succeed', async () => {
    const env = { ANSIBLE_CONFIG: join(ANSIBLE, 'ansible.cfg') };
    const site = await run(['-i', inventory, join(ANSIBLE, 'site.yml')], { cwd: ANSIBLE, env });
    expect(site.code, site.stdout + site.stderr).toBe(0);
    const hooks = await run(['-i', inventory, join(ANSIBLE, 'hooks.yml')], { cwd: ANSIBLE, env });
    expect(hooks.code, hooks.stdout + hooks.stderr).toBe(0);
  }, 90_000);

  it('become switched off for the run (-e ansible_become=false) makes hooks.yml fail at its first privileged task', async () => {
    const r = await run(['-i', inventory, join(ANSIBLE, 'hooks.yml'), '-e', 'ansible_become=false'], { cwd: ANSIBLE, env: { ANSIBLE_CONFIG: join(ANSIBLE, 'ansible.cfg') } });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^TASK \[Install what the hooks run \(bash, curl, jq, python3\)\]/m);
    expect(r.stdout).toMatch(/^fatal: \[kvm-1\]: FAILED! => \{.*Failed to lock apt/m);
  }, 60_000);

  it('an SSH user without sudo (knob ssh-sudo no): become fails with Ansible\'s "Missing sudo password", which onedeck reads as a read-only SSH user', async () => {
    expect((await sandboxCommand(join(dir, 'sbx'), ['knob', 'ssh-sudo', 'no'])).code).toBe(0);
    try {
      const r = await run(['-i', inventory, join(ANSIBLE, 'hooks.yml')], { cwd: ANSIBLE, env: { ANSIBLE_CONFIG: join(ANSIBLE, 'ansible.cfg') } });
      expect(r.code).toBe(2);
      const fatal = /^fatal: \[(\S+)\]: FAILED! => \{.*"msg": "Missing sudo password"\}$/m.exec(r.stdout);
      expect(fatal, r.stdout).toBeTruthy();
      expect(credentialsLackFor({ id: 'j1', kind: 'hooks', summary: `failed: ${fatal![1]}: Missing sudo password` })).toMatch(/^read-only SSH user: sudo was refused in job j1/);
    } finally {
      expect((await sandboxCommand(join(dir, 'sbx'), ['knob', 'ssh-sudo', 'yes'])).code).toBe(0);
    }
  }, 60_000);
});
