// Builds one session of the real app (stores, registry with the UI actions, executor, log hub)
// on a fake terminal, for the component tests.
import { vi } from 'vitest';
import { ActionRegistry } from '../../src/actions/registry.js';
import { Executor } from '../../src/actions/executor.js';
import type { ActionDef } from '../../src/actions/types.js';
import type { JobService, Services } from '../../src/services.js';
import type { Session } from '../../src/session.js';
import { jobActions } from '../../src/actions/job-actions.js';
import type { JobRecord } from '../../src/domain/job.js';
import { uiActions } from '../../src/actions/ui-actions.js';
import { createClusterStore, type ClusterInfo, type ClusterStore } from '../../src/store/cluster-store.js';
import { createUiStore } from '../../src/store/ui-store.js';
import { LogHub } from '../../src/logs/log-hub.js';
import { LogRegistry, type LogRegistryOptions } from '../../src/logs/log-registry.js';
import { attachNavigation } from '../../src/actions/navigation.js';
import { createActivity } from '../../src/idle.js';
import { startTui } from '../../views/index.js';
import { FakeStdin, FakeTty } from '../harness/fake-tty.js';
import { fakeClock, NOW, type FakeClock } from '../harness/clock.js';
import { goneFrom, showsOn } from '../harness/wait.js';
import { sampleHosts } from '../fixtures/hosts.js';

export const INFO: ClusterInfo = {
  name: 'prod', zone: 'fr-par-2', region: 'fr-par', opennebulaVersion: '7.0', sandbox: true, configFile: null, refreshSeconds: 30,
};

export interface Rig {
  /** frames Ink rendered so far (drawn or not: a frame that changed nothing writes nothing but still costs) */
  frames: { count: number };
  tty: FakeTty;
  stdin: FakeStdin;
  tui: ReturnType<typeof startTui>;
  cluster: ReturnType<typeof createClusterStore>;
  ui: ReturnType<typeof createUiStore>;
  registry: ActionRegistry;
  executor: Executor;
  /** the lines (tests append to it directly) */
  logs: LogHub;
  /** the log registry over `logs`, as the core has it (services.logs, the views' reader) */
  reg: LogRegistry;
  /** hook-log tails started and stopped, by log id */
  tails: { started: string[]; stopped: string[] };
  services: Services;
  quit: ReturnType<typeof vi.fn>;
  planRun: ReturnType<typeof vi.fn>;
  session: Session;
  /** resolves once no action run is in flight (the core's idle signal) */
  idle(): Promise<void>;
  /** the session's clock: fixed at NOW (the fixtures' now) until the test moves it */
  clock: FakeClock;
  /** the screen as text */
  screen(): string;
  /** wait until the screen shows `m`; resolves with the screen */
  shows: ReturnType<typeof showsOn>;
  /** wait until `m` is gone from the screen */
  gone: ReturnType<typeof goneFrom>;
}

/** `jobs`: register the real job actions over this job service instead of the stub plan action */
export function startRig(o: { columns?: number; rows?: number; readonly?: boolean; noColor?: boolean; extra?: ActionDef[]; capacity?: number; jobs?: JobService; sources?: LogRegistryOptions; navigation?: boolean; now?: number } = {}): Rig {
  const clock = fakeClock(o.now ?? NOW);
  const tty = new FakeTty(o.columns ?? 80, o.rows ?? 24);
  const stdin = new FakeStdin();
  const cluster = createClusterStore(INFO);
  cluster.setState({ hosts: sampleHosts(clock()), refreshedAt: clock() - 4000 });
  const ui = createUiStore();
  const logs = new LogHub(cluster, { flushMs: 10, capacity: o.capacity });
  const quit = vi.fn();
  const planRun = vi.fn();
  const plan: ActionDef = { id: 'plan', title: 'tofu plan', keys: ['p'], scope: ['hosts', 'jobs'], mutating: true, footer: true, run: planRun };
  const registry = new ActionRegistry([...uiActions(), ...(o.jobs ? jobActions() : [plan]), ...(o.extra ?? [])]);
  const tails = { started: [] as string[], stopped: [] as string[] };
  const reg = new LogRegistry(logs, {
    hooklog: (id) => {
      tails.started.push(id);
      logs.append(id, `tail ${id}`);
      return { stop: () => void tails.stopped.push(id) };
    },
    ...o.sources,
  });
  // the session's navigation model (screens hold their logs); off to see what the views alone do
  if (o.navigation !== false) attachNavigation(ui, cluster, reg);
  const services: Services = { quit, logs: reg, ...(o.jobs ? { jobs: o.jobs } : {}) };
  const activity = createActivity();
  const executor = new Executor(registry, cluster, services, () => {}, { activity });
  const session: Session = { id: 's1', readonly: o.readonly ?? false, user: 'ops' };
  const frames = { count: 0 };
  const tui = startTui({
    stdout: tty as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    cluster, ui, registry, executor, session, logs: reg, noColor: o.noColor ?? false, clock,
    onFrame: () => frames.count++,
  });
  const screen = () => tty.screen.text();
  return { frames, tty, stdin, tui, cluster, ui, registry, executor, logs, reg, tails, services, quit, planRun, session, idle: () => activity.whenIdle(), clock, screen, shows: showsOn(screen), gone: goneFrom(screen) };
}

/** put a job record in the store as the job watcher would: replacing one with its id, newest first */
export function addJob(store: ClusterStore, job: JobRecord): void {
  const jobs = store.getState().jobs.filter((j) => j.id !== job.id);
  jobs.push(job);
  jobs.sort((a, b) => b.startedAt - a.startedAt);
  store.setState({ jobs });
}

export function makeJob(id: string, over: Partial<JobRecord> = {}): JobRecord {
  return {
    id, kind: 'deploy', title: 'opennebula.deploy.main', command: 'ansible-playbook -i inventory opennebula.deploy.main',
    mutating: true, user: 'ops', from: '192.0.2.10 50000 192.0.2.1 22', startedAt: NOW - 192_000, state: 'running', logFile: `/tmp/jobs/${id}.log`, ...over,
  };
}
