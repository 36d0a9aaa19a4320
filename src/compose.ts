// The composition root of the core: from a config, build the stores, the log hub, the health
// monitor, the job service, the action registry and the one executor, wired together.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Executor, type AuditSink } from './actions/executor.js';
import { hostActions } from './actions/host-actions.js';
import { jobActions } from './actions/job-actions.js';
import { ActionRegistry } from './actions/registry.js';
import type { HostRow } from './domain/host.js';
import { doctorActions } from './actions/doctor-actions.js';
import type { Services } from './services.js';
import type { Session } from './session.js';
import { uiActions } from './actions/ui-actions.js';
import { operationActions } from './actions/operation-actions.js';
import { OperationWatcher } from './operations/watcher.js';
import { createOperationService } from './operations/service.js';
import { watchConfigFile } from './config/watch.js';
import { describeError } from './errors.js';
import { resolveScalewayCredentials } from './adapters/scaleway/credentials.js';
import type { Config } from './config/schema.js';
import { collectSecrets } from './config/secrets.js';
import { HealthMonitor, type MonitorDeps } from './health/monitor.js';
import { createHookLogService } from './health/hook-log.js';
import { createJobService } from './jobs/job-service.js';
import type { AppLog } from './logs/app-log.js';
import { LogHub } from './logs/log-hub.js';
import { LogRegistry, holdRunningJobLogs } from './logs/log-registry.js';
import { jobLogSource } from './jobs/log-follower.js';
import { attachNavigation } from './actions/navigation.js';
import type { Paths } from './paths.js';
import { createClusterStore, type ClusterStore } from './store/cluster-store.js';
import type { UiStore } from './store/ui-store.js';
import { createActivity, type Activity } from './idle.js';

export interface Core {
  config: Config;
  cluster: ClusterStore;
  logHub: LogHub;
  registry: ActionRegistry;
  executor: Executor;
  services: Services;
  /** the one log registry (also services.logs) */
  logs: LogRegistry;
  /** attach a session's UI store: its screens hold their logs in this core; returns the detach */
  attach(ui: UiStore): () => void;
  /** read the jobs directory once and publish what it says (jobs, pending plan, lock holder, tool
   * readiness) into the cluster store, without starting any timer: for a one-shot front end
   * (`onedeck run`) that needs disabled reasons right but no monitor */
  refreshJobs(): void;
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
  /** sources of the health sweep to stand in for (tests); default: the real ones */
  health?: Omit<MonitorDeps, 'refreshSeconds' | 'onError'>;
  /** the bundled job runner (dist/job-runner.js) */
  runnerScript: string;
  /** ms between two looks at onedeck.yaml (default 500): a change reloads it as :reload does */
  configWatchMs?: number;
  /** the bundled operation runner (default: operation-runner.js next to the job runner) */
  operationRunnerScript?: string;
  env?: NodeJS.ProcessEnv;
}


/** onedeck.yaml's hosts as rows before anything was read: pending, waiting for the first refresh */
export function configuredHosts(config: Pick<Config, 'frontend' | 'hypervisors'>): HostRow[] {
  return [config.frontend, ...config.hypervisors].map((h) => ({
    key: h.name,
    role: h.role,
    sourceErrors: {},
    drift: [],
    verdict: { kind: 'pending', reasons: ['waiting for the first refresh'] },
  }));
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
  // the configured hosts at once, pending, so the first screen is never "0 hosts" (the first sweep replaces them)
  cluster.setState({ hosts: configuredHosts(config) });
  const logHub = new LogHub(cluster);
  const activity = createActivity();
  const monitor = new HealthMonitor(config, cluster, {
    ...opts.health,
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
    // no operator here: every call that starts or cancels a job names the session that asks
    // secrets travel to the tool's environment only, never to a file or a command line
    secrets: () => ({ ...scalewayEnv().secrets, ...collectSecrets(config, env, (m) => log.warn(m)) }),
    extraEnv: scw.plain,
    activity,
  });
  const hookLog = createHookLogService(config, logHub, { pool: monitor.pool });

  // the one registry of loaded logs: a job's output.log is read (and followed) while a screen or
  // the running job holds it; a hook-log tail runs while its screen is on the stack
  const logs = new LogRegistry(logHub, {
    job: jobLogSource(paths.jobsDir, logHub),
    hooklog: (id, ref) => {
      void hookLog.open(ref.host, id);
      return { stop: () => hookLog.close(id) };
    },
  });
  let unholdRunning: (() => void) | undefined;
  let unwatchConfig: (() => void) | undefined;
  // operations: the watcher publishes the journals into the store; the service starts them detached
  const opWatcher = new OperationWatcher({ stateDir: paths.stateDir, cluster, activity });
  const operations = createOperationService({
    config,
    stateDir: paths.stateDir,
    lockFile: paths.lockFile,
    runnerScript: opts.operationRunnerScript ?? join(dirname(opts.runnerScript), 'operation-runner.js'),
    pool: monitor.pool,
    env: { ...env, ONEDECK_JOB_RUNNER: opts.runnerScript },
  });
  const services: Services = {
    // r: everything again, the credentials' IAM permissions included
    refresh: () => monitor.refreshNow({ credentials: true }),
    jobs,
    logs,
    operations,
  };
  // the doctor (and the SDKs its checks load) is loaded when it runs, not before the first frame
  services.doctor = async () => (await import('./doctor/run-doctor.js')).runDoctor({ loadConfig: async () => config, stateDir: paths.stateDir, repoRoot: dirname(config.paths.ansible), env });
  const registry = new ActionRegistry([...uiActions(), ...hostActions(), ...jobActions(), ...doctorActions(), ...operationActions()]);
  const auditFile = join(paths.stateDir, 'audit.log');
  const audit: AuditSink = (e) => {
    // a read-only session writes no file but onedeck's own log: its refusals go there
    if (e.session.readonly) {
      log.info(`refused (read-only session ${e.session.id}, ${e.session.user}${e.session.from ? ` from ${e.session.from}` : ''}): ${e.action} ${e.args.join(' ')}`.trimEnd());
      return;
    }
    try {
      mkdirSync(paths.stateDir, { recursive: true });
      const line = { at: new Date(e.at).toISOString(), user: e.session.user, from: e.session.from, terminal: e.session.terminal, readonly: e.session.readonly, action: e.action, args: e.args, outcome: e.outcome };
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
  }, { activity });

  return {
    config,
    cluster,
    logHub,
    registry,
    executor,
    services,
    logs,
    attach: (ui) => attachNavigation(ui, cluster, logs),
    refreshJobs: () => {
      jobs.refresh();
      opWatcher.refresh();
    },
    activity,
    idle: () => activity.whenIdle(),
    start() {
      monitor.start();
      jobs.start();
      opWatcher.start();
      unholdRunning = holdRunningJobLogs(cluster, logs);
      // onedeck.yaml edited elsewhere (by hand, by an operation): reload it as :reload does; a
      // broken file changes nothing, and its whole message goes to the front end and onedeck.log
      const file = config.source.file;
      if (file && services.reload) {
        const reload = services.reload;
        unwatchConfig = watchConfigFile(file, () => {
          const done = activity.begin('config reload');
          log.info(`config changed on disk: ${file}`);
          reload({ id: 'config-watch', readonly: true, user: 'onedeck' })
            .then((m) => log.info(`config watch: ${m}`))
            // the reload shows its own problem (main.ts: a dialog with the whole message) and logs it
            .catch((err) => log.warn(`config watch: ${file} not reloaded: ${describeError(err).split('\n')[0]}`))
            .finally(done);
        }, { intervalMs: opts.configWatchMs });
      }
    },
    async stop() {
      unholdRunning?.();
      unwatchConfig?.();
      jobs.stop();
      opWatcher.stop();
      logs.stop();
      logHub.stop();
      await monitor.stop();
    },
  };
}

