// The core's idle signal: tests wait on it instead of sleeping. A sweep in flight and a running
// action keep it busy; it resolves once they are over.
import { describe, expect, it } from 'vitest';
import { ActionRegistry } from '../../src/actions/registry.js';
import { Executor } from '../../src/actions/executor.js';
import { parseConfig } from '../../src/config/load.js';
import { HealthMonitor } from '../../src/health/monitor.js';
import { createActivity } from '../../src/idle.js';
import { createClusterStore } from '../../src/store/cluster-store.js';
import { createUiStore } from '../../src/store/ui-store.js';

const config = parseConfig(
  'cluster: prod\nscaleway: { zone: fr-par-2, project_id: 11111111-1111-1111-1111-111111111111 }\nfrontend: { name: fe, ssh: { host: 127.0.0.9 }, private_ip: 10.16.0.1 }\nrefresh_seconds: 3600\n',
  '/tmp/onedeck.yaml',
);
const store = () => createClusterStore({ name: 'prod', zone: 'fr-par-2', region: 'fr-par', opennebulaVersion: '7.0', sandbox: false, configFile: null, refreshSeconds: 10 });

/** a promise and the function that resolves it */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

/** whether `p` has settled by the time everything already queued has run */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
}

describe('createActivity', () => {
  it('is idle at once when nothing runs', async () => {
    const a = createActivity();
    expect(await settled(a.whenIdle())).toBe(true);
    expect(a.busy()).toEqual([]);
  });

  it('stays busy until every begun thing is done; a second done() does nothing', async () => {
    const a = createActivity();
    const one = a.begin('one');
    const two = a.begin('two');
    const idle = a.whenIdle();
    expect(a.busy()).toEqual(['one', 'two']);
    one();
    one();
    expect(await settled(idle)).toBe(false);
    expect(a.busy()).toEqual(['two']);
    two();
    expect(await settled(idle)).toBe(true);
  });

  it('work started in the same turn as the last done() keeps it busy', async () => {
    const a = createActivity();
    const first = a.begin('first');
    const idle = a.whenIdle();
    first();
    const next = a.begin('follow-up');
    expect(await settled(idle)).toBe(false);
    next();
    expect(await settled(idle)).toBe(true);
  });

  it('track() is over when the promise settles, rejected or not', async () => {
    const a = createActivity();
    const g = gate();
    void a.track('ok', g.wait);
    void a.track('fails', Promise.reject(new Error('x'))).catch(() => {});
    const idle = a.whenIdle();
    expect(await settled(idle)).toBe(false);
    expect(a.busy()).toEqual(['ok']);
    g.open();
    expect(await settled(idle)).toBe(true);
  });
});

describe('the core registers its work', () => {
  it('a health sweep in flight is busy until the sweep ends', async () => {
    const activity = createActivity();
    const g = gate();
    const m = new HealthMonitor(config, store(), {
      activity,
      inventory: async () => undefined,
      repoHooks: () => ({}),
      scaleway: async () => {
        await g.wait;
        return { servers: [], flexibleIps: [], warnings: [], at: 1 };
      },
      opennebula: async () => ({ hosts: [], vms: [], at: 1 }),
      probe: async () => ({ reachable: true, at: 1 }),
    });
    m.start();
    const idle = activity.whenIdle();
    expect(await settled(idle)).toBe(false);
    expect(activity.busy()).toEqual(['health sweep']);
    g.open();
    await idle;
    expect(activity.busy()).toEqual([]);
    await m.stop();
  });

  it("an action's run is busy until it returns", async () => {
    const activity = createActivity();
    const g = gate();
    const registry = new ActionRegistry([{ id: 'slow', title: 'slow', keys: [], scope: 'global', mutating: false, run: () => g.wait }]);
    const ex = new Executor(registry, store(), {}, () => {}, { activity });
    const run = ex.run('slow', [], { id: 's', readonly: false, user: 'ops' }, createUiStore());
    const idle = activity.whenIdle();
    expect(await settled(idle)).toBe(false);
    expect(activity.busy()).toEqual(['action slow']);
    g.open();
    expect(await run).toEqual({ ok: true });
    await idle;
  });
});
