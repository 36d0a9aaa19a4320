// Shared set-up of the jobs integration tests: the bundled runner, a temp state dir and config,
// a job service, and waiting for a job to reach a state (a condition with a deadline, no sleeps).
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { composeCore, type Core } from '../../src/compose.js';
import { parseConfig } from '../../src/config/load.js';
import { createAppLog } from '../../src/logs/app-log.js';
import type { Config } from '../../src/config/schema.js';
import type { JobRecord } from '../../src/domain/job.js';
import { createJobService, type JobServiceOptions } from '../../src/jobs/job-service.js';
import { readJob } from '../../src/jobs/job-store.js';
import { LogHub } from '../../src/logs/log-hub.js';
import { LogRegistry, holdRunningJobLogs } from '../../src/logs/log-registry.js';
import { jobLogSource } from '../../src/jobs/log-follower.js';
import { attachNavigation } from '../../src/actions/navigation.js';
import { createUiStore } from '../../src/store/ui-store.js';
import { resolvePaths, type Paths } from '../../src/paths.js';
import type { Session } from '../../src/session.js';
import { createClusterStore, type ClusterStore } from '../../src/store/cluster-store.js';
import { until as waitUntil } from '../harness/wait.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const FIXTURES = join(ROOT, 'test/fixtures/jobs');
export const RUNNER = join(ROOT, 'dist/job-runner.js');

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Bundle src/jobs/detached-runner.ts to dist/job-runner.js when missing or older than src/. */
export async function ensureRunner(): Promise<string> {
  const src = Math.max(newestMtime(join(ROOT, 'src/jobs')), newestMtime(join(ROOT, 'src/adapters/tofu')), newestMtime(join(ROOT, 'src/adapters/ansible')));
  if (existsSync(RUNNER) && statSync(RUNNER).mtimeMs >= src) return RUNNER;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const tmp = `${RUNNER}.${process.pid}.tmp`;
  // same options as scripts/build.mjs
  await build({
    entryPoints: [join(ROOT, 'src/jobs/detached-runner.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    legalComments: 'none',
    external: ['cpu-features', './crypto/build/Release/sshcrypto.node', 'react-devtools-core'],
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  renameSync(tmp, RUNNER);
  return RUNNER;
}

export interface Rig {
  dir: string;
  paths: Paths;
  config: Config;
  cleanup(): void;
}

/** A temp state dir, terraform/ and ansible/ dirs, and a config whose tools are `tools` ({dir}: the rig's dir). */
export function makeRig(tools: { tofu?: string; ansible_playbook?: string } = {}, more: { yaml?: string[] } = {}): Rig {
  const dir = mkdtempSync(join(tmpdir(), 'onedeck-jobs-'));
  const at = (t: string | undefined) => t?.replace('{dir}', dir);
  tools = { tofu: at(tools.tofu), ansible_playbook: at(tools.ansible_playbook) };
  mkdirSync(join(dir, 'terraform'));
  mkdirSync(join(dir, 'ansible', 'inventory'), { recursive: true });
  const yaml = [
    'cluster: test',
    'scaleway: { zone: fr-par-2, project_id: 11111111-2222-3333-4444-555555555555 }',
    'frontend: { name: fe }',
    'hypervisors: [kvm-1, kvm-2]',
    `tools: { tofu: ${JSON.stringify(tools.tofu ?? join(FIXTURES, 'fake-tofu.sh'))}, ansible_playbook: ${JSON.stringify(tools.ansible_playbook ?? 'ansible-playbook')} }`,
    'paths: { terraform: terraform, ansible: ansible }',
    ...(more.yaml ?? []).map((l) => l.replaceAll('{dir}', dir)),
  ].join('\n');
  writeFileSync(join(dir, 'onedeck.yaml'), yaml);
  const config = parseConfig(yaml, join(dir, 'onedeck.yaml'));
  const paths = resolvePaths({ HOME: dir, XDG_STATE_HOME: join(dir, 'state') });
  mkdirSync(paths.jobsDir, { recursive: true });
  return { dir, paths, config, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The operator of the jobs tests' calls (every job-service call that starts or cancels names one). */
export const ALICE: Session = { id: 'alice-tty', readonly: false, user: 'alice', from: '10.0.0.5' };

export interface ServiceHandle {
  cluster: ClusterStore;
  hub: LogHub;
  /** the log registry, with a running job's log held and one session's main screen attached */
  logs: LogRegistry;
  service: ReturnType<typeof createJobService>;
}

export function makeService(rig: Rig, over: Partial<JobServiceOptions> = {}): ServiceHandle {
  const cluster = createClusterStore({
    name: 'test', zone: 'fr-par-2', region: 'fr-par', opennebulaVersion: '7.0', sandbox: false, configFile: null, refreshSeconds: 10,
  });
  const hub = new LogHub(cluster, { flushMs: 10 });
  const service = createJobService({
    config: rig.config,
    paths: rig.paths,
    cluster,
    logHub: hub,
    runnerScript: RUNNER,
    secrets: () => ({}),
    killGraceMs: 2000,
    pollMs: 100,
    writeInputs: async () => {},
    inventoryAfterApply: false,
    ...over,
  });
  // as compose.ts wires it: running jobs hold their logs, a session's main screen the newest job's
  const logs = new LogRegistry(hub, { job: jobLogSource(rig.paths.jobsDir, hub) });
  const detach = attachNavigation(createUiStore(), cluster, logs);
  const start = service.start;
  const stop = service.stop;
  let unhold: (() => void) | undefined;
  service.start = () => {
    start();
    unhold = holdRunningJobLogs(cluster, logs);
  };
  service.stop = () => {
    unhold?.();
    detach();
    logs.stop();
    stop();
  };
  return { cluster, hub, logs, service };
}

/**
 * The real core (compose.ts) on the rig: stores, job service and watcher, executor, audit. The
 * health sweep reads the real tofu outputs but stands in for Scaleway, OpenNebula and the SSH
 * probes (no network). The app log goes to the rig's onedeck.log.
 */
export function composeRigCore(rig: Rig): Core {
  return composeCore({
    config: rig.config,
    paths: rig.paths,
    log: createAppLog(rig.paths.logFile),
    runnerScript: RUNNER,
    env: { HOME: rig.dir, XDG_CONFIG_HOME: join(rig.dir, 'config'), PATH: process.env.PATH },
    health: {
      scaleway: () => Promise.reject(new Error('no Scaleway in this test')),
      opennebula: () => Promise.reject(new Error('no OpenNebula in this test')),
      probe: async () => ({ reachable: false, error: 'not probed in this test', at: Date.now() }),
    },
  });
}

/** the harness's `until` with the jobs' longer deadline (a real runner and tool start per job) */
export function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  return waitUntil(what, fn, { timeoutMs, everyMs: 25 });
}

/** Wait for a job to finish (any state but running) and return its record. */
export function finished(rig: Rig, id: string, timeoutMs = 30_000): Promise<JobRecord> {
  return until(`job ${id} to finish`, () => {
    const j = readJob(rig.paths.jobsDir, id);
    return j.state !== 'running' ? j : undefined;
  }, timeoutMs);
}
