// Issue 12's rough edges, each as the operator meets it: keys on the host-detail screen, sort and
// filter, the status line, completion, layout at small sizes.
import { afterEach, describe, expect, it } from 'vitest';
import { ActionRegistry } from '../../src/actions/registry.js';
import { candidates, completeText } from '../../src/actions/command-completion.js';
import { jobActions } from '../../src/actions/job-actions.js';
import { hostActions } from '../../src/actions/host-actions.js';
import { uiActions } from '../../src/actions/ui-actions.js';
import { SORT_KEYS, visibleHosts } from '../../src/actions/ui-lists.js';
import { hostColumns } from '../../src/domain/host-cells.js';
import { quitNotice } from '../../src/cli/quit-notice.js';
import { currentScreen } from '../../src/store/ui-store.js';
import { KEY } from '../harness/fake-tty.js';
import { waitFor } from '../harness/wait.js';
import { makeHost, NOW, sampleHosts } from '../fixtures/hosts.js';
import { addJob, makeJob, startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});
const type = (keys: string[]) => keys.forEach((k) => rig!.stdin.press(k));
const full = () => new ActionRegistry([...uiActions(), ...hostActions(), ...jobActions()]);

describe('#1 action keys on every screen', () => {
  it('p d h v o a x act on host detail and hook logs, as on the hosts table', () => {
    const reg = full();
    for (const screen of ['host', 'hooklog', 'hosts'] as const) {
      const ids = ['p', 'd', 'h', 'v', 'o', 'a', 'x'].map((k) => reg.forKey(screen, k)?.id);
      expect(ids, screen).toEqual(['plan', 'deploy', 'hooks', 'validate', 'review', 'apply', 'cancel']);
    }
  });
});

describe('#6 status-line messages go when the screen changes', () => {
  it(':host with a wrong name says so; :host kvm-2 clears it', async () => {
    rig = startRig({ columns: 100, rows: 30 });
    await rig.shows('kvm-3');
    type([':', ...'host kvm-vm-2', KEY.enter]);
    await rig.shows('no host named "kvm-vm-2"');
    type([':', ...'host kvm-2', KEY.enter]);
    await waitFor(() => currentScreen(rig!.ui.getState()).id === 'host', 'the host screen');
    await rig.gone('no host named');
    expect(rig.ui.getState().flash).toBeUndefined();
  });
});

describe('#8 sort and filter', () => {
  it('s cycles the columns left to right, VMS CPU MEM SSH included, and the cursor follows the host', async () => {
    expect(SORT_KEYS).toEqual(['name', 'role', 'scaleway', 'opennebula', 'vms', 'cpu', 'mem', 'ssh', 'verdict']);
    rig = startRig({ columns: 100, rows: 30 });
    await rig.shows('kvm-3');
    rig.ui.setState({ selected: 2 }); // kvm-2
    const selectedKey = () => visibleHosts(rig!.cluster.getState(), rig!.ui.getState())[rig!.ui.getState().selected].key;
    expect(selectedKey()).toBe('kvm-2');
    for (const want of SORT_KEYS.slice(1)) {
      rig.stdin.press('s');
      await waitFor(() => rig!.ui.getState().sort === want, `sort by ${want}`);
      expect(selectedKey(), want).toBe('kvm-2');
    }
    rig.stdin.press('S');
    await waitFor(() => rig!.ui.getState().sortDesc, 'reversed');
    expect(selectedKey()).toBe('kvm-2');
  });

  it('ctrl-u clears the filter line; an invalid pattern says so', async () => {
    rig = startRig({ columns: 100, rows: 30 });
    await rig.shows('kvm-3');
    type(['/', ...'kvm-1']);
    await waitFor(() => rig!.ui.getState().filter === 'kvm-1', 'the filter');
    rig.stdin.press('\x15'); // ctrl-u
    await waitFor(() => rig!.ui.getState().filter === '', 'ctrl-u clears the filter');
    expect(rig.ui.getState().prompt?.text).toBe('');
    type(['[']);
    await rig.shows('invalid pattern');
    expect(rig.screen()).not.toMatch(/no host matches the filter\s*│/);
  });
});

describe('#9 completion', () => {
  const cluster = () => ({ hosts: sampleHosts(), jobs: [makeJob('20261201-193509-hooks-442b'), makeJob('20261201-180000-plan-aa01')] });
  it(':q lists each name once; :host + space + Tab keeps the space; deploy, hooks and network complete hosts; logs completes jobs', () => {
    const reg = full();
    // the alias q and the id quit, each once (it said "q quit quit")
    expect(candidates('q', reg, cluster()).words).toEqual(['q', 'quit']);
    expect(completeText('host ', reg, cluster())).toBe('host ');
    expect(completeText('host k', reg, cluster())).toBe('host kvm-');
    expect(completeText('host kvm-3', reg, cluster())).toBe('host kvm-3 ');
    for (const cmd of ['deploy', 'hooks', 'network', 'hooklog']) expect(completeText(`${cmd} k`, reg, cluster()), cmd).toBe(`${cmd} kvm-`);
    // a second host after the first: the first stays, and is not offered again
    expect(candidates('deploy kvm-1 kvm-', reg, cluster()).words).toEqual(['kvm-2', 'kvm-3']);
    expect(completeText('logs 1935', reg, cluster())).toBe('logs 193509-442b ');
    expect(completeText('logs 20261201-18', reg, cluster())).toBe('logs 20261201-180000-plan-aa01 ');
  });

  it('the candidate list is never cut in a word: whole names, then how many more', async () => {
    rig = startRig({ columns: 200, rows: 30 });
    await rig.shows('kvm-3');
    type([':']);
    await rig.shows(/^:  +\S/m);
    const line = rig.screen().split('\n').find((l) => l.startsWith(':'))!;
    expect(line).not.toContain('…');
    for (const name of ['help', 'hosts', 'jobs', 'logs', 'quit']) expect(line).toContain(name);
    const more = /\+(\d+) more/.exec(line);
    const shown = line.replace(/^:\s+/, '').replace(/\s*\+\d+ more.*$/, '').split(' ').filter(Boolean);
    expect(shown.length + Number(more?.[1] ?? 0)).toBe(rig.registry.commandNames().length);
  });
});

describe('#10 layout', () => {
  it('the NAME header is whole when the names are short, and does not move with the filter', async () => {
    rig = startRig({ columns: 100, rows: 30 });
    rig.cluster.setState({ hosts: [makeHost('fe'), makeHost('kvm-long-name-1')] });
    await rig.shows('kvm-long-name-1');
    const header = () => rig!.screen().split('\n').find((l) => l.includes('VERDICT'))!;
    const before = header();
    expect(before).toContain('NAME ▲');
    type(['/', ...'fe', KEY.enter]);
    await rig.gone('kvm-long-name-1');
    expect(header()).toBe(before);
    rig.cluster.setState({ hosts: [makeHost('fe')] });
    await waitFor(() => header().includes('NAME ▲'), `NAME whole with only fe\n${rig!.screen()}`);
    expect(header()).not.toContain('NAME…');
  });

  it('at 61x15 the table says how many hosts are not shown', async () => {
    rig = startRig({ columns: 61, rows: 15 });
    const six = ['fe', 'kvm-1', 'kvm-2', 'kvm-3', 'kvm-4', 'kvm-5'].map((k) => makeHost(k));
    rig.cluster.setState({ hosts: six });
    await rig.shows('Hosts 6');
    await waitFor(() => /↓ \d+ more/.test(rig!.screen()), `an "N more" mark\n${rig!.screen()}`);
    const shown = six.filter((h) => new RegExp(`│[ ▸] ${h.key} `).test(rig!.screen())).length;
    expect(rig.screen()).toContain(`↓ ${6 - shown} more`);
  });

  it('too small: the size said is the terminal\'s, and the size needed is one it works at', async () => {
    rig = startRig({ columns: 60, rows: 15 });
    await rig.shows('terminal too small: 60x15, onedeck needs 61x12');
    rig.tty.resize(61, 15);
    await rig.shows('Hosts 4');
  });

  it('a stale ERROR stays red', () => {
    const h = sampleHosts().find((x) => x.key === 'kvm-2')!;
    const col = hostColumns([h]).find((c) => c.id === 'opennebula')!;
    const stale = { ...h, opennebula: { ...h.opennebula!, stateName: 'ERROR', at: NOW - 10 * 60_000 } };
    expect(col.cell(stale, { now: NOW, refreshSeconds: 10 }).tone).toBe('bad');
  });
});

describe('#2 reasons are never cut where they matter', () => {
  for (const [cols, rows] of [[200, 50], [100, 40]] as const) {
    it(`the host detail wraps the whole OpenNebula error at ${cols}x${rows}`, async () => {
      rig = startRig({ columns: cols, rows });
      const long = `Error monitoring Host kvm-2: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory, then more words so that it must wrap END`;
      const hosts = sampleHosts(rig.clock()).map((h) => (h.key === 'kvm-2' ? { ...h, opennebula: { ...h.opennebula!, error: long } } : h));
      rig.cluster.setState({ hosts });
      await rig.shows('kvm-3');
      rig.stdin.press(`:host kvm-2${KEY.enter}`);
      await rig.shows('OpenNebula · onehost');
      rig.stdin.press('G'); // a one-column document on a smaller terminal: to its end
      await rig.shows('Last errors');
      const flat = rig.screen().replace(/[│\s]+/g, ' ');
      expect(flat).toContain('No such file or directory');
      expect(flat).toContain('must wrap END');
    });
  }

  it('the OPENNEBULA column and the reason give the same age', () => {
    const h = sampleHosts().find((x) => x.key === 'kvm-2')!;
    const row = { ...h, opennebula: { ...h.opennebula!, stateName: 'ERROR', state: 3, stateSince: NOW - 7000, monitoredAt: NOW - 3000, at: NOW } };
    const col = hostColumns([row]).find((c) => c.id === 'opennebula')!;
    expect(col.cell(row, { now: NOW, refreshSeconds: 10 }).text).toBe('ERROR 7s');
  });
});

describe('#4 #5 #7 jobs', () => {
  it('the job pane title starts with the state and shortens the id, even at 80 columns', async () => {
    rig = startRig({ columns: 80, rows: 24 });
    addJob(rig.cluster, makeJob('20261201-193509-hooks-442b', { kind: 'hooks', title: 'Flexible-IP hooks', state: 'failed', endedAt: NOW - 1000 }));
    await rig.shows('FAILED · hooks');
    expect(rig.screen()).not.toContain('20261201-193509');
  });

  it('q with a job running says the job goes on and how to find it', () => {
    expect(quitNotice([makeJob('j1', { state: 'succeeded' })])).toBe('');
    const text = quitNotice([makeJob('20261201-193509-hooks-442b', { state: 'running', title: 'Flexible-IP hooks' })]);
    expect(text).toMatch(/job 20261201-193509-hooks-442b \(Flexible-IP hooks\) goes on in the background/);
    expect(text).toMatch(/:logs/);
  });
});
