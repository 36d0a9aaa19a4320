// The hosts table at 80x24 and 200x50: every cell is cut to its column with a space before the
// next one, the columns that matter most stay on small terminals, nothing wraps.
import { afterEach, describe, expect, it } from 'vitest';
import type { HostRow } from '../../src/domain/host.js';
import { waitFor } from '../harness/wait.js';
import { makeHost, NOW, sampleHosts } from '../fixtures/hosts.js';
import type { Rig } from './tui-setup.js';

// chalk decides its colour level when first loaded: force it so attributes (inverse) are drawn
process.env.FORCE_COLOR = '1';
const { startRig } = await import('./tui-setup.js');

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

const screen = () => rig!.tty.screen.text();
const rowOf = (name: string) => screen().split('\n').find((l) => l.includes(` ${name} `)) ?? '';

/** hosts whose values are as long as they get: an SSH failure, a long OpenNebula state, an install error */
function longHosts(now = NOW): HostRow[] {
  const [fe, kvm1, kvm2, kvm3] = sampleHosts(now);
  const down: HostRow = {
    ...kvm1,
    probe: { reachable: false, error: 'connection refused.', lastOkAt: now - 16_000, at: now - 1000 },
    verdict: { kind: 'down', reasons: ['ssh: connection refused. (last ok 16s ago)'] },
  };
  const odd = makeHost('kvm-4', {}, now);
  odd.opennebula = { ...odd.opennebula!, stateName: 'MONITORING_MONITORED', cpuAllocPct: 100, memAllocPct: 100, runningVms: 12345 };
  odd.scaleway = { ...odd.scaleway!, installStatus: 'error' };
  odd.probe = { reachable: false, error: 'unknown host key for [127.0.0.15]:2222', at: now - 600_000 };
  odd.verdict = { kind: 'unknown', reasons: [] };
  return [fe, down, kvm2, kvm3, odd];
}

const TITLES = ['NAME', 'ROLE', 'SCALEWAY', 'OPENNEBULA', 'VMS', 'CPU', 'MEM', 'SSH', 'VERDICT'];

describe.each([
  [80, 24],
  [200, 50],
])('hosts table at %ix%i', (columns, rows) => {
  it('cuts every cell to its column and keeps a space before the next column', async () => {
    rig = startRig({ columns, rows });
    rig.cluster.setState({ hosts: longHosts() });
    await waitFor(() => rowOf('kvm-4') !== '', `kvm-4 row\n${screen()}`);
    const header = screen().split('\n').find((l) => l.includes('NAME') && l.includes('VERDICT'))!;
    const starts = TITLES.map((t) => header.indexOf(t)).filter((i) => i > 0);
    expect(starts.length).toBeGreaterThanOrEqual(4);
    for (const name of ['fe', 'kvm-1', 'kvm-2', 'kvm-3', 'kvm-4']) {
      const row = rowOf(name);
      for (const at of starts.slice(1)) expect(row[at - 1], `${name}: a space before column ${at}\n${header}\n${row}`).toBe(' ');
      expect(row.length).toBeLessThan(columns);
    }
    expect(screen()).not.toMatch(/connectiondown/);
    expect(rowOf('kvm-1')).toMatch(/down: ssh: connection refused/);
    if (columns >= 200) {
      expect(rowOf('kvm-1')).toMatch(/refused\s+down:/);
      expect(rowOf('kvm-4')).toMatch(/unknown key 10m/);
      expect(rowOf('kvm-4')).toMatch(/MONITORING_MON…\s/);
    }
    for (const line of screen().split('\n')) expect(line.length).toBeLessThan(columns);
  });

  it('keeps the name, the OpenNebula state with its age and the verdict with its reason', async () => {
    rig = startRig({ columns, rows });
    await waitFor(() => rowOf('kvm-3') !== '', 'table');
    expect(rowOf('kvm-2')).toMatch(/kvm-2 .*ERROR 3m .*degraded: monitoring failed/);
    expect(rowOf('fe')).toMatch(/fe .*MONITORED 12s .*healthy/);
    expect(rowOf('kvm-3')).toMatch(/pending: server delivering/);
  });
});

it('highlights the selected row, also without colour', async () => {
  rig = startRig({ columns: 80, rows: 24, noColor: true });
  await waitFor(() => rowOf('kvm-3') !== '', 'table');
  rig.stdin.press('j');
  await waitFor(() => rowOf('kvm-1').includes('▸'), 'selection on kvm-1');
  // the selected row is drawn in inverse video: ESC[7m right before its marker
  await waitFor(() => /\x1b\[7m(?:\x1b\[[0-9;]*m)*▸ kvm-1/.test(rig!.tty.output()), 'kvm-1 in inverse video');
});

it('ages come from the session clock: they move when it moves, never with the wall clock', async () => {
  rig = startRig({ columns: 200, rows: 50 });
  await waitFor(() => rowOf('fe') !== '', 'table');
  expect(rowOf('fe')).toMatch(/MONITORED 12s/);
  rig.clock.advance(60_000);
  await waitFor(() => /MONITORED 1m/.test(rowOf('fe')), () => `fe a minute older\n${screen()}`, 3000);
  expect(rowOf('kvm-2')).toMatch(/ERROR 4m/);
});

it('a changed host key says KEY ALARM, the word `onedeck status` uses', async () => {
  rig = startRig({ columns: 200, rows: 50 });
  const [fe, kvm1, ...rest] = sampleHosts(rig.clock());
  rig.cluster.setState({ hosts: [fe, { ...kvm1, probe: { reachable: false, hostKeyAlarm: true, error: 'host key changed', at: rig.clock() } }, ...rest] });
  await waitFor(() => rowOf('kvm-1').includes('KEY ALARM'), () => `KEY ALARM on kvm-1\n${screen()}`);
});
