// What the core writes for the operator reaches the screen: the cluster's notices (a job's end, an
// inventory that could not be rendered) in the footer while new and as a short history on the
// command log; a running job's live progress in the job pane title and its command-log row.
import { afterEach, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src/domain/job.js';
import { notify } from '../../src/store/cluster-store.js';
import { KEY } from '../harness/fake-tty.js';
import { showsOn, goneFrom } from '../harness/wait.js';
import { addJob, makeJob, startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

const screen = () => rig!.tty.screen.text();
const shows = showsOn(screen);
const gone = goneFrom(screen);
const footer = () => screen().split('\n').filter((l) => l.trim()).pop() ?? '';

const TOFU: JobProgress = {
  kind: 'tofu', done: 3, total: 5,
  resources: [
    { addr: 'scaleway_ipam_ip.management["kvm-4"]', action: 'create', state: 'done' },
    { addr: 'scaleway_baremetal_server.host["kvm-4"]', action: 'create', state: 'running' },
  ],
};
const ANSIBLE: JobProgress = {
  kind: 'ansible', play: 'OneDeploy: kvm', task: 'kvm : Install',
  hosts: { fe: { ok: 3, changed: 1, failed: 0, unreachable: 0, skipped: 0 }, 'kvm-2': { ok: 1, changed: 0, failed: 1, unreachable: 0, skipped: 0 } },
  failures: [],
};

describe('notices', () => {
  it('the newest notice shows in the footer while it is new, then the key hints come back', async () => {
    rig = startRig({ columns: 120, rows: 30 });
    await shows('kvm-3');
    notify(rig.cluster, 'error', 'inventory not rendered after 20261127-150318-apply-45e0: outputs unreadable', rig.clock());
    await shows('inventory not rendered after 20261127-150318-apply-45e0');
    expect(footer()).toContain('inventory not rendered');
    rig.clock.advance(9000);
    await gone('inventory not rendered');
    expect(footer()).toMatch(/\? help/);
  });

  it('the command log lists the last three notices under the table', async () => {
    rig = startRig({ columns: 120, rows: 30 });
    addJob(rig.cluster, makeJob('12', { state: 'succeeded', endedAt: rig.clock(), exitCode: 0 }));
    for (const n of ['job 9 succeeded', 'job 10 failed: exit 2', 'job 11 succeeded', 'job 12 succeeded: done']) notify(rig.cluster, 'info', n, rig.clock() - 60_000);
    rig.stdin.press(`:jobs${KEY.enter}`);
    await shows('Jobs 1');
    await shows('job 12 succeeded: done');
    expect(screen()).toContain('job 10 failed: exit 2');
    expect(screen()).not.toContain('job 9 succeeded');
  });
});

describe('progress of a running job', () => {
  it('an apply says how many resources are done, and which one it is creating, in the pane title and the command log', async () => {
    rig = startRig({ columns: 200, rows: 50 });
    addJob(rig.cluster, makeJob('21', { kind: 'apply', title: 'tofu apply', progress: TOFU }));
    rig.ui.setState({ focusedJob: '21' });
    await shows(/RUNNING · apply · \S+ · tofu apply/);
    await shows('3/5 resources · creating scaleway_baremetal_server.host["kvm-4"]');
    rig.stdin.press(`:jobs${KEY.enter}`);
    await shows('Jobs 1');
    expect(screen().split('\n').find((l) => l.includes(' apply '))).toContain('3/5 resources');
  });

  it('a playbook says its task, its hosts and how many failed', async () => {
    rig = startRig({ columns: 200, rows: 50 });
    addJob(rig.cluster, makeJob('22', { progress: ANSIBLE }));
    rig.ui.setState({ focusedJob: '22' });
    await shows('TASK [kvm : Install] · 2 hosts · 1 failed');
  });

  it('a finished job shows its summary, not its last progress', async () => {
    rig = startRig({ columns: 200, rows: 50 });
    addJob(rig.cluster, makeJob('23', { kind: 'apply', state: 'succeeded', endedAt: rig.clock(), exitCode: 0, summary: 'Apply complete! Resources: 5 added', progress: { ...TOFU, done: 5 } }));
    rig.stdin.press(`:jobs${KEY.enter}`);
    await shows('Apply complete! Resources: 5 added');
    expect(screen()).not.toContain('5/5 resources');
  });
});
