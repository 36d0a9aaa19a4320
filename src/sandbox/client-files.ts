// The files the sandbox hands to onedeck and to the stand-in tools, written by the daemon:
// onedeck.yaml, scw-config.yaml (scw CLI format), known_hosts, bin/tofu + bin/ansible-playbook
// wrappers, and a copy of the repo's terraform/ with its onedeck.auto.tfvars.json.
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { buildInventory } from './inventory-from-wire.js';
import { actualResources } from './tools/tofu-model.js';
import { markInitialized, readTfState, writeTfState } from './tools/tofu-state.js';
import { clientKeyPath, ensureClientKey, ensureHostKey, keyField } from './keys.js';
import { writeFileAtomic } from './state.js';
import type { SandboxState, SimHost } from './state-types.js';

export const configPath = (dir: string) => join(dir, 'onedeck.yaml');
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
    tools: { tofu: join(dir, 'bin', 'tofu'), ansible_playbook: join(dir, 'bin', 'ansible-playbook') },
    refresh_seconds: 5,
  };
  // keys onedeck or the operator changed (readonly, refresh_seconds, …) are kept
  let existing: Record<string, unknown> = {};
  try {
    if (existsSync(configPath(dir))) existing = (parse(readFileSync(configPath(dir), 'utf8')) as Record<string, unknown>) ?? {};
  } catch {
    existing = {};
  }
  const doc = { ...base, ...existing, frontend: base.frontend, hypervisors: base.hypervisors };
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
  for (const [name, js] of [['tofu', 'tofu.js'], ['ansible-playbook', 'ansible-playbook.js']]) {
    const f = join(dir, 'bin', name);
    writeFileSync(f, `#!/bin/sh\nexec "${process.execPath}" "${join(distDir, 'sandbox', js)}" "$@"\n`);
    chmodSync(f, 0o755);
  }
}

/** Copy the repo's terraform/*.tf once, and give it tfvars matching the default cluster. */
export function ensureTerraformDir(dir: string, s: SandboxState): void {
  const tf = join(dir, 'terraform');
  mkdirSync(tf, { recursive: true });
  const src = join(s.repoRoot, 'terraform');
  if (existsSync(src)) {
    for (const f of readdirSync(src)) if (f.endsWith('.tf') && !existsSync(join(tf, f))) copyFileSync(join(src, f), join(tf, f));
  }
  const tfvars = join(tf, 'onedeck.auto.tfvars.json');
  if (!existsSync(tfvars)) {
    const vars = {
      cluster_name: s.cluster,
      zone: s.zone,
      region: s.region,
      project_id: s.projectId,
      offer: 'EM-A610R-NVMe',
      os_name: 'Ubuntu 24.04',
      frontend_name: s.simHosts.find((h) => h.role === 'frontend')?.name ?? 'fe',
      hypervisors: s.simHosts.filter((h) => h.role === 'hypervisor' && h.serverId).map((h) => h.name).sort(),
      private_subnet: '10.16.0.0/20',
      vmtovm_subnet: '172.16.24.0/22',
      ssh_public_key: ensureClientKey(dir).publicKey,
    };
    writeFileAtomic(tfvars, JSON.stringify(vars, null, 2) + '\n', 0o600);
  }
  // the default cluster was "applied" before: initialised, with a state holding its inventory
  if (!readTfState(tf)) {
    markInitialized(tf);
    const fe = s.simHosts.find((h) => h.role === 'frontend')?.name ?? 'fe';
    const o = { cluster: s.cluster, zone: s.zone, region: s.region, projectId: s.projectId, frontend: fe };
    writeTfState(tf, buildInventory(s, o), actualResources(s, { cluster_name: s.cluster, zone: s.zone, region: s.region }), null);
  }
}

export function writeClientFiles(dir: string, s: SandboxState, apiUrl: string, distDir: string): void {
  ensureClientKey(dir);
  writeScwConfig(dir, s, apiUrl);
  writeKnownHosts(dir, s);
  writeToolWrappers(dir, distDir);
  ensureTerraformDir(dir, s);
  writeSecretFiles(dir, s);
  writeOnedeckYaml(dir, s);
}

export const tokenPath = (dir: string) => join(dir, 'flexible-ip.token');
export const onePasswordPath = (dir: string) => join(dir, 'one-password');

/** The secrets a real operator keeps in 0600 files: the hooks' API token and oneadmin's password. */
export function writeSecretFiles(dir: string, s: SandboxState): void {
  // the sandbox API accepts its one secret key, so that is the hooks' token here
  writeFileAtomic(tokenPath(dir), `${s.secretKey}\n`, 0o600);
  if (!existsSync(onePasswordPath(dir))) writeFileAtomic(onePasswordPath(dir), `${randomBytes(12).toString('base64url')}\n`, 0o600);
}
