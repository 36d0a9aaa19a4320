// The real StepDeps of a detached operation runner, built from onedeck.yaml (read afresh each
// time a step asks): SSH through the connection pool, Scaleway through the SDK, jobs through the
// job service, the inventory and known_hosts on disk.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Baremetal } from '@scaleway/sdk';
import type { Zone } from '@scaleway/sdk-client';
import { createScalewayClient } from '../adapters/scaleway/client.js';
import { resolveScalewayCredentials } from '../adapters/scaleway/credentials.js';
import { hostFieldMatches, knownHostsName } from '../adapters/ssh/known-hosts.js';
import { SshPool } from '../adapters/ssh/connection-pool.js';
import { OUTPUTS_FILE, readInventory } from '../adapters/tofu/outputs.js';
import { loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { collectSecrets } from '../config/secrets.js';
import { writeConfigAtomic } from '../config/edit.js';
import { sshTargets } from '../health/targets.js';
import { createJobService } from '../jobs/job-service.js';
import { renderInventoryFromOutputs } from '../jobs/inventory-refresh.js';
import { LogHub } from '../logs/log-hub.js';
import type { Paths } from '../paths.js';
import { createClusterStore } from '../store/cluster-store.js';
import { jobStarterFromService } from './job-starter.js';
import { DEFAULT_TIMING, type StepDeps } from './step-deps.js';
import type { OperationSpec } from './types.js';

export interface RunnerDepsOptions {
  spec: OperationSpec;
  paths: Paths;
  /** dist/job-runner.js */
  jobRunnerScript: string;
  /** the lock the operation's own jobs take (the operation holds paths.lockFile) */
  jobLockFile: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export function createRunnerDeps(o: RunnerDepsOptions): StepDeps & { close(): void } {
  const env = o.env ?? process.env;
  const log = o.log ?? (() => {});
  const config = (): Config => loadConfigFile(o.spec.configFile, { sandbox: o.spec.configFile === join(o.paths.sandboxDir, 'onedeck.yaml') });
  const first = config();
  const pool = new SshPool({
    user: first.ssh.user,
    key: first.ssh.key,
    knownHosts: first.ssh.known_hosts,
    configFile: first.ssh.config_file,
    timeoutMs: first.ssh.timeout_seconds * 1000,
  });
  const endpoint = async (name: string) => {
    const c = config();
    return sshTargets(c, await readInventory(c).catch(() => undefined))[name]?.endpoint;
  };
  const scaleway = () => {
    const c = config();
    const creds = resolveScalewayCredentials(c, env);
    return { c, creds, client: createScalewayClient(creds) };
  };
  const jobService = (hypervisors?: string[]) => {
    const base = config();
    const c: Config = hypervisors ? { ...base, hypervisors: hypervisors.map((n) => base.hypervisors.find((h) => h.name === n) ?? { name: n, role: 'hypervisor' as const }) } : base;
    const cluster = createClusterStore({
      name: c.cluster,
      zone: c.scaleway.zone,
      region: c.scaleway.region,
      opennebulaVersion: c.opennebula.version,
      sandbox: c.source.sandbox,
      configFile: c.source.file,
      refreshSeconds: c.refresh_seconds,
    });
    let scw: { secrets: Record<string, string>; plain: Record<string, string> } = { secrets: {}, plain: {} };
    try {
      const { creds } = scaleway();
      scw = {
        secrets: { SCW_ACCESS_KEY: creds.profile.accessKey, SCW_SECRET_KEY: creds.profile.secretKey },
        plain: {
          SCW_DEFAULT_ZONE: c.scaleway.zone,
          SCW_DEFAULT_REGION: c.scaleway.region,
          SCW_DEFAULT_PROJECT_ID: c.scaleway.project_id,
          ...(creds.profile.apiURL && creds.profile.apiURL !== 'https://api.scaleway.com' ? { SCW_API_URL: creds.profile.apiURL } : {}),
        },
      };
    } catch (err) {
      log(`no Scaleway credentials for jobs: ${(err as Error).message}`);
    }
    return createJobService({
      config: c,
      // the operation holds the machine-wide lock; its own jobs take a lock of the operation's,
      // so every other mutating job on the machine stays refused while they run
      paths: { ...o.paths, lockFile: o.jobLockFile },
      cluster,
      logHub: new LogHub(cluster),
      runnerScript: o.jobRunnerScript,
      secrets: () => ({ ...scw.secrets, ...collectSecrets(c, env, log) }),
      extraEnv: scw.plain,
    });
  };
  return {
    jobs: jobStarterFromService({ jobsDir: o.paths.jobsDir, service: jobService, session: { id: `operation-${o.spec.id}`, readonly: false, ...o.spec.operator } }),
    onePrefix: first.opennebula.command_prefix,
    async frontend(command) {
      const ep = await endpoint(config().frontend.name);
      if (!ep) throw new Error('the frontend has no SSH endpoint yet (no ssh in onedeck.yaml and no tofu inventory)');
      const r = await pool.exec(ep, command, { timeoutMs: 60_000 });
      return { stdout: r.stdout, stderr: r.stderr, code: r.code };
    },
    async serverStatus(host) {
      const { c, client } = scaleway();
      const api = new Baremetal.v1.API(client);
      const name = `${c.cluster}-${host}`;
      const servers = await api.listServers({ zone: c.scaleway.zone as Zone, projectId: c.scaleway.project_id, name }).all();
      const s = servers.find((x) => x.name === name || x.tags.includes(`host=${host}`));
      return s ? { status: s.status, ...(s.install ? { installStatus: s.install.status } : {}) } : undefined;
    },
    async applied(host) {
      const inv = await readInventory(config()).catch(() => undefined);
      return Boolean(inv?.hypervisors[host]) || inv?.frontend?.name === host;
    },
    async sshAnswers(host) {
      const ep = await endpoint(host);
      if (!ep) return false;
      try {
        return (await pool.exec(ep, 'true', { timeoutMs: 10_000 })).code === 0;
      } catch {
        return false;
      }
    },
    config: {
      file: o.spec.configFile,
      read() {
        const c = config();
        return {
          frontend: c.frontend.name,
          hypervisors: c.hypervisors.map((h) => h.name),
          privateIps: Object.fromEntries([c.frontend, ...c.hypervisors].map((h) => [h.name, h.private_ip])),
        };
      },
    },
    async renderInventory() {
      const c = config();
      await renderInventoryFromOutputs(join(c.paths.terraform, OUTPUTS_FILE), c, c.paths.inventory);
    },
    knownHostNames: (host) => knownHostNames(config(), host),
    async dropKnownHosts(names) {
      const c = config();
      const file = c.ssh.known_hosts ?? join(env.HOME ?? '', '.ssh', 'known_hosts');
      return dropKnownHostLines(file, names);
    },
    // the sandbox answers at once: poll it often so an operation there takes seconds, not minutes
    timing: first.source.sandbox ? { ...DEFAULT_TIMING, pollMs: 500, monitoredErrorMs: 5_000 } : DEFAULT_TIMING,
    close: () => void pool.close(),
  };
}

/** The names a host may be recorded under in known_hosts: its ssh endpoint, name and private IP. */
export function knownHostNames(c: Config, host: string): string[] {
  const h = c.hypervisors.find((x) => x.name === host);
  const names = [host];
  if (h?.ssh) names.push(knownHostsName(h.ssh.host, h.ssh.port));
  if (h?.private_ip) names.push(h.private_ip);
  return names;
}

/** Remove the lines of `file` whose host field matches one of `names` (hashed entries too). */
export function dropKnownHostLines(file: string, names: string[]): number {
  if (!existsSync(file)) return 0;
  const lines = readFileSync(file, 'utf8').split('\n');
  const kept = lines.filter((l) => {
    const t = l.trim();
    if (!t || t.startsWith('#')) return true;
    // a @cert-authority or @revoked line is a policy, not this host's key: never dropped
    if (t.startsWith('@')) return true;
    const field = t.split(/\s+/)[0];
    // the host's own names only, literally (or hashed): a wildcard pattern names other hosts too
    const match = (n: string) => (field.startsWith('|1|') ? hostFieldMatches(field, n) : field.split(',').includes(n));
    return !names.some(match);
  });
  const dropped = lines.length - kept.length;
  if (dropped > 0) writeConfigAtomic(file, kept.join('\n'));
  return dropped;
}
