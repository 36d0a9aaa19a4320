// Runs every doctor check, in the order a newcomer meets them, and folds them into a report.
// The config is given as a loader: a broken onedeck.yaml is one failed check, not the end.
import { join } from 'node:path';
import { execa } from 'execa';
import { resolveScalewayCredentials } from '../adapters/scaleway/credentials.js';
import { SshPool } from '../adapters/ssh/connection-pool.js';
import { readInventory } from '../adapters/tofu/outputs.js';
import type { Config } from '../config/schema.js';
import { describeError } from '../errors.js';
import { sshTargets } from '../health/targets.js';
import { checkOpenNebula, checkScaleway, checkSudo, type FrontendProbe } from './cloud-checks.js';
import { checkAnsible, checkCollections, checkDisk, checkNode, checkSsh, checkTofu, freeBytes, type ToolDeps } from './tool-checks.js';
import { fail, ok, reportOf, warn, type CheckResult, type DoctorReport } from '../domain/doctor.js';

export interface DoctorOptions {
  /** loads onedeck.yaml (or the sandbox's); throws an OnedeckError when it is not valid */
  loadConfig: () => Promise<Config>;
  stateDir: string;
  /** the package root, for ansible/requirements.yml when the config cannot be read */
  repoRoot: string;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  tools?: Partial<ToolDeps>;
  fetch?: typeof fetch;
  /** the frontend's address and a way to run a command there; default: SSH as the health sweep does */
  frontend?: (config: Config) => Promise<FrontendProbe & { close?: () => Promise<void> }>;
}

const run: ToolDeps['run'] = async (file, args, env) => {
  const r = await execa(file, args, { env: env ?? {}, reject: false, timeout: 20_000, stdin: 'ignore' });
  if (r.failed && r.exitCode === undefined) throw new Error(r.shortMessage);
  return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), code: r.exitCode ?? null };
};

async function sshFrontend(config: Config): Promise<FrontendProbe & { close: () => Promise<void> }> {
  const pool = new SshPool({ user: config.ssh.user, key: config.ssh.key, knownHosts: config.ssh.known_hosts, configFile: config.ssh.config_file, timeoutMs: config.ssh.timeout_seconds * 1000 });
  const inventory = await readInventory(config).catch(() => undefined);
  const t = sshTargets(config, inventory)[config.frontend.name];
  const ep = t?.endpoint;
  return {
    address: t?.display,
    exec: ep ? (cmd) => pool.exec(ep, cmd) : undefined,
    close: () => pool.close(),
  };
}

/** the defaults of the tools and paths a config would give, for the checks that need no cluster */
function fallbackConfig(repoRoot: string): Config {
  return {
    tools: { tofu: 'auto', ansible_playbook: 'ansible-playbook' },
    source: { file: null, dir: process.cwd(), sandbox: false },
    paths: { ansible: join(repoRoot, 'ansible'), terraform: join(repoRoot, 'terraform'), hooks: join(repoRoot, 'hooks'), inventory: '' },
    ssh: { user: 'ubuntu', jump_via_frontend: false, timeout_seconds: 5, concurrency: 256 },
  } as unknown as Config;
}

/** without a config: are there credentials at all (no API call: the zone and project are unknown) */
function credentialsOnly(env: NodeJS.ProcessEnv): CheckResult {
  const title = 'Scaleway credentials';
  try {
    const creds = resolveScalewayCredentials({ scaleway: { zone: 'fr-par-1', project_id: '', offer: '' } } as unknown as Config, env);
    return warn('scaleway', title, `found in ${creds.source}; not tried yet: the project and zone come from onedeck.yaml`, 'Fix onedeck.yaml (above), then run onedeck doctor again.');
  } catch (err) {
    const [detail, ...hint] = describeError(err).split('\n');
    return fail('scaleway', title, detail, hint.join(' ') || undefined);
  }
}

export async function runDoctor(opts: DoctorOptions): Promise<DoctorReport> {
  const env = opts.env ?? process.env;
  const deps: ToolDeps = { env, nodeVersion: process.versions.node, run, freeBytes, ...opts.tools };
  const now = opts.now ?? Date.now;
  let config: Config | undefined;
  let configCheck: CheckResult;
  try {
    config = await opts.loadConfig();
    const where = config.source.sandbox ? `the sandbox's ${config.source.file}` : config.source.file ?? 'onedeck.yaml';
    const n = config.hypervisors.length;
    configCheck = ok('config', 'onedeck.yaml', `${where}: cluster ${config.cluster}, 1 frontend + ${n} hypervisor${n === 1 ? '' : 's'}`);
  } catch (err) {
    const [detail, ...hint] = describeError(err).split('\n');
    configCheck = fail('config', 'onedeck.yaml', detail, hint.join(' ') || 'Run onedeck init to write one.');
  }
  const c = config ?? fallbackConfig(opts.repoRoot);
  const checks: CheckResult[] = [checkNode(deps.nodeVersion)];
  const [tofu, ansible] = await Promise.all([checkTofu(c, deps), checkAnsible(c, deps)]);
  checks.push(tofu, ansible, checkCollections(c, deps));
  checks.push(...(config ? checkSsh(config, deps) : checkSsh(c, deps)));
  if (config) {
    const cfg = config;
    const frontend = await (opts.frontend ?? sshFrontend)(cfg);
    try {
      const [scw, one, sudo] = await Promise.all([checkScaleway(cfg, env, opts.fetch), checkOpenNebula(cfg, frontend), checkSudo(cfg, frontend)]);
      checks.push(...scw, configCheck, checkDisk(opts.stateDir, deps), one, sudo);
    } finally {
      await frontend.close?.();
    }
  } else {
    const skipped = 'not checked: no onedeck.yaml was loaded (the zone, project and frontend come from it)';
    checks.push(credentialsOnly(env), warn('stock', 'Elastic Metal offer stock', skipped), configCheck, checkDisk(opts.stateDir, deps), warn('opennebula', 'OpenNebula frontend', skipped));
  }
  return reportOf(checks, now());
}
