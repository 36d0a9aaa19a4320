// Rendered with ink-testing-library: confirmations (y/N, typed name, esc), the command log and
// the plan review. The fake TTY only gives the app its size here; frames come from the library.
import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, expect, it, vi } from 'vitest';
import { ActionRegistry } from '../../src/actions/registry.js';
import { Executor } from '../../src/actions/executor.js';
import type { ActionDef } from '../../src/actions/types.js';
import type { Session } from '../../src/session.js';
import { uiActions } from '../../src/actions/ui-actions.js';
import { createClusterStore } from '../../src/store/cluster-store.js';
import { createUiStore } from '../../src/store/ui-store.js';
import { LogRegistry } from '../../src/logs/log-registry.js';
import { LogHub } from '../../src/logs/log-hub.js';
import { App } from '../../views/App.js';
import { TuiContext } from '../../views/app/context.js';
import { makeTheme } from '../../views/theme/theme.js';
import { FakeStdin, FakeTty, KEY } from '../harness/fake-tty.js';
import { showsOn, waitFor } from '../harness/wait.js';
import { NOW, sampleHosts } from '../fixtures/hosts.js';
import { fakeClock } from '../harness/clock.js';
import { addJob, INFO, makeJob } from './tui-setup.js';

let app: ReturnType<typeof render> | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

function mount(extra: ActionDef[]) {
  const cluster = createClusterStore(INFO);
  cluster.setState({ hosts: sampleHosts(), refreshedAt: NOW });
  const ui = createUiStore();
  const logs = new LogRegistry(new LogHub(cluster, { flushMs: 10 }));
  const registry = new ActionRegistry([...uiActions(), ...extra]);
  const executor = new Executor(registry, cluster, { logs });
  const session: Session = { id: 's', readonly: false, user: 'ops' };
  const ctx = {
    stdout: new FakeTty(100, 30) as unknown as NodeJS.WriteStream,
    stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
    cluster, ui, registry, executor, session, logs, noColor: false, theme: makeTheme(false), viewport: {}, clock: fakeClock(),
  };
  app = render(
    <TuiContext.Provider value={ctx}>
      <App />
    </TuiContext.Provider>,
  );
  const frame = () => app!.lastFrame() ?? '';
  const shows = showsOn(frame);
  const type = async (...keys: string[]) => {
    for (const k of keys) {
      app!.stdin.write(k);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { cluster, ui, executor, session, frame, shows, type };
}

it('a reversible run asks y/N: any other key cancels, y runs it with the confirmation', async () => {
  const run = vi.fn();
  const deploy: ActionDef = {
    id: 'deploy', title: 'OneDeploy', keys: ['d'], scope: ['hosts'], mutating: true, footer: true,
    confirm: () => ({ question: 'run OneDeploy on every host?' }), run: (ctx) => run(ctx.confirmed),
  };
  const t = mount([deploy]);
  await t.shows('kvm-3');
  await t.type('d');
  await t.shows('run OneDeploy on every host?');
  await t.type('n');
  await t.shows('cancelled: nothing was run');
  expect(run).not.toHaveBeenCalled();
  await t.type('d');
  await t.shows('run OneDeploy on every host?');
  await t.type(KEY.enter); // cancel is the default
  expect(run).not.toHaveBeenCalled();
  await t.type('d', 'y');
  await waitFor(() => run.mock.calls.length === 1, 'the run');
  expect(run).toHaveBeenCalledWith('y');
});

it('a destructive run needs the typed name; a wrong name or esc cancels', async () => {
  const run = vi.fn();
  const remove: ActionDef = {
    id: 'remove', title: 'remove hypervisor', keys: ['-'], scope: ['hosts'], mutating: true,
    confirm: (_ctx, args) => ({ question: `destroy ${args[0] ?? 'kvm-3'}?`, expect: args[0] ?? 'kvm-3' }), run: (ctx) => run(ctx.confirmed),
  };
  const t = mount([remove]);
  await t.shows('kvm-3');
  await t.type('-');
  await t.shows('type kvm-3 to go ahead');
  await t.type(...'kvm-2', KEY.enter);
  await t.shows('not "kvm-3"; nothing was run');
  await t.type('-');
  await t.shows('type kvm-3 to go ahead');
  await t.type('k', KEY.escape);
  await t.shows('cancelled');
  expect(t.ui.getState().prompt).toBeUndefined();
  await t.type('-', ...'kvm-3', KEY.enter);
  await waitFor(() => run.mock.calls.length === 1, 'the run');
  expect(run).toHaveBeenCalledWith('kvm-3');
});

it('the command log lists who, when, exit and duration; enter opens the job log', async () => {
  const t = mount([]);
  addJob(t.cluster, makeJob('12', { state: 'failed', exitCode: 2, endedAt: NOW - 2000, summary: 'failed: kvm-2 TASK [kvm : Install]' }));
  addJob(t.cluster, makeJob('13', { kind: 'plan', mutating: false, startedAt: NOW - 5000, summary: 'Plan: 3 to add, 0 to change, 1 to destroy' }));
  await t.type(':', ...'jobs', KEY.enter);
  await t.shows('Jobs 2');
  expect(t.frame()).toMatch(/12\s+deploy\s+failed\s+ops@192\.0\.2\.10/);
  expect(t.frame()).toContain('3m10s');
  expect(t.frame()).toContain('failed: kvm-2 TASK [kvm');
  await t.type('j', KEY.enter);
  await t.shows(/[A-Z]+ · deploy · .* · 12 /);
  expect(t.ui.getState().focusedJob).toBe('12');
});

it('the plan review lists add / change / destroy per resource, destroys first', async () => {
  const t = mount([]);
  addJob(t.cluster, makeJob('20', {
    kind: 'plan', state: 'succeeded',
    plan: {
      add: 1, change: 1, destroy: 1,
      resources: [
        { addr: 'scaleway_baremetal_server.kvm["kvm-4"]', action: 'create' },
        { addr: 'scaleway_flexible_ip.fip["kvm-1"]', action: 'update' },
        { addr: 'scaleway_baremetal_server.kvm["kvm-3"]', action: 'delete' },
      ],
      diagnostics: ['Warning: Argument is deprecated'],
    },
  }));
  await t.type(':', ...'review', KEY.enter);
  await t.shows('Plan review · job 20');
  const f = t.frame();
  expect(f).toContain('Plan: 1 to add, 1 to change, 1 to destroy');
  expect(f.indexOf('- destroy scaleway_baremetal_server.kvm["kvm-3"]')).toBeGreaterThan(-1);
  expect(f.indexOf('- destroy')).toBeLessThan(f.indexOf('+ add'));
  expect(f).toContain('~ change  scaleway_flexible_ip.fip["kvm-1"]');
  expect(f).toContain('Warning: Argument is deprecated');
});
