// The files the sandbox hands to onedeck and to the real tools, written by the daemon:
// onedeck.yaml, scw-config.yaml (scw CLI format), known_hosts, the Terraform provider's mirror and
// CLI config (provider-install.ts), the bin/ansible-playbook wrapper, and a copy of the repo's
// terraform/ with its onedeck.auto.tfvars.json and a seeded state (terraform-seed.ts).
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { OUTPUTS_FILE } from '../adapters/tofu/outputs.js';
import { clientKeyPath, ensureClientKey, ensureHostKey, keyField } from './keys.js';
import { cliConfigPath, forgetInit, installProvider } from './provider-install.js';
import { writeFileAtomic, type SandboxStateStore } from './state.js';
import type { SandboxState, SimHost } from './state-types.js';
import { madeByStandIn, seedTerraformState, STATE_FILE } from './terraform-seed.js';

export { configPath } from './sandbox-paths.js';
import { configPath } from './sandbox-paths.js';
export const scwConfigPath = (dir: string) => join(dir, 'scw-config.yaml');
export const knownHostsPath = (dir: string) => join(dir, 'known_hosts');

type Entry = { name: string; ssh?: { host: string; port: number }; private_ip?: string };

const endpoint = (h: SimHost): Entry => ({ name: h.name, ssh: { host: h.address, port: h.port }, private_ip: h.privateIp });

/** Hypervisor names the (possibly operator-edited) onedeck.yaml lists, or null when there is none. */
export function configuredHypervisors(dir: string): string[] | null {
  const f = configPath(dir);
  if (!existsSync(f)) return null;
  try {
    const doc = parse(readFileSync(f, 'utf8')) as { hypervisors?: (string | { name?: string })[] };
    return (doc?.hypervisors ?? []).map((h) => (typeof h === 'string' ? h : h?.name ?? '')).filter(Boolean);
  } catch {
    return null;
  }
}

export function writeOnedeckYaml(dir: string, s: SandboxState): void {
  const fe = s.simHosts.find((h) => h.role === 'frontend');
  // keep the operator's list of hypervisors (onedeck adds/removes entries); fill in the endpoints
  const names = configuredHypervisors(dir) ?? s.simHosts.filter((h) => h.role === 'hypervisor' && h.serverId).map((h) => h.name);
  const hypervisors = names.map((n) => {
    const sim = s.simHosts.find((h) => h.name === n);
    return sim && sim.port > 0 ? endpoint(sim) : { name: n };
  });
  const base = {
    cluster: s.cluster,
    scaleway: { zone: s.zone, region: s.region, project_id: s.projectId, config_path: scwConfigPath(dir), flexible_ip_token_file: tokenPath(dir) },
    opennebula: { version: '7.0', password_file: onePasswordPath(dir) },
    frontend: fe ? endpoint(fe) : { name: 'fe' },
    hypervisors,
    // as on Scaleway's Ubuntu images: an ordinary user, so a play that forgets `become` fails here too
    ssh: { user: 'ubuntu', key: clientKeyPath(dir), known_hosts: knownHostsPath(dir) },
    paths: { terraform: join(dir, 'terraform'), ansible: join(s.repoRoot, 'ansible'), hooks: join(s.repoRoot, 'hooks'), inventory: join(dir, 'inventory.yml') },
    // the real tofu, else terraform, from PATH; it installs the sandbox's provider from its mirror
    tools: { tofu: 'auto', ansible_playbook: join(dir, 'bin', 'ansible-playbook'), terraform_cli_config: cliConfigPath(dir) },
    refresh_seconds: 5,
  };
  // keys onedeck or the operator changed (readonly, refresh_seconds, …) are kept
  let existing: Record<string, unknown> = {};
  try {
    if (existsSync(configPath(dir))) existing = (parse(readFileSync(configPath(dir), 'utf8')) as Record<string, unknown>) ?? {};
  } catch {
    existing = {};
  }
  // tools keep the operator's choices, except the stand-in tofu of earlier sandboxes (gone)
  const tools = { ...base.tools, ...((existing.tools as Record<string, unknown> | undefined) ?? {}), terraform_cli_config: base.tools.terraform_cli_config };
  if (tools.tofu === join(dir, 'bin', 'tofu')) tools.tofu = 'auto';
  const doc = { ...base, ...existing, tools, frontend: base.frontend, hypervisors: base.hypervisors };
  const header =
    '# The onedeck SANDBOX cluster: every endpoint below is a stand-in on loopback (onedeck sandbox status).\n' +
    '# Written by the sandbox daemon; onedeck may add or remove hypervisors, their ssh endpoints are filled in.\n';
  writeFileAtomic(configPath(dir), header + stringify(doc, { lineWidth: 0 }), 0o600);
}

export function writeScwConfig(dir: string, s: SandboxState, apiUrl: string): void {
  // the scw CLI's loader is a line parser: values must stay unquoted
  const text = [
    `access_key: ${s.accessKey}`,
    `secret_key: ${s.secretKey}`,
    `default_organization_id: ${s.organizationId}`,
    `default_project_id: ${s.projectId}`,
    `default_zone: ${s.zone}`,
    `default_region: ${s.region}`,
    `api_url: ${apiUrl.replace(/\/+$/, '')}`,
    '',
  ].join('\n');
  writeFileAtomic(scwConfigPath(dir), text, 0o600);
}

export function writeKnownHosts(dir: string, s: SandboxState): void {
  const lines = s.simHosts.filter((h) => h.port > 0).map((h) => `[${h.address}]:${h.port} ${keyField(ensureHostKey(dir, h.name).publicKey)}`);
  writeFileAtomic(knownHostsPath(dir), lines.join('\n') + '\n', 0o644);
}

export function writeToolWrappers(dir: string, distDir: string): void {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  // the stand-in tofu of earlier sandboxes: the real binary runs now
  rmSync(join(dir, 'bin', 'tofu'), { force: true });
  const f = join(dir, 'bin', 'ansible-playbook');
  writeFileSync(f, `#!/bin/sh\nexec "${process.execPath}" "${join(distDir, 'sandbox', 'ansible-playbook.js')}" "$@"\n`);
  chmodSync(f, 0o755);
}

/** Copy the repo's terraform/*.tf once, give it tfvars matching the default cluster, seed its state. */
export async function ensureTerraformDir(dir: string, store: SandboxStateStore, providerChanged = false): Promise<void> {
  const s = store.get();
  const tf = join(dir, 'terraform');
  mkdirSync(tf, { recursive: true });
  if (madeByStandIn(tf)) {
    // a sandbox from the days of the stand-in tofu: its state and lock file were made up
    for (const f of [STATE_FILE, `${STATE_FILE}.backup`, OUTPUTS_FILE]) rmSync(join(tf, f), { force: true });
    forgetInit(tf);
  } else if (providerChanged) forgetInit(tf);
  const src = join(s.repoRoot, 'terraform');
  if (existsSync(src)) {
    for (const f of readdirSync(src)) if (f.endsWith('.tf') && !existsSync(join(tf, f))) copyFileSync(join(src, f), join(tf, f));
  }
  const tfvars = join(tf, 'onedeck.auto.tfvars.json');
  const frontend = s.simHosts.find((h) => h.role === 'frontend')?.name ?? 'fe';
  if (!existsSync(tfvars)) {
    const vars = {
      cluster_name: s.cluster,
      zone: s.zone,
      region: s.region,
      project_id: s.projectId,
      offer: 'EM-A610R-NVMe',
      os_name: 'Ubuntu 24.04',
      frontend_name: frontend,
      hypervisors: s.simHosts.filter((h) => h.role === 'hypervisor' && h.serverId).map((h) => h.name).sort(),
      private_subnet: '10.16.0.0/20',
      vmtovm_subnet: '172.16.24.0/22',
      ssh_public_key: ensureClientKey(dir).publicKey,
    };
    writeFileAtomic(tfvars, JSON.stringify(vars, null, 2) + '\n', 0o600);
  }
  // the default cluster was "applied" before: its state names every resource
  const vars = JSON.parse(readFileSync(tfvars, 'utf8')) as { ssh_public_key?: string; frontend_name?: string };
  await seedTerraformState(store, tf, { sshPublicKey: vars.ssh_public_key ?? ensureClientKey(dir).publicKey, frontend: vars.frontend_name ?? frontend });
}

export async function writeClientFiles(dir: string, store: SandboxStateStore, apiUrl: string, distDir: string): Promise<void> {
  ensureClientKey(dir);
  const s = store.get();
  writeScwConfig(dir, s, apiUrl);
  writeKnownHosts(dir, s);
  writeToolWrappers(dir, distDir);
  const changed = installProvider(dir, distDir);
  await ensureTerraformDir(dir, store, changed);
  writeSecretFiles(dir, store.get());
  writeOnedeckYaml(dir, store.get());
}

export const tokenPath = (dir: string) => join(dir, 'flexible-ip.token');
export const onePasswordPath = (dir: string) => join(dir, 'one-password');

/** The secrets a real operator keeps in 0600 files: the hooks' API token and oneadmin's password. */
export function writeSecretFiles(dir: string, s: SandboxState): void {
  // the sandbox API accepts its one secret key, so that is the hooks' token here
  writeFileAtomic(tokenPath(dir), `${s.secretKey}\n`, 0o600);
  if (!existsSync(onePasswordPath(dir))) writeFileAtomic(onePasswordPath(dir), `${randomBytes(12).toString('base64url')}\n`, 0o600);
}
