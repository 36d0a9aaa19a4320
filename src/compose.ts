// The composition root of the core: from a config, build the stores, the log hub, the health
// monitor, the job service, the action registry and the one executor, wired together.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Executor, type AuditSink } from './actions/executor.js';
import { hostActions } from './actions/host-actions.js';
import { jobActions } from './actions/job-actions.js';
import { ActionRegistry } from './actions/registry.js';
import type { Services } from './services.js';
import type { Session } from './session.js';
import { uiActions } from './actions/ui-actions.js';
import { resolveScalewayCredentials } from './adapters/scaleway/credentials.js';
import type { Config } from './config/schema.js';
import { collectSecrets } from './config/secrets.js';
import { HealthMonitor } from './health/monitor.js';
import { createHookLogService } from './health/hook-log.js';
import { createJobService } from './jobs/job-service.js';
import type { AppLog } from './logs/app-log.js';
import { LogHub } from './logs/log-hub.js';
import { jobOfLog } from './logs/log-id.js';
import type { Paths } from './paths.js';
import { createClusterStore, type ClusterStore } from './store/cluster-store.js';
import { createActivity, type Activity } from './idle.js';

export interface Core {
  config: Config;
  cluster: ClusterStore;
  logHub: LogHub;
  registry: ActionRegistry;
  executor: Executor;
  services: Services;
  /** what is in flight (sweeps, actions, job refreshes): tests wait on it */
  activity: Activity;
  /** resolves once no sweep, action or scheduled job refresh is in flight */
  idle(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

export interface ComposeOptions {
  config: Config;
  paths: Paths;
  log: AppLog;
  /** --refresh, over the config's refresh_seconds */
  refreshSeconds?: number;
  /** who is at this terminal (job records, the audit log) */
  operator: { user: string; from?: string };
  /** the bundled job runner (dist/job-runner.js) */
  runnerScript: string;
  env?: NodeJS.ProcessEnv;
}


export function composeCore(opts: ComposeOptions): Core {
  const { config, paths, log } = opts;
  const env = opts.env ?? process.env;
  const cluster = createClusterStore({
    name: config.cluster,
    zone: config.scaleway.zone,
    region: config.scaleway.region,
    opennebulaVersion: config.opennebula.version,
    sandbox: config.source.sandbox,
    configFile: config.source.file,
    refreshSeconds: opts.refreshSeconds ?? config.refresh_seconds,
  });
  const logHub = new LogHub(cluster);
  const activity = createActivity();
  const monitor = new HealthMonitor(config, cluster, {
    activity,
    refreshSeconds: opts.refreshSeconds,
    onError: (err) => log.error('health sweep failed', err),
  });

  // Scaleway credentials for tofu's provider: SCW_* over the scw profile, resolved once per job
  const scalewayEnv = (): { secrets: Record<string, string>; plain: Record<string, string> } => {
    try {
      const c = resolveScalewayCredentials(config, env);
      const plain: Record<string, string> = {
        SCW_DEFAULT_ZONE: config.scaleway.zone,
        SCW_DEFAULT_REGION: config.scaleway.region,
        SCW_DEFAULT_PROJECT_ID: config.scaleway.project_id,
      };
      if (c.profile.apiURL && c.profile.apiURL !== 'https://api.scaleway.com') plain.SCW_API_URL = c.profile.apiURL;
      return { secrets: { SCW_ACCESS_KEY: c.profile.accessKey, SCW_SECRET_KEY: c.profile.secretKey }, plain };
    } catch (err) {
      log.warn(`no Scaleway credentials for jobs: ${(err as Error).message}`);
      return { secrets: {}, plain: {} };
    }
  };
  const scw = scalewayEnv();
  const jobs = createJobService({
    config,
    paths,
    cluster,
    logHub,
    runnerScript: opts.runnerScript,
    session: () => opts.operator,
    // secrets travel to the tool's environment only, never to a file or a command line
    secrets: () => ({ ...scalewayEnv().secrets, ...collectSecrets(config, env, (m) => log.warn(m)) }),
    extraEnv: scw.plain,
    activity,
  });
  const hookLog = createHookLogService(config, logHub, { pool: monitor.pool });

  const asked = new Set<string>();
  const loadJobLog = (id: string) => {
    const jobId = jobOfLog(id);
    if (!jobId || logHub.has(id) || asked.has(id)) return;
    asked.add(id);
    jobs.follow?.(jobId);
  };
  const services: Services = {
    refresh: () => monitor.refreshNow(),
    jobs,
    hookLog,
    // a job's log is loaded from disk (and followed while it runs) the first time a pane asks for it
    logs: {
      buffer: (id: string) => {
        loadJobLog(id);
        return logHub.buffer(id);
      },
      has: (id: string) => {
        loadJobLog(id);
        return logHub.has(id);
      },
    },
  };
  const registry = new ActionRegistry([...uiActions(), ...hostActions(), ...jobActions()]);
  const auditFile = join(paths.stateDir, 'audit.log');
  const audit: AuditSink = (e) => {
    try {
      mkdirSync(paths.stateDir, { recursive: true });
      const line = { at: new Date(e.at).toISOString(), user: e.session.user, from: e.session.from, readonly: e.session.readonly, action: e.action, args: e.args, outcome: e.outcome };
      appendFileSync(auditFile, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    } catch (err) {
      log.warn(`cannot write the audit log: ${(err as Error).message}`);
    }
  };
  const executor = new Executor(registry, cluster, services, (e) => {
    // navigation is not worth auditing; anything that reaches the cluster is (once: when it is
    // answered, not when it asks for a confirmation; the job it starts has its own record)
    if (e.outcome === 'needs-confirmation') return;
    if (registry.get(e.action)?.mutating || e.outcome === 'readonly') audit(e);
  }, activity);

  return {
    config,
    cluster,
    logHub,
    registry,
    executor,
    services,
    activity,
    idle: () => activity.whenIdle(),
    start() {
      monitor.start();
      jobs.start();
    },
    async stop() {
      jobs.stop();
      logHub.stop();
      await monitor.stop();
    },
  };
}

