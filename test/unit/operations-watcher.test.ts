// The operations watcher publishes the journals into the cluster store (only when they changed),
// and sees a runner that died; onedeck.yaml's watch calls back when its text changes.
import { mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendRecord, operationDir } from '../../src/operations/journal.js';
import { createOperation } from '../../src/operations/operations.js';
import { OperationWatcher } from '../../src/operations/watcher.js';
import { watchConfigFile } from '../../src/config/watch.js';
import { createClusterStore } from '../../src/store/cluster-store.js';
import { waitFor } from '../harness/wait.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'onedeck-opwatch-'));
  dirs.push(d);
  return d;
};

describe('operations watcher', () => {
  it('publishes each operation with its steps; a runner gone without an end shows interrupted; no write when nothing changed', () => {
    const state = tmp();
    const cluster = createClusterStore({ name: 't', zone: 'z', region: 'r', opennebulaVersion: '7', sandbox: true, configFile: null, refreshSeconds: 10 });
    const op = createOperation(state, { kind: 'add', title: 'add kvm-4', hosts: ['kvm-4'], configFile: '/x.yaml', operator: { user: 'alice', from: '10.0.0.9' }, steps: [{ id: 'config', title: 'config' }, { id: 'plan', title: 'plan' }] });
    const w = new OperationWatcher({ stateDir: state, cluster });
    let writes = 0;
    cluster.subscribe(() => writes++);
    w.refresh();
    expect(cluster.getState().operations).toMatchObject([{ id: op.id, state: 'pending', user: 'alice', from: '10.0.0.9', steps: [{ id: 'config', state: 'pending' }, { id: 'plan', state: 'pending' }] }]);
    w.refresh();
    expect(writes).toBe(1);
    const dir = operationDir(state, op.id);
    // a runner that is not alive (no such pid)
    appendRecord(dir, { t: 'run', at: 10, pid: 2 ** 22 + 12345, resume: false });
    appendRecord(dir, { t: 'step', at: 11, step: 'config', state: 'running' });
    appendRecord(dir, { t: 'step', at: 12, step: 'config', state: 'done', message: 'written' });
    appendRecord(dir, { t: 'step', at: 13, step: 'plan', state: 'running' });
    appendRecord(dir, { t: 'job', at: 14, step: 'plan', jobId: 'job-1' });
    w.refresh();
    expect(cluster.getState().operations[0]).toMatchObject({ state: 'interrupted', step: 'plan', steps: [{ state: 'done', message: 'written' }, { state: 'running', jobIds: ['job-1'] }] });
  });
});

describe('onedeck.yaml watch', () => {
  it('calls back when the text changes, written in place or replaced by a rename', async () => {
    const d = tmp();
    const f = join(d, 'onedeck.yaml');
    writeFileSync(f, 'cluster: a\n');
    let n = 0;
    const stop = watchConfigFile(f, () => n++, { intervalMs: 20 });
    try {
      writeFileSync(f, 'cluster: b\n');
      await waitFor(() => n === 1, 'the first change', 5_000);
      writeFileSync(join(d, 'tmp'), 'cluster: c\n');
      renameSync(join(d, 'tmp'), f);
      await waitFor(() => n === 2, 'the rename', 5_000);
    } finally {
      stop();
    }
  });
});
