// The sandbox as onedeck uses it: ensureSandbox starts the detached daemon, the real tofu/terraform
// (with the sandbox's provider) and the stand-in ansible-playbook change the sandbox through its API
// and SSH, stopSandbox kills it by PID.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Baremetal, createClient } from '@scaleway/sdk';
import { NodeSSH } from 'node-ssh';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whichSync } from '../../src/adapters/tools.js';
import { parseConfig } from '../../src/config/load.js';
import { ensureSandbox, processAlive, readInfo, resetSandbox, sandboxCommand, stopSandbox } from '../../src/sandbox/config.js';
import { runSandboxCommand } from '../../src/sandbox/cli.js';
import { waitFor } from '../harness/wait.js';

const repoRoot = resolve(__dirname, '../..');
const distDir = join(repoRoot, 'dist');
let dir: string;
let configFile: string;
let pid = 0;

function build(): void {
  const out = join(distDir, 'sandbox', 'daemon.js');
  const newest = (readdirSync(join(repoRoot, 'src', 'sandbox'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => statSync(join(repoRoot, 'src', 'sandbox', f)).mtimeMs);
  const built = ['daemon.js', 'terraform-provider-scaleway.js', 'ansible-playbook.js'].map((f) => (existsSync(join(distDir, 'sandbox', f)) ? statSync(join(distDir, 'sandbox', f)).mtimeMs : 0));
  if (!existsSync(out) || Math.min(...built) < Math.max(...newest)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

const cfg = () => parse(readFileSync(configFile, 'utf8')) as { tools: { tofu: string; ansible_playbook: string; terraform_cli_config: string }; paths: { terraform: string }; scaleway: { config_path: string }; hypervisors: { name: string; ssh?: { host: string; port: number } }[] };
const scwEnv = () => ({ SCW_CONFIG_PATH: cfg().scaleway.config_path, TF_CLI_CONFIG_FILE: cfg().tools.terraform_cli_config, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' });

beforeAll(() => {
  build();
  dir = mkdtempSync(join(tmpdir(), 'onedeck-sbx-daemon-'));
}, 60_000);

afterAll(async () => {
  if (dir) await stopSandbox(dir);
  if (pid && processAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('sandbox daemon', () => {
  it('starts detached and writes a valid onedeck.yaml pointing at loopback only', async () => {
    const r = await ensureSandbox({ dir, repoRoot, distDir });
    configFile = r.configFile;
    pid = readInfo(dir)!.pid;
    expect(processAlive(pid)).toBe(true);
    expect(readFileSync(join(dir, 'daemon.pid'), 'utf8').trim()).toBe(String(pid));
    const config = parseConfig(readFileSync(configFile, 'utf8'), configFile, { sandbox: true });
    expect(config.cluster).toBe('sandbox');
    expect(config.hypervisors.map((h) => h.name)).toEqual(['kvm-1', 'kvm-2', 'kvm-3']);
    for (const h of [config.frontend, ...config.hypervisors]) expect(h.ssh?.host).toMatch(/^127\.0\.0\.\d+$/);
    const scw = readFileSync(cfg().scaleway.config_path, 'utf8');
    expect(scw).toMatch(/^api_url: http:\/\/127\.0\.0\.1:\d+$/m);
    expect(scw).not.toMatch(/"/);
    const again = await ensureSandbox({ dir, repoRoot, distDir });
    expect(readInfo(dir)!.pid).toBe(pid);
    expect(again.configFile).toBe(configFile);
  });

  it('serves the Scaleway API and SSH hosts from the config', async () => {
    const scw = Object.fromEntries(readFileSync(cfg().scaleway.config_path, 'utf8').trim().split('\n').map((l) => l.split(': ')));
    const bm = new Baremetal.v1.API(createClient({ accessKey: scw.access_key, secretKey: scw.secret_key, defaultZone: scw.default_zone, defaultProjectId: scw.default_project_id, apiURL: scw.api_url }));
    expect((await bm.listServers()).totalCount).toBe(4);
    const kvm1 = cfg().hypervisors[0];
    const ssh = new NodeSSH();
    await ssh.connect({ host: kvm1.ssh!.host, port: kvm1.ssh!.port, username: 'root', privateKeyPath: join(dir, 'client_ed25519') });
    expect((await ssh.execCommand('hostname')).stdout).toBe('kvm-1');
    ssh.dispose();
    expect((await sandboxCommand(dir, ['host', 'kvm-1', 'ssh', 'down'])).code).toBe(0);
    const err = await new NodeSSH().connect({ host: kvm1.ssh!.host, port: kvm1.ssh!.port, username: 'root', privateKeyPath: join(dir, 'client_ed25519') }).catch((e: NodeJS.ErrnoException) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    const lines: string[] = [];
    expect(await runSandboxCommand(['host', 'kvm-1', 'ssh', 'up'], { dir, repoRoot, distDir, out: (s) => lines.push(s) })).toBe(0);
    expect(await runSandboxCommand(['status'], { dir, repoRoot, distDir, out: (s) => lines.push(s) })).toBe(0);
    expect(lines.join('\n')).toMatch(/kvm-1 .* ssh up/);
    expect(await runSandboxCommand(['host'], { dir, repoRoot, distDir, out: (s) => lines.push(s) })).toBe(64);
  });

  it('runs the real tofu/terraform plan -json / show -json / apply / output -json through the API', async () => {
    const { ansible_playbook } = cfg().tools;
    expect(cfg().tools.tofu).toBe('auto');
    const tofu = whichSync('tofu') ?? whichSync('terraform');
    if (!tofu) throw new Error('neither tofu nor terraform is on PATH');
    const tf = cfg().paths.terraform;
    const init = await run(tofu, ['init', '-input=false', '-no-color'], { cwd: tf, env: scwEnv() });
    expect(init.code, init.stdout + init.stderr).toBe(0);
    const clean = await run(tofu, ['plan', '-input=false', '-json', '-detailed-exitcode'], { cwd: tf, env: scwEnv() });
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);

    // onedeck adds kvm-4 to its config and drops kvm-3; the daemon gives kvm-4 a loopback endpoint
    const yamlText = readFileSync(configFile, 'utf8').replace(/\n {2}- name: kvm-3\n(?: {4}.*\n)+/, '\n  - kvm-4\n');
    writeFileSync(configFile, yamlText);
    await waitFor(() => !!cfg().hypervisors.find((h) => h.name === 'kvm-4')?.ssh, 'kvm-4 to get an ssh endpoint', 10_000);
    expect(cfg().hypervisors.map((h) => h.name)).toEqual(['kvm-1', 'kvm-2', 'kvm-4']);
    const vars = JSON.parse(readFileSync(join(tf, 'onedeck.auto.tfvars.json'), 'utf8')) as { hypervisors: string[] };
    vars.hypervisors = ['kvm-1', 'kvm-2', 'kvm-4'];
    writeFileSync(join(tf, 'onedeck.auto.tfvars.json'), JSON.stringify(vars));
    const p = await run(tofu, [`-chdir=${tf}`, 'plan', '-input=false', '-json', '-out=add.tfplan'], { env: scwEnv() });
    expect(p.code, p.stdout + p.stderr).toBe(0);
    const planned = p.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; change?: { action: string; resource: { addr: string } } });
    const addrs = planned.filter((l) => l.type === 'planned_change').map((l) => `${l.change!.action} ${l.change!.resource.addr}`);
    expect(addrs).toContain('create scaleway_baremetal_server.host["kvm-4"]');
    expect(addrs).toContain('delete scaleway_flexible_ip.host["kvm-3"]');
    const shown = JSON.parse((await run(tofu, ['show', '-json', 'add.tfplan'], { cwd: tf, env: scwEnv() })).stdout) as { resource_changes: { address: string; change: { actions: string[] } }[] };
    expect(shown.resource_changes.find((c) => c.address === 'scaleway_flexible_ip.host["kvm-4"]')!.change.actions).toEqual(['create']);

    const a = await run(tofu, ['apply', '-input=false', '-json', 'add.tfplan'], { cwd: tf, env: scwEnv() });
    expect(a.code, a.stdout + a.stderr).toBe(0);
    const applied = a.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; '@message': string });
    expect(applied.some((l) => l.type === 'apply_complete' && l['@message'].startsWith('scaleway_baremetal_server.host["kvm-4"]: Creation complete after'))).toBe(true);
    expect(applied.find((l) => l.type === 'change_summary')!['@message']).toBe('Apply complete! Resources: 5 added, 0 changed, 5 destroyed.');

    const out = JSON.parse((await run(tofu, ['output', '-json'], { cwd: tf, env: scwEnv() })).stdout) as { inventory: { value: { hypervisors: Record<string, { server_id: string; private_ip: string; flexible_ip_mac: string }> } } };
    expect(Object.keys(out.inventory.value.hypervisors)).toEqual(['kvm-1', 'kvm-2', 'kvm-4']);
    expect(out.inventory.value.hypervisors['kvm-4'].server_id).toMatch(/^fr-par-2\/[0-9a-f-]{36}$/);
    expect(out.inventory.value.hypervisors['kvm-4'].flexible_ip_mac).toMatch(/^52:54:00:/);

    // the new host boots as a bare server over SSH; site.yml turns it into a MONITORED node
    const inv = join(dir, 'inventory.yml');
    writeInventory(inv, ['kvm-4']);
    const site = await run(ansible_playbook, ['-i', inv, join(repoRoot, 'ansible', 'site.yml')]);
    expect(site.code, site.stdout + site.stderr).toBe(0);
    expect(site.stdout).toMatch(/^changed: \[kvm-4 -> fe\]$/m);
    expect(site.stdout).toMatch(/^kvm-4 +: ok=\d+ +changed=\d+ +unreachable=0 +failed=0 +skipped=0 +rescued=0 +ignored=0 *$/m);
  }, 120_000);

  it('runs ansible-playbook in the default and jsonl formats, with unreachable hosts', async () => {
    const { ansible_playbook } = cfg().tools;
    const inv = join(dir, 'inventory.yml');
    writeInventory(inv, ['kvm-1', 'kvm-2']);
    await sandboxCommand(dir, ['host', 'kvm-2', 'ssh', 'down']);
    const r = await run(ansible_playbook, ['-i', inv, join(repoRoot, 'ansible', 'hooks.yml')], { env: { SCW_FLEXIBLE_IP_TOKEN: 'sandbox-token' } });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^PLAY \[Flexible-IP hook credentials on every node\] \*+$/m);
    expect(r.stdout).toMatch(/^fatal: \[fe\]: FAILED! => \{.*"msg": "onehost sync failed on: 2,10\.16\.0\.4/m);
    expect(r.stdout.split('\n').find((l) => l.startsWith('PLAY ['))!.length).toBe(80);
    expect(r.stdout).toMatch(/^fatal: \[kvm-2\]: UNREACHABLE! => \{"changed": false, "msg": "Failed to connect to the host via ssh: ssh: connect to host 127\.0\.0\.\d+ port \d+: Connection refused", "unreachable": true\}$/m);
    expect(r.stdout).toMatch(/^PLAY RECAP \*+$/m);
    expect(r.stdout).toMatch(/^kvm-2 +: ok=0 +changed=0 +unreachable=1 +failed=0 +skipped=0 +rescued=0 +ignored=0 *$/m);
    await sandboxCommand(dir, ['host', 'kvm-2', 'ssh', 'up']);
    const j = await run(ansible_playbook, ['-i', inv, join(repoRoot, 'ansible', 'validate.yml')], { env: { ANSIBLE_STDOUT_CALLBACK: 'ansible.posix.jsonl' } });
    const events = j.stdout.trim().split('\n').map((l) => JSON.parse(l) as { _event: string; hosts?: Record<string, { failed?: boolean; msg?: string }>; stats?: Record<string, { failures: number }> });
    expect(events[0]._event).toBe('v2_playbook_on_play_start');
    expect(events.some((e) => e._event === 'v2_runner_on_failed' && e.hosts?.['kvm-2'])).toBe(true);
    expect(events.at(-1)!._event).toBe('v2_playbook_on_stats');
    expect(events.at(-1)!.stats!['kvm-2'].failures).toBe(1);
    expect(j.code).toBe(2);
  });

  it('resets, and stopSandbox kills the daemon by PID leaving no process', async () => {
    expect((await resetSandbox(dir)).code).toBe(0);
    expect(cfg().hypervisors.map((h) => h.name)).toEqual(['kvm-1', 'kvm-2', 'kvm-3']);
    // the reset cluster stays in the sandbox's project, where onedeck.yaml looks for it
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { projectId: string; servers: { project_id: string }[] };
    const projectInConfig = (parse(readFileSync(configFile, 'utf8')) as { scaleway: { project_id: string } }).scaleway.project_id;
    expect(state.servers.length).toBe(4);
    expect(new Set(state.servers.map((s) => s.project_id))).toEqual(new Set([projectInConfig]));
    expect(state.projectId).toBe(projectInConfig);
    expect(await stopSandbox(dir)).toBe(true);
    expect(processAlive(pid)).toBe(false);
    expect(existsSync(join(dir, 'sandbox.json'))).toBe(false);
  });
});

function writeInventory(file: string, hypervisors: string[]): void {
  const c = parse(readFileSync(configFile, 'utf8')) as { frontend: { name: string; ssh: { host: string; port: number }; private_ip: string }; hypervisors: { name: string; ssh: { host: string; port: number }; private_ip: string }[]; ssh: { key: string } };
  const hv = (h: { ssh: { host: string; port: number }; private_ip: string }) => ({ ansible_ssh_host: h.ssh.host, ansible_port: h.ssh.port, ansible_host: h.private_ip, scw_server_id: 'fr-par-2/0b9d1c9e-6a0e-4b1a-9d55-3b2f0c1e7a11' });
  const nodes: Record<string, unknown> = { [c.frontend.name]: {} };
  for (const n of hypervisors) nodes[n] = hv(c.hypervisors.find((h) => h.name === n)!);
  const doc = { all: { vars: { ansible_user: 'root', ansible_ssh_private_key_file: c.ssh.key, scw_project_id: 'p', scw_flexible_ip_token: "{{ lookup('env', 'SCW_FLEXIBLE_IP_TOKEN') }}" }, children: { frontend: { hosts: { [c.frontend.name]: hv(c.frontend) } }, node: { hosts: nodes } } } };
  writeFileSync(file, JSON.stringify(doc));
}
