// Issue 11 case 1: jobs are stored per machine, so every job names its cluster (name, config file,
// terraform directory). A plan made in cluster A is not offered, applied, listed or cancellable by
// a session of cluster B (another config and terraform directory, the same state directory).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { FILES, jobDir, readJob, readJson, type JobSpec } from '../../src/jobs/job-store.js';
import { createUiStore } from '../../src/store/ui-store.js';
import { ALICE, ensureRunner, finished, makeRig, makeService, until, type Rig } from './jobs-helpers.js';

let rig: Rig | undefined;
const stops: (() => void)[] = [];
beforeAll(async () => {
  await ensureRunner();
});
afterEach(() => {
  for (const s of stops.splice(0)) s();
  rig?.cleanup();
  rig = undefined;
});

/** Cluster B: its own onedeck.yaml and terraform/ under the rig, the rig's state directory. */
function clusterB(a: Rig, tool?: string): Rig {
  const dir = join(a.dir, 'prodb');
  mkdirSync(join(dir, 'terraform'), { recursive: true });
  mkdirSync(join(dir, 'ansible', 'inventory'), { recursive: true });
  const yaml = [
    'cluster: prodb',
    'scaleway: { zone: fr-par-2, project_id: 11111111-2222-3333-4444-555555555555 }',
    'frontend: { name: fe }',
    'hypervisors: [kvm-1]',
    `tools: { tofu: ${JSON.stringify(a.config.tools.tofu)}, ansible_playbook: ${JSON.stringify(tool ?? 'ansible-playbook')} }`,
    'paths: { terraform: terraform, ansible: ansible }',
  ].join('\n');
  writeFileSync(join(dir, 'prodb.yaml'), yaml);
  return { dir, paths: a.paths, config: parseConfig(yaml, join(dir, 'prodb.yaml')), cleanup: () => {} };
}

describe('cluster identity on every job', () => {
  it("a plan of cluster A: B shows no pending plan, cannot apply it, does not list A's jobs", async () => {
    rig = makeRig();
    const a = makeService(rig);
    stops.push(a.service.stop);
    a.service.start();
    const planId = await a.service.plan(ALICE);
    expect((await finished(rig, planId)).state).toBe('succeeded');
    await until("A's pending plan", () => a.cluster.getState().pendingPlan?.jobId === planId);

    // the job records its cluster, in the spec and in the status the runner writes
    const identity = { name: 'test', configFile: join(rig.dir, 'onedeck.yaml'), terraformDir: join(rig.dir, 'terraform') };
    expect(readJson<JobSpec>(join(jobDir(rig.paths.jobsDir, planId), FILES.spec))?.cluster).toEqual(identity);
    expect(readJob(rig.paths.jobsDir, planId).cluster).toEqual(identity);

    const rb = clusterB(rig);
    const b = makeService(rb);
    stops.push(b.service.stop);
    b.service.start();
    const s = b.cluster.getState();
    expect(s.pendingPlan).toBeUndefined();
    expect(s.jobs).toEqual([]);
    // :jobs --all shows it, as another cluster's
    expect(s.otherJobs.map((j) => j.id)).toEqual([planId]);
    // the service refuses to apply A's plan from B, whatever front end asked
    await expect(b.service.apply(ALICE, planId)).rejects.toThrow(/belongs to cluster test .*not to this session's cluster prodb/);
    // A itself still can
    const applyId = await a.service.apply(ALICE, planId);
    expect((await finished(rig, applyId)).state).toBe('succeeded');
  });

  it("B cannot cancel A's running job; `x` in B says no job is running", async () => {
    rig = makeRig({ ansible_playbook: '{dir}/tool.sh' });
    writeFileSync(join(rig.dir, 'tool.sh'), '#!/bin/sh\necho working\nexec sleep 60\n');
    chmodSync(join(rig.dir, 'tool.sh'), 0o755);
    writeFileSync(join(rig.config.paths.ansible, 'hooks.yml'), '');
    writeFileSync(join(rig.config.paths.ansible, 'inventory', 'onedeck.yml'), '');
    const a = makeService(rig);
    stops.push(a.service.stop);
    a.service.start();
    const id = await a.service.playbook(ALICE, 'hooks');
    const rb = clusterB(rig);
    const b = makeService(rb);
    stops.push(b.service.stop);
    b.service.start();
    await until('B to see the job as another cluster’s', () => b.cluster.getState().otherJobs.some((j) => j.id === id && j.state === 'running'));
    expect(b.cluster.getState().jobs).toEqual([]);
    await expect(b.service.cancel(ALICE, id)).rejects.toThrow(/belongs to cluster test/);
    expect(readJob(rig.paths.jobsDir, id).state).toBe('running');
    // the cancel action of B's registry is disabled: nothing of B's runs
    const { jobActions } = await import('../../src/actions/job-actions.js');
    const cancel = jobActions().find((d) => d.id === 'cancel')!;
    const ctx = { cluster: b.cluster, services: { jobs: b.service }, ui: createUiStore(), session: ALICE, keyOf: () => 'x' } as never;
    expect(cancel.disabledReason?.(ctx)).toBe('no job is running');
    // the machine-wide lock still holds B back from starting a mutating job of its own
    expect(b.cluster.getState().lockHolder?.jobId).toBe(id);
    await a.service.cancel(ALICE, id);
    expect((await finished(rig, id)).state).toBe('cancelled');
  });

  it("an old job record without identity: another cluster's, unless its terraform directory is this one", async () => {
    rig = makeRig();
    const a = makeService(rig);
    stops.push(a.service.stop);
    a.service.start();
    const planId = await a.service.plan(ALICE);
    expect((await finished(rig, planId)).state).toBe('succeeded');
    a.service.stop();
    // strip the identity, as a record written before this change looks
    for (const f of [FILES.spec, FILES.status]) {
      const file = join(jobDir(rig.paths.jobsDir, planId), f);
      const v = readJson<Record<string, unknown>>(file)!;
      delete v.cluster;
      writeFileSync(file, JSON.stringify(v));
    }
    const again = makeService(rig);
    stops.push(again.service.stop);
    again.service.start();
    // its spec's cwd is A's terraform directory: A's
    expect(again.cluster.getState().pendingPlan?.jobId).toBe(planId);
    const b = makeService(clusterB(rig));
    stops.push(b.service.stop);
    b.service.start();
    expect(b.cluster.getState().pendingPlan).toBeUndefined();
    expect(b.cluster.getState().otherJobs.map((j) => j.id)).toEqual([planId]);
    await expect(b.service.apply(ALICE, planId)).rejects.toThrow(/belongs to the terraform directory/);
  });
});
