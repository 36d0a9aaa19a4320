// Navigation in the core: the screen stack tells its listeners what arrives and leaves, the
// screens hold their logs in the one log registry, and messages name the bound keys.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionRegistry } from '../../src/actions/registry.js';
import { Executor } from '../../src/actions/executor.js';
import { attachNavigation } from '../../src/actions/navigation.js';
import { uiActions } from '../../src/actions/ui-actions.js';
import type { ActionDef } from '../../src/actions/types.js';
import { LogFollower } from '../../src/jobs/log-follower.js';
import { LogHub } from '../../src/logs/log-hub.js';
import { jobLogId } from '../../src/logs/log-id.js';
import { LogRegistry, holdRunningJobLogs, type LogRegistryOptions } from '../../src/logs/log-registry.js';
import { createClusterStore } from '../../src/store/cluster-store.js';
import { popScreen, pushScreen, replaceScreen, resetToRoot, watchStack } from '../../src/store/screen-stack.js';
import { createUiStore, currentScreen } from '../../src/store/ui-store.js';
import { sampleHosts } from '../fixtures/hosts.js';
import { INFO, makeJob } from './tui-setup.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function session(o: { defs?: ActionDef[]; sources?: LogRegistryOptions } = {}) {
  const cluster = createClusterStore(INFO);
  cluster.setState({ hosts: sampleHosts() });
  const ui = createUiStore();
  const hub = new LogHub(cluster, { flushMs: 5 });
  const tails = { started: [] as string[], stopped: [] as string[] };
  const logs = new LogRegistry(hub, {
    hooklog: (id) => {
      tails.started.push(id);
      return { stop: () => void tails.stopped.push(id) };
    },
    ...o.sources,
  });
  const detach = attachNavigation(ui, cluster, logs);
  cleanups.push(() => {
    detach();
    logs.stop();
    hub.stop();
  });
  const registry = new ActionRegistry(o.defs ?? uiActions());
  const ex = new Executor(registry, cluster, { logs });
  const s = { id: 's', readonly: false, user: 'ops' };
  const run = (id: string, args: string[] = []) => ex.run(id, args, s, ui);
  return { cluster, ui, hub, logs, tails, run, ex, s };
}

describe('the screen stack', () => {
  it('tells its listeners which screens arrive and which leave: push, pop, replace, back to the root', () => {
    const ui = createUiStore();
    const events: string[] = [];
    const stop = watchStack(ui, {
      pushed: (s) => events.push(`+${s.id}${s.arg ? `:${s.arg}` : ''}`),
      popped: (s) => events.push(`-${s.id}${s.arg ? `:${s.arg}` : ''}`),
    });
    expect(events).toEqual(['+hosts']);
    pushScreen(ui, { id: 'host', arg: 'kvm-1' });
    pushScreen(ui, { id: 'help' });
    popScreen(ui);
    replaceScreen(ui, { id: 'host', arg: 'kvm-2' });
    // selection saved on the screen underneath is not a new screen
    ui.setState({ selected: 3 });
    pushScreen(ui, { id: 'jobs' });
    pushScreen(ui, { id: 'logs' });
    resetToRoot(ui);
    expect(events).toEqual(['+hosts', '+host:kvm-1', '+help', '-help', '-host:kvm-1', '+host:kvm-2', '+jobs', '+logs', '-logs', '-jobs', '-host:kvm-2']);
    stop();
    expect(events.at(-1)).toBe('-hosts');
  });
});

describe('a screen holds its logs while it is on the stack', () => {
  it('a hook-log tail stops when its screen leaves by esc, by :hosts, or by another :hooklog', async () => {
    const t = session();
    await t.run('hooklog', ['kvm-1']);
    const first = currentScreen(t.ui.getState()).logId!;
    expect(t.tails.started).toEqual([first]);
    expect(t.logs.held(first)).toBe(1);
    await t.run('back');
    expect(t.tails.stopped).toEqual([first]);
    expect(t.logs.held(first)).toBe(0);

    await t.run('hooklog', ['kvm-2']);
    const second = currentScreen(t.ui.getState()).logId!;
    await t.run('hosts');
    expect(t.tails.stopped).toEqual([first, second]);
    expect(t.ui.getState().stack.map((s) => s.id)).toEqual(['hosts']);

    await t.run('hooklog', ['kvm-1']);
    const third = currentScreen(t.ui.getState()).logId!;
    await t.run('hooklog', ['kvm-3']);
    const fourth = currentScreen(t.ui.getState()).logId!;
    expect(t.ui.getState().stack.map((s) => s.id)).toEqual(['hosts', 'hooklog']);
    expect(t.tails.stopped).toEqual([first, second, third]);
    expect(t.tails.started).toEqual([first, second, third, fourth]);
    // a screen pushed over the tail keeps it running; leaving both stops it
    await t.run('help');
    expect(t.tails.stopped).not.toContain(fourth);
    await t.run('hosts');
    expect(t.tails.stopped).toContain(fourth);
    expect(t.logs.held(fourth)).toBe(0);
  });

  it('the main screen holds the focused job log, and follows focusedJob and a newer job', () => {
    const opened: string[] = [];
    const t = session({ sources: { job: (id) => (opened.push(id), { stop: () => undefined }) } });
    t.cluster.setState({ jobs: [makeJob('j1', { state: 'succeeded' })] });
    expect(t.logs.held(jobLogId('j1'))).toBe(1);
    t.cluster.setState({ jobs: [makeJob('j2', { state: 'succeeded' }), makeJob('j1', { state: 'succeeded' })] });
    expect(t.logs.held(jobLogId('j2'))).toBe(1);
    expect(t.logs.held(jobLogId('j1'))).toBe(0);
    t.ui.setState({ focusedJob: 'j1' });
    expect(t.logs.held(jobLogId('j1'))).toBe(1);
    expect(t.logs.held(jobLogId('j2'))).toBe(0);
    expect(opened).toEqual([jobLogId('j1'), jobLogId('j2')]); // j1 stayed loaded while nobody held it
  });

  it('reading a buffer loads nothing: buffer() and has() of a log nobody opened', () => {
    let loads = 0;
    const t = session({ sources: { job: () => (loads++, { stop: () => undefined }) } });
    expect(t.logs.buffer(jobLogId('nobody'))).toBeUndefined();
    expect(t.logs.has(jobLogId('nobody'))).toBe(false);
    expect(loads).toBe(0);
    expect(t.hub.has(jobLogId('nobody'))).toBe(false);
  });
});

describe('finished job logs', () => {
  function jobsOnDisk(n: number) {
    const dir = mkdtempSync(join(tmpdir(), 'onedeck-nav-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const jobs = Array.from({ length: n }, (_, i) => {
      const id = `j${String(i).padStart(2, '0')}`;
      mkdirSync(join(dir, id));
      writeFileSync(join(dir, id, 'output.log'), `first line of ${id}\nlast line of ${id}\n`);
      return makeJob(id, { state: 'succeeded', startedAt: 1_000_000 - i });
    });
    const loads: string[] = [];
    const sources: LogRegistryOptions = {
      job: (id, ref) => {
        loads.push(id);
        const f = new LogFollower(join(dir, ref.jobId, 'output.log'), hubRef.hub!, id, { pollMs: 60_000 });
        f.start();
        return f;
      },
    };
    const hubRef: { hub?: LogHub } = {};
    return { jobs, sources, loads, hubRef };
  }

  it('after viewing 9 finished logs with ], the first one still has its lines (it loads again)', async () => {
    const d = jobsOnDisk(10);
    const t = session({ sources: d.sources });
    d.hubRef.hub = t.hub;
    t.cluster.setState({ jobs: d.jobs });
    await t.run('logs');
    const shown = () => t.ui.getState().focusedJob ?? d.jobs[0].id;
    const lines = (id: string) => {
      const b = t.logs.buffer(jobLogId(id));
      return b ? b.slice(b.first(), b.total()).map((l) => l.text) : [];
    };
    expect(lines(shown())).toEqual(['first line of j00', 'last line of j00']);
    for (let i = 0; i < 9; i++) {
      await t.run('next-log');
      expect(lines(shown())).toEqual([`first line of ${shown()}`, `last line of ${shown()}`]);
    }
    expect(shown()).toBe('j09');
    await t.run('next-log'); // round to the first again
    expect(shown()).toBe('j00');
    expect(t.logs.has(jobLogId('j00'))).toBe(true);
    expect(lines('j00')).toEqual(['first line of j00', 'last line of j00']);
    // eviction kept memory bounded: the least recently used idle logs went, the held one stayed
    expect(d.loads.filter((id) => id === jobLogId('j00'))).toHaveLength(2);
    expect(d.jobs.filter((j) => t.logs.isLoaded(jobLogId(j.id))).length).toBeLessThanOrEqual(7);
    await t.run('back');
  });

  it('a running job holds its log until it ends; the end of the log is read when it does', () => {
    const hub = new LogHub(createClusterStore(INFO));
    const cluster = createClusterStore(INFO);
    const calls: string[] = [];
    const logs = new LogRegistry(hub, { job: (id) => (calls.push(`load ${id}`), { stop: () => calls.push(`stop ${id}`), poll: () => calls.push(`poll ${id}`) }), keepIdle: 0 });
    const stop = holdRunningJobLogs(cluster, logs);
    cluster.setState({ jobs: [makeJob('r1')] });
    expect(logs.held('job:r1')).toBe(1);
    cluster.setState({ jobs: [makeJob('r1', { state: 'succeeded' })] });
    expect(calls).toEqual(['load job:r1', 'poll job:r1', 'stop job:r1']);
    stop();
  });
});

describe('messages name the bound keys', () => {
  it('the review and search hints say the key the bindings give, not a fixed letter', async () => {
    const plan: ActionDef = { id: 'plan', title: 'tofu plan', keys: ['P'], scope: ['hosts'], mutating: true, run: () => undefined };
    const defs = uiActions().map((d) => (d.id === 'filter' ? { ...d, keys: ['ctrl+f'] } : d.id === 'focus' ? { ...d, keys: ['F'] } : d));
    const t = session({ defs: [...defs, plan] });
    expect(await t.run('review')).toMatchObject({ ok: false, message: expect.stringContaining('press P first') });
    t.cluster.setState({ jobs: [makeJob('j1')] });
    t.ui.setState({ focus: 'log' });
    await t.run('search-next');
    expect(t.ui.getState().flash?.text).toBe('no search yet: press ctrl-f to search this log');
    t.ui.setState({ focus: 'table' });
    expect(await t.run('wrap')).toMatchObject({ ok: false, message: expect.stringContaining('press F on the hosts screen') });
  });
});
