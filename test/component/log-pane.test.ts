// The log pane on a real session: 100k lines, only the rows in view formatted, follow/pause
// with a count of new lines, search with n/N, wrap, long lines cut, unsafe escapes removed.
import { afterEach, expect, it } from 'vitest';
import { KEY } from '../harness/fake-tty.js';
import { showsOn, waitFor } from '../harness/wait.js';
import { addJob, makeJob, startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

const screen = () => rig!.tty.screen.text();
const shows = showsOn(screen);
const type = (keys: string[]) => keys.forEach((k) => rig!.stdin.press(k));

async function logsOf100k(): Promise<Rig> {
  rig = startRig({ columns: 100, rows: 30, capacity: 100_000 });
  addJob(rig.cluster, makeJob('12'));
  for (let i = 0; i < 100_000; i++) rig.logs.append('job:12', i % 25_000 === 10 ? `needle ${i}` : `line ${i}`, false, 1_700_000_000_000 + i);
  rig.logs.flush();
  type([':', 'l', 'o', 'g', 's', KEY.enter]);
  await shows('line 99999');
  return rig;
}

it('shows the tail of 100k lines and formats only the rows in view', async () => {
  const r = await logsOf100k();
  expect(screen()).toContain('100 000 lines');
  expect(screen()).toContain('FOLLOW');
  const buf = r.logs.buffer('job:12');
  const get = buf.get.bind(buf);
  let calls = 0;
  buf.get = (n: number) => {
    calls++;
    return get(n);
  };
  r.logs.append('job:12', 'line 100000');
  r.logs.flush();
  await shows('line 100000');
  expect(calls).toBeGreaterThan(0);
  expect(calls).toBeLessThan(200); // a 30-row terminal, not 100k lines
});

it('pauses when scrolled up, counts new lines, resumes with G', async () => {
  const r = await logsOf100k();
  r.stdin.press('k');
  await shows('PAUSED · 0 new');
  for (let i = 0; i < 5; i++) r.logs.append('job:12', `fresh ${i}`);
  r.logs.flush();
  await shows('PAUSED · 5 new');
  expect(screen()).not.toContain('fresh 4');
  r.stdin.press('G');
  await shows('fresh 4');
  expect(screen()).toContain('FOLLOW');
  r.stdin.press(KEY.pageUp);
  await shows('PAUSED');
  r.stdin.press(KEY.end);
  await shows('FOLLOW');
});

it('searches with / and moves between matches with n and N', async () => {
  const r = await logsOf100k();
  type(['/', ...'needle', KEY.enter]);
  await shows('/needle 4/4');
  expect(screen()).toContain('needle 75010');
  r.stdin.press('N');
  await shows('/needle 3/4');
  expect(screen()).toContain('needle 50010');
  r.stdin.press('N');
  await shows('/needle 2/4');
  r.stdin.press('n');
  await shows('/needle 3/4');
  r.stdin.press('n');
  r.stdin.press('n');
  await shows('/needle 1/4'); // wraps around
  await shows('search wrapped to the first match of "needle"');
});

it('cuts long lines for display and wraps them on w; timestamps on t', async () => {
  rig = startRig({ columns: 100, rows: 30 });
  addJob(rig.cluster, makeJob('7'));
  rig.logs.append('job:7', `LONG${'x'.repeat(300)}TAIL`);
  rig.logs.append('job:7', 'short line', false, new Date(2026, 0, 1, 14, 2, 3).getTime());
  rig.logs.flush();
  type([':', 'l', 'o', 'g', 's', KEY.enter]);
  await shows('short line');
  const longRow = screen().split('\n').find((l) => l.includes('LONG'))!;
  expect(longRow).toContain('…');
  expect(screen()).not.toContain('TAIL');
  rig.stdin.press('w');
  await shows('TAIL');
  expect(screen()).toContain('wrap');
  rig.stdin.press('t');
  await shows('14:02:03 short line');
});

it('strips escapes that would move the cursor or clear the screen', async () => {
  rig = startRig({ columns: 100, rows: 30 });
  addJob(rig.cluster, makeJob('8'));
  rig.logs.append('job:8', '\x1b[31mred\x1b[0m \x1b[2J\x1b]0;evil-title\x07\x1b[5;5Hok\x07 done');
  rig.logs.flush();
  type([':', 'l', 'o', 'g', 's', KEY.enter]);
  await shows('red ok done');
  const out = rig.tty.output();
  expect(out).not.toContain('\x1b[2J');
  expect(out).not.toContain('evil-title');
  expect(out).not.toContain('\x1b[5;5H');
});

it('tab on the main screen focuses the job log pane under the table', async () => {
  rig = startRig({ columns: 200, rows: 50 });
  addJob(rig.cluster, makeJob('12'));
  rig.logs.append('job:12', 'TASK [kvm : Install opennebula-node-kvm]');
  rig.logs.flush();
  await shows('TASK [kvm : Install opennebula-node-kvm]');
  expect(screen()).toMatch(/[A-Z]+ · deploy · .* · 12 /);
  expect(screen()).toContain('Scaleway'); // the host summary beside it
  rig.stdin.press('w');
  await shows('no log pane is focused');
  rig.stdin.press(KEY.tab);
  rig.stdin.press('k');
  await shows('PAUSED');
});
