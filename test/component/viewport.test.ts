// The viewport travels with the move keys: a page is the rows in view less one, and the window
// the screen shows is the one the action computed, wrapped lines included. Views never load a log.
import { afterEach, expect, it } from 'vitest';
import { jobLogId } from '../../src/logs/log-id.js';
import { paneOf } from '../../src/actions/ui-lists.js';
import { KEY } from '../harness/fake-tty.js';
import { waitFor } from '../harness/wait.js';
import { addJob, makeJob, startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

const screen = () => rig!.tty.screen.text();
const shows = (text: string) => waitFor(() => screen().includes(text), `screen to show ${text}\n${screen()}`);
const type = (keys: string[]) => keys.forEach((k) => rig!.stdin.press(k));

/** absolute numbers of the log lines whose first row is on screen, top to bottom */
const shownLines = (): number[] => [...screen().matchAll(/│L(\d+) /g)].map((m) => Number(m[1]));

async function logOf(lines: (i: number) => string): Promise<Rig> {
  rig = startRig({ columns: 100, rows: 30 });
  addJob(rig.cluster, makeJob('5', { state: 'succeeded' }));
  for (let i = 0; i < 400; i++) rig.logs.append('job:5', lines(i));
  rig.logs.flush();
  type([':', ...'logs', KEY.enter]);
  await shows('L399 ');
  return rig;
}

const pane = () => paneOf(rig!.ui.getState(), jobLogId('5'));

it('a page of a log is the rows in view less one, and the screen starts where the action said', async () => {
  await logOf((i) => `L${i} short`);
  const rows = shownLines().length;
  expect(shownLines().at(-1)).toBe(399);
  expect(rows).toBeGreaterThan(10);
  rig!.stdin.press(KEY.pageUp);
  await waitFor(() => !pane().follow, 'the pane to pause');
  expect(pane().top).toBe(400 - rows - (rows - 1));
  await waitFor(() => shownLines()[0] === pane().top, `the screen to start at ${pane().top}\n${screen()}`);
  expect(shownLines()).toHaveLength(rows);
  rig!.stdin.press(KEY.pageDown);
  await waitFor(() => pane().follow, 'the pane to follow again at the bottom');
  await waitFor(() => shownLines().at(-1) === 399, 'the tail again');
});

it('with wrapped lines the screen shows the window the action computed', async () => {
  // every third line takes three rows when wrapped
  await logOf((i) => `L${i} ${i % 3 === 0 ? 'w'.repeat(250) : 'short'}`);
  type(['w']);
  await shows(' · wrap');
  // following, the tail fills the pane; one line up shows exactly one older line on top
  const tail = shownLines();
  expect(tail.at(-1)).toBe(399);
  rig!.stdin.press('k');
  await waitFor(() => !pane().follow, 'paused');
  expect(pane().top).toBe(tail[0] - 1);
  await waitFor(() => shownLines()[0] === tail[0] - 1, `one line up from ${tail[0]}\n${screen()}`);
  rig!.stdin.press('j');
  await waitFor(() => pane().follow, 'one line down is the tail again: following');
  await waitFor(() => shownLines()[0] === tail[0], 'the same tail');
  const tops: number[] = [];
  for (let i = 0; i < 4; i++) {
    const before = pane().follow ? undefined : pane().top;
    rig!.stdin.press(KEY.pageUp);
    await waitFor(() => !pane().follow && pane().top !== before, 'the pane to move up');
    await waitFor(() => shownLines()[0] === pane().top, `the screen to start at line ${pane().top}\n${screen()}`);
    tops.push(pane().top);
  }
  // a page of wrapped lines moves fewer lines than it moves rows, and never overlaps less than a row
  const steps = tops.slice(1).map((t, i) => tops[i] - t);
  for (const s of steps) expect(s).toBeGreaterThan(3);
  rig!.stdin.press('G');
  await waitFor(() => pane().follow, 'follow again');
  await waitFor(() => shownLines().at(-1) === 399, `the tail with wrapped lines\n${screen()}`);
});

it('a page of a list is its rows less one, and the selected row is on screen', async () => {
  rig = startRig({ columns: 100, rows: 30 });
  for (let i = 0; i < 60; i++) addJob(rig.cluster, makeJob(`job${String(i).padStart(2, '0')}`, { state: 'succeeded', startedAt: 1_000_000 - i }));
  type([':', ...'jobs', KEY.enter]);
  await shows('Jobs 60');
  const rows = (screen().match(/job\d\d /g) ?? []).length;
  expect(rows).toBeGreaterThan(10);
  rig.stdin.press(KEY.pageDown);
  await waitFor(() => rig!.ui.getState().selected === rows - 1, `selected ${rig!.ui.getState().selected}, want ${rows - 1}`);
  rig.stdin.press(KEY.pageDown);
  await waitFor(() => rig!.ui.getState().selected === 2 * (rows - 1), 'a second page');
  const id = `job${String(2 * (rows - 1)).padStart(2, '0')}`;
  await waitFor(() => screen().includes(`▸ ${id}`), `the selected job ${id} on screen\n${screen()}`);
});

it('a document pages by its rows less one and stops at its end as rendered', async () => {
  rig = startRig({ columns: 100, rows: 20 });
  type(['?']);
  await shows('Help');
  const m = /· 1-(\d+) of (\d+)/.exec(screen());
  expect(m).not.toBeNull();
  const [rows, lines] = [Number(m![1]), Number(m![2])];
  rig.stdin.press(KEY.pageDown);
  await shows(`· ${rows}-${2 * rows - 1} of ${lines}`);
  rig.stdin.press('G');
  await shows(`· ${lines - rows + 1}-${lines} of ${lines}`);
  expect(rig.ui.getState().selected).toBe(lines - rows);
});

it('the views only read logs: without the navigation model nothing is loaded, with it the shown job is', async () => {
  let loads = 0;
  const source = { job: () => (loads++, { stop: () => undefined }) };
  rig = startRig({ columns: 100, rows: 30, navigation: false, sources: source });
  addJob(rig.cluster, makeJob('7', { state: 'succeeded' }));
  await shows('opennebula.deploy.main · 7 ');
  type([':', ...'logs', KEY.enter]);
  await shows('no output yet');
  for (let i = 0; i < 3; i++) rig.stdin.press('k');
  await shows('PAUSED');
  expect(loads).toBe(0);
  expect(rig.logs.has(jobLogId('7'))).toBe(false);
  rig.tui.restore();
  loads = 0;
  rig = startRig({ columns: 100, rows: 30, sources: source });
  addJob(rig.cluster, makeJob('7', { state: 'succeeded' }));
  await shows('opennebula.deploy.main · 7 ');
  expect(loads).toBe(1);
});
