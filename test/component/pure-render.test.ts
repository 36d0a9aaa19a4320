// Rendering and disabled reasons are pure functions of the cluster store, the UI store and the
// session: with the real core composed on a fixture config, a counting filesystem, a counting
// PATH and counted process starts see no call while every action's disabled reason and
// confirmation is asked on every screen 100 times, nor while the app renders 100 frames.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// every function of node:fs, node:fs/promises and node:child_process, and execa, counts its calls
// while `probe.on` (with the caller's stack, to tell a render's call from a timer's)
const probe = vi.hoisted(() => ({ on: false, calls: [] as { fn: string; stack: string }[] }));
const counting = async <T extends object>(name: string, real: T): Promise<T> => {
  const wrap = (key: string, fn: (...a: unknown[]) => unknown) =>
    function (this: unknown, ...a: unknown[]) {
      if (probe.on) probe.calls.push({ fn: `${name}.${key}`, stack: new Error().stack ?? '' });
      return fn.apply(this, a);
    };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(real)) out[k] = typeof v === 'function' && !/^[A-Z]/.test(k) ? wrap(k, v as (...a: unknown[]) => unknown) : v;
  return { ...out, default: out } as T;
};
vi.mock('node:fs', async (orig) => counting('fs', await orig<object>()));
vi.mock('node:fs/promises', async (orig) => counting('fs/promises', await orig<object>()));
vi.mock('node:child_process', async (orig) => counting('child_process', await orig<object>()));
vi.mock('execa', async (orig) => counting('execa', await orig<object>()));

const { composeRigCore, makeRig } = await import('../integration/jobs-helpers.js');
const { createUiStore } = await import('../../src/store/ui-store.js');
const { startTui } = await import('../../views/index.js');
const { FakeStdin, FakeTty } = await import('../harness/fake-tty.js');
const { waitFor } = await import('../harness/wait.js');
const { sampleHosts } = await import('../fixtures/hosts.js');
const { makeJob } = await import('./tui-setup.js');
import type { Core } from '../../src/compose.js';
import type { Rig } from '../integration/jobs-helpers.js';
import type { ActionContext } from '../../src/actions/types.js';
import type { ClusterState } from '../../src/store/cluster-store.js';
import type { Screen, UiStore } from '../../src/store/ui-store.js';
import type { Session } from '../../src/session.js';
import type { PlanSummary } from '../../src/domain/job.js';

// PATH lookups: process.env.PATH read by anything while counting
let pathReads = 0;
const realEnv = process.env;
beforeEach(() => {
  pathReads = 0;
  process.env = new Proxy(realEnv, {
    get: (t, k) => {
      if (k === 'PATH' && probe.on) pathReads++;
      return Reflect.get(t, k);
    },
  });
});
afterEach(() => {
  process.env = realEnv;
  probe.on = false;
  probe.calls.length = 0;
});

const PLAN: PlanSummary = {
  add: 1, change: 0, destroy: 1, diagnostics: [],
  resources: [{ addr: 'scaleway_baremetal_server.hypervisor["kvm-4"]', action: 'create' }, { addr: 'scaleway_baremetal_server.hypervisor["kvm-2"]', action: 'delete' }],
  destroys: ['scaleway_baremetal_server.hypervisor["kvm-2"]'],
};

/** The store as it stands in three moments: a plan to apply, a job running, nothing yet. */
function moments(): Partial<ClusterState>[] {
  const plan = makeJob('20261127-140000-plan-aaaa', { kind: 'plan', title: 'tofu plan', state: 'succeeded', endedAt: Date.now(), plan: PLAN });
  const deploy = makeJob('20261127-141000-deploy-bbbb', { kind: 'deploy', title: 'OneDeploy', state: 'running', user: 'bob' });
  return [
    { jobs: [plan], pendingPlan: { jobId: plan.id, add: 1, change: 0, destroy: 1, destroys: PLAN.destroys! }, lockHolder: undefined, toolProblems: {}, inventoryProblem: undefined },
    { jobs: [deploy, plan], lockHolder: { jobId: deploy.id, kind: 'deploy', title: 'OneDeploy', user: 'bob' }, toolProblems: { ansible: 'ansible-playbook not found' } },
    { jobs: [], pendingPlan: undefined, lockHolder: undefined, toolProblems: { tofu: 'neither tofu nor terraform found on PATH' }, inventoryProblem: 'no servers yet' },
  ];
}

const screens = (jobId: string): Screen[][] => [
  [{ id: 'hosts' }],
  [{ id: 'hosts' }, { id: 'host', arg: 'kvm-2' }],
  [{ id: 'hosts' }, { id: 'jobs' }],
  [{ id: 'hosts' }, { id: 'logs', arg: jobId }],
  [{ id: 'hosts' }, { id: 'host', arg: 'kvm-2' }, { id: 'hooklog', arg: 'kvm-2', logId: 'hook:kvm-2' }],
  [{ id: 'hosts' }, { id: 'plan', arg: jobId }],
  [{ id: 'hosts' }, { id: 'help' }],
];

let rig: Rig | undefined;
let core: Core | undefined;
afterEach(async () => {
  await core?.stop();
  rig?.cleanup();
  rig = core = undefined;
});

function setup(readonly = false): { core: Core; ui: UiStore; session: Session } {
  rig = makeRig();
  core = composeRigCore(rig); // not started: no watcher or sweep timer runs I/O in the background
  core.cluster.setState({ hosts: sampleHosts(), refreshedAt: Date.now() });
  return { core, ui: createUiStore(), session: { id: 's', readonly, user: 'alice' } };
}

const calls = () => probe.calls.map((c) => `${c.fn}\n${c.stack.split('\n').slice(2, 8).join('\n')}`);

describe('disabled reasons and confirmations', () => {
  it.each([false, true])('touch no file, no PATH and no process (read-only: %s)', (readonly) => {
    const { core, ui, session } = setup(readonly);
    const defs = core.registry.all();
    expect(defs.map((d) => d.id)).toEqual(expect.arrayContaining(['plan', 'apply', 'deploy', 'cancel', 'save-log']));
    let asked = 0;
    for (const m of moments()) {
      core.cluster.setState(m);
      for (const stack of screens('20261127-140000-plan-aaaa')) {
        ui.setState({ stack, focusedJob: '20261127-140000-plan-aaaa' });
        const ctx: ActionContext = { cluster: core.cluster, ui, session, services: core.services, keyOf: (a) => core.registry.keyOf(a) };
        probe.on = true;
        for (let i = 0; i < 100; i++) {
          for (const d of defs) {
            core.executor.disabledReason(d, session, ui);
            try {
              d.confirm?.(ctx, []);
            } catch {
              /* a question that cannot be asked here is not I/O */
            }
            asked++;
          }
        }
        probe.on = false;
      }
    }
    expect(asked).toBeGreaterThan(1000);
    expect(calls()).toEqual([]);
    expect(pathReads).toBe(0);
  }, 60_000);

  it('the apply key still says what it would do, from the store alone', () => {
    const { core, ui, session } = setup();
    core.cluster.setState(moments()[0]);
    const apply = core.registry.get('apply')!;
    probe.on = true;
    expect(core.executor.disabledReason(apply, session, ui)).toBeUndefined();
    const ask = apply.confirm!({ cluster: core.cluster, ui, session, services: core.services, keyOf: (a) => a }, []);
    expect(ask).toMatchObject({ expect: 'kvm-2', question: expect.stringContaining('DESTROYS scaleway_baremetal_server.hypervisor["kvm-2"]') });
    core.cluster.setState(moments()[1]);
    expect(core.executor.disabledReason(core.registry.get('deploy')!, session, ui)).toBe('another job is running (job 20261127-141000-deploy-bbbb (OneDeploy, bob))');
    core.cluster.setState(moments()[2]);
    expect(core.executor.disabledReason(core.registry.get('plan')!, session, ui)).toContain('neither tofu nor terraform');
    probe.on = false;
    expect(calls()).toEqual([]);
  });
});

describe('rendering', () => {
  it('100 frames of the app on every screen do no I/O from a render path', async () => {
    const { core, ui, session } = setup();
    const tty = new FakeTty(120, 30);
    const stdin = new FakeStdin();
    const all = moments();
    core.cluster.setState(all[1]);
    // nothing is preloaded: a view asking for a log it shows (LogPane) must not load it
    const tui = startTui({
      stdout: tty as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream,
      cluster: core.cluster, ui, registry: core.registry, executor: core.executor, session, logs: core.services.logs!, noColor: false,
    });
    try {
      await waitFor(() => tty.screen.text().includes('kvm-3'), 'the host table');
      probe.on = true;
      const views = screens('20261127-140000-plan-aaaa');
      for (let i = 0; i < 100; i++) {
        core.cluster.setState(all[i % all.length]);
        ui.setState({ stack: views[i % views.length], flash: { level: 'info', text: `frame ${i}`, at: Date.now() } });
        const before = tty.writes.length;
        await waitFor(() => tty.writes.length > before, `frame ${i}`);
      }
      probe.on = false;
      // the core is not started (no watcher, sweep or log follower): every call counted while the
      // frames were drawn would be a render's
      expect(probe.calls.map((c) => `${c.fn}\n${c.stack.split('\n').slice(2, 10).join('\n')}`)).toEqual([]);
      expect(pathReads).toBe(0);
    } finally {
      tui.restore();
    }
  }, 120_000);
});
