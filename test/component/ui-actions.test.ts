// The UI actions and the pure formatting under the views, without rendering.
import { describe, expect, it, vi } from 'vitest';
import { ActionRegistry } from '../../src/actions/registry.js';
import { Executor } from '../../src/actions/executor.js';
import { uiActions } from '../../src/actions/ui-actions.js';
import { visibleHosts } from '../../src/actions/ui-lists.js';
import { createClusterStore } from '../../src/store/cluster-store.js';
import { createUiStore, currentScreen, defaultPane } from '../../src/store/ui-store.js';
import { RingBuffer } from '../../src/logs/ring-buffer.js';
import { LogHub } from '../../src/logs/log-hub.js';
import { LogRegistry } from '../../src/logs/log-registry.js';
import { attachNavigation } from '../../src/actions/navigation.js';
import { lineRows, logWindow, sanitize } from '../../views/format/log-lines.js';
import { fitColumns } from '../../views/format/host-cells.js';
import { hostColumns } from '../../src/domain/host-cells.js';
import { NOW, sampleHosts } from '../fixtures/hosts.js';
import { addJob, INFO } from './tui-setup.js';

function setup() {
  const cluster = createClusterStore(INFO);
  cluster.setState({ hosts: sampleHosts() });
  const ui = createUiStore();
  const close = vi.fn();
  const open = vi.fn((id: string, ref: { host: string }) => ({ stop: () => close(id, ref.host) }));
  const logs = new LogRegistry(new LogHub(cluster), { hooklog: open });
  attachNavigation(ui, cluster, logs);
  const ex = new Executor(new ActionRegistry(uiActions()), cluster, { logs });
  const session = { id: 's', readonly: true, user: 'ops' };
  return { cluster, ui, ex, session, open, close, run: (id: string, args: string[] = []) => ex.run(id, args, session, ui) };
}

describe('ui actions', () => {
  it(':hooklog opens the tail and esc closes it; UI actions run in read-only sessions', async () => {
    const t = setup();
    expect(await t.run('hooklog', ['kvm-2'])).toEqual({ ok: true });
    const logId = currentScreen(t.ui.getState()).logId!;
    expect(currentScreen(t.ui.getState())).toMatchObject({ id: 'hooklog', arg: 'kvm-2', logId: expect.stringMatching(/^hooklog:kvm-2:\d+$/) });
    expect(t.open).toHaveBeenCalledWith(logId, expect.objectContaining({ host: 'kvm-2' }));
    await t.run('back');
    expect(t.close).toHaveBeenCalledWith(logId, 'kvm-2');
    expect(currentScreen(t.ui.getState()).id).toBe('hosts');
    expect(await t.run('hooklog', ['nope'])).toMatchObject({ ok: false, message: expect.stringContaining('no host named "nope"') });
  });

  it('s cycles the sort column, S reverses it, and the selection stays in bounds', async () => {
    const t = setup();
    await t.run('sort');
    expect(t.ui.getState().sort).toBe('role');
    while (t.ui.getState().sort !== 'verdict') await t.run('sort');
    expect(visibleHosts(t.cluster.getState(), t.ui.getState()).map((h) => h.key)).toEqual(['kvm-2', 'kvm-3', 'fe', 'kvm-1']);
    await t.run('sort-reverse');
    expect(visibleHosts(t.cluster.getState(), t.ui.getState())[0].key).toBe('kvm-1');
    for (let i = 0; i < 10; i++) await t.run('down');
    expect(t.ui.getState().selected).toBe(3);
    await t.run('top');
    expect(t.ui.getState().selected).toBe(0);
  });

  it('escape restores the selection of the screen underneath', async () => {
    const t = setup();
    await t.run('down');
    await t.run('down');
    await t.run('open');
    expect(currentScreen(t.ui.getState())).toMatchObject({ id: 'host', arg: 'kvm-2' });
    expect(t.ui.getState().selected).toBe(0);
    await t.run('back');
    expect(t.ui.getState().selected).toBe(2);
  });
});

describe('log line formatting', () => {
  const raw = '\x1b[31mred\x1b[0m\t\x1b[2J\x1b[H\x1b]8;;http://x\x07link\x1b]8;;\x07 \x07end';
  it('keeps SGR colours, drops cursor moves, clears, OSC and bells', () => {
    expect(sanitize(raw, true)).toBe('\x1b[31mred\x1b[0m    link end');
    expect(sanitize(raw, false)).toBe('red    link end');
    expect(sanitize('progress 10%\rprogress 100%', true)).toBe('progress 100%');
  });

  it('wraps only when asked, with the timestamp on the first row', () => {
    const line = { t: new Date(2026, 0, 1, 9, 5, 7).getTime(), text: 'a'.repeat(25) };
    expect(lineRows(line, { width: 10, wrap: false, timestamps: false, noColor: true })).toHaveLength(1);
    const rows = lineRows(line, { width: 19, wrap: true, timestamps: true, noColor: true });
    expect(rows.map((r) => r.map((s) => s.text).join(''))).toEqual(['09:05:07 aaaaaaaaaa', '         aaaaaaaaaa', '         aaaaa']);
  });

  it('formats only the window: the tail when following, from top when paused', () => {
    const buf = new RingBuffer(1000);
    for (let i = 0; i < 5000; i++) buf.push({ t: 0, text: `l${i}` });
    const o = { width: 20, wrap: false, timestamps: false, noColor: true };
    const tail = logWindow(buf, defaultPane(), 5, o);
    expect(tail.rows.map((r) => r[0].text)).toEqual(['l4995', 'l4996', 'l4997', 'l4998', 'l4999']);
    const paused = logWindow(buf, { ...defaultPane(), follow: false, top: 10 }, 3, o);
    expect(paused.top).toBe(4000); // older lines left the ring: clamp to the first held line
    expect(paused.rows.map((r) => r[0].text)).toEqual(['l4000', 'l4001', 'l4002']);
  });
});

describe('host table columns', () => {
  it('drops columns by priority and keeps name and verdict', () => {
    const cols = (w: number) => fitColumns(hostColumns(sampleHosts()), w).map((c) => c.id);
    expect(cols(200)).toEqual(['name', 'role', 'scaleway', 'opennebula', 'vms', 'cpu', 'mem', 'ssh', 'verdict']);
    expect(cols(78)).toEqual(['name', 'role', 'opennebula', 'verdict']);
    expect(cols(40)).toEqual(['name', 'verdict']);
  });
});

describe('cells say their age and do not pretend', () => {
  it('ready but installing is not installed; stale values are dim with their age', async () => {
    const { scalewayCell, sshCell } = await import('../../src/domain/host-cells.js');
    const now = NOW;
    const [fe] = sampleHosts(now);
    const c = { now, refreshSeconds: 30 };
    expect(scalewayCell({ ...fe, scaleway: { ...fe.scaleway!, installStatus: 'installing' } }, c)).toEqual({ text: 'ready · installing', tone: 'warn' });
    expect(sshCell(fe, c)).toEqual({ text: 'probe 12 ms', tone: 'plain' });
    expect(sshCell({ ...fe, probe: { ...fe.probe!, at: now - 5 * 60_000 } }, c)).toEqual({ text: 'probe 12 ms 5m', tone: 'dim' });
  });
});

describe('ctrl+s', () => {
  it('saves the focused job log through the job service and says where', async () => {
    const cluster = createClusterStore(INFO);
    const ui = createUiStore({ focus: 'log' });
    const saveLog = vi.fn(async (_s: unknown, id: string) => `/tmp/onedeck/job-${id}.log`);
    const jobs = { saveLog } as unknown as import('../../src/services.js').JobService;
    const registry = new ActionRegistry(uiActions());
    const ex = new Executor(registry, cluster, { jobs });
    addJob(cluster, { id: '12', kind: 'deploy', title: 'd', command: 'c', mutating: true, user: 'ops', startedAt: 1, state: 'running', logFile: '/x' });
    const def = registry.forKey('hosts', 'ctrl+s')!;
    // a read-only session writes no file but its own log: not even a copy of a job log
    expect(await ex.run(def.id, [], { id: 'r', readonly: true, user: 'ops' }, ui)).toMatchObject({ ok: false, reason: 'disabled', message: expect.stringContaining('read-only session') });
    expect(saveLog).not.toHaveBeenCalled();
    const session = { id: 's', readonly: false, user: 'ops' };
    expect(await ex.run(def.id, [], session, ui)).toEqual({ ok: true });
    expect(saveLog).toHaveBeenCalledWith(session, '12');
    expect(ui.getState().flash?.text).toBe('log saved to /tmp/onedeck/job-12.log');
  });
});
