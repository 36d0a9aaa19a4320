// The job screens on 80x24 and 200x50: the log pane's mode survives a long title, the command log
// keeps its columns apart and shows whole job ids when there is room, the log tabs keep the shown
// job in view, the hook-log title names the files that are tailed.
import { shortJobId } from '../../src/domain/job-progress.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionDef } from '../../src/actions/types.js';
import type { JobService } from '../../src/services.js';
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
const LONG = '20261127-150318-hooks-45e0';

describe.each([
  [80, 24],
  [200, 50],
])('at %ix%i', (columns, rows) => {
  it('the log pane says PAUSED · N new however long the job title is', async () => {
    rig = startRig({ columns, rows });
    addJob(rig.cluster, makeJob(LONG, { kind: 'hooks', title: 'Flexible-IP hooks on every host and all of their friends '.repeat(4) }));
    for (let i = 0; i < 200; i++) rig.logs.append(`job:${LONG}`, `line ${i}`);
    rig.logs.flush();
    type([':', 'l', 'o', 'g', 's', KEY.enter]);
    await shows('line 199');
    expect(screen()).toContain('FOLLOW');
    rig.stdin.press('k');
    await shows('PAUSED · 0 new');
    rig.logs.append(`job:${LONG}`, 'fresh');
    rig.logs.flush();
    await shows('PAUSED · 1 new');
    for (const line of screen().split('\n')) expect(line.length).toBeLessThan(columns);
  });

  it('the command log keeps a space between columns', async () => {
    rig = startRig({ columns, rows });
    addJob(rig.cluster, makeJob(LONG, { kind: 'validate', state: 'succeeded', endedAt: rig.clock(), exitCode: 0 }));
    type([':', 'j', 'o', 'b', 's', KEY.enter]);
    await shows('Jobs 1');
    const row = screen().split('\n').find((l) => l.includes('validate'))!;
    expect(row).toMatch(/validate\s+succeeded\s/);
    if (columns >= 200) expect(row).toContain(`${LONG} validate`);
    else expect(row).not.toContain('…validate');
  });
});

it('the log tabs keep the shown job in view', async () => {
  rig = startRig({ columns: 80, rows: 24 });
  for (let i = 0; i < 12; i++) addJob(rig.cluster, makeJob(`job-${i}`, { kind: i === 0 ? 'plan' : 'deploy', state: 'succeeded', startedAt: rig.clock() - (12 - i) * 60_000 }));
  type([':', 'l', 'o', 'g', 's', KEY.enter]);
  await shows(/SUCCEEDED · (plan|deploy) · .* · job-\d+ /);
  rig.ui.setState({ focusedJob: 'job-0' });
  await shows(/SUCCEEDED · plan · .* · job-0 /);
  const tabs = screen().split('\n')[1];
  expect(tabs).toContain(' plan ');
  expect(tabs.length).toBeLessThan(80);
});

it('the hook-log title names the files that are tailed', async () => {
  rig = startRig({ columns: 120, rows: 30 });
  await shows('kvm-3');
  type([':', 'h', 'o', 'o', 'k', 'l', 'o', 'g', ' ', 'k', 'v', 'm', '-', '2', KEY.enter]);
  await shows('hook logs · kvm-2');
  expect(screen()).toContain('/var/log/vnm/scw-flexip-*.log');
});

it('ctrl+s says where the log went, the end of the path kept on a narrow terminal', async () => {
  const path = `/home/operator/.local/state/onedeck/saved/${LONG}-2026-11-27T15-03-18-000Z.log`;
  const jobs: JobService = {
    plan: async () => 'p', apply: async () => 'a', playbook: async () => 'j', cancel: async () => {},
    saveLog: async () => path,
  };
  rig = startRig({ columns: 80, rows: 24, jobs });
  addJob(rig.cluster, makeJob(LONG, { kind: 'hooks', state: 'failed' }));
  rig.logs.append(`job:${LONG}`, 'line 1');
  rig.logs.flush();
  type([':', 'l', 'o', 'g', 's', KEY.enter]);
  await shows('line 1');
  // the state first, the id shortened (issue 12 #4)
  expect(screen()).toMatch(new RegExp(`FAILED · hooks · .* · ${shortJobId(LONG)}`));
  rig.stdin.press(KEY.ctrlS);
  await shows('log saved to /home/');
  expect(screen()).toContain('2026-11-27T15-03-18-000Z.log');
});

it('a confirmation shows its whole question at 80 columns and the footer names only its keys', async () => {
  const def: ActionDef = {
    id: 'hooks', title: 'Flexible-IP hooks', keys: ['h'], scope: 'global', mutating: true, run: () => {},
    confirm: () => ({ question: 'deploy the Flexible-IP hooks on every host and sync them to the hypervisors? [y/N]' }),
  };
  rig = startRig({ columns: 80, rows: 24, extra: [def] });
  await shows('kvm-3');
  rig.stdin.press('h');
  await shows('sync them to the hypervisors?');
  expect(screen()).toContain('[y/N]');
  const footer = screen().split('\n').filter((l) => l.trim()).pop()!;
  expect(footer).toContain('any other key cancel');
  expect(footer).not.toContain('plan');
  rig.stdin.press('n');
  await shows('cancelled: nothing was run');
});
