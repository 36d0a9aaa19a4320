// Read-only credentials: a job that fails on a refused write (a Scaleway 403) or a refused sudo
// says which features those credentials leave out, as a notice.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsLackFor, JobWatcher } from '../../src/jobs/job-watcher.js';
import { LogHub } from '../../src/logs/log-hub.js';
import { createClusterStore } from '../../src/store/cluster-store.js';

describe('read-only credentials', () => {
  it('a Scaleway 403 or a refused sudo names what is unavailable; another failure names nothing', () => {
    expect(credentialsLackFor({ id: 'j1', kind: 'apply', summary: 'Error: scaleway-sdk-go: insufficient permissions: write server (403)' })).toMatch(/^read-only credentials: .*: apply, add and remove need ElasticMetalFullAccess/);
    expect(credentialsLackFor({ id: 'j2', kind: 'deploy', summary: 'failed: fe TASK [x]: Missing sudo password' })).toMatch(/^read-only SSH user: .*: OneDeploy, network, hooks, validation, add and remove need passwordless sudo/);
    expect(credentialsLackFor({ id: 'j3', kind: 'apply', summary: 'Error: quotas_exceeded' })).toBeUndefined();
  });

  it('the job watcher says it when such a job ends', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onedeck-lack-'));
    const id = '20261201-120000-apply-abcd';
    mkdirSync(join(dir, id));
    const status = (over: object) =>
      writeFileSync(join(dir, id, 'status.json'), JSON.stringify({ id, kind: 'apply', title: 'tofu apply', command: 'tofu apply', mutating: true, user: 'ops', startedAt: 1, logFile: 'x', pid: process.pid, ...over }));
    const cluster = createClusterStore({ name: 't', zone: 'fr-par-2', region: 'fr-par', opennebulaVersion: '7.0', sandbox: false, configFile: null, refreshSeconds: 10 });
    const w = new JobWatcher({ jobsDir: dir, lockFile: join(dir, 'lock'), cluster, logHub: new LogHub(cluster) });
    status({ state: 'running' });
    w.refresh();
    status({ state: 'failed', summary: 'Error: permissions_denied: insufficient permissions (403)' });
    w.refresh();
    expect(cluster.getState().notices.map((n) => n.text)).toContainEqual(expect.stringMatching(/^read-only credentials: the Scaleway key was refused in job 20261201-120000-apply-abcd/));
  });
});
