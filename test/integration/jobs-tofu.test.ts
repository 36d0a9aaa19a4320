// tofu jobs through the detached runner with the fixture stand-in (real-format -json lines):
// plan summary on disk and in the store, apply with per-resource progress, a state-lock error
// explained, init before the first plan.
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FILES, jobDir } from '../../src/jobs/job-store.js';
import { jobLogId } from '../../src/logs/log-id.js';
import { ALICE, ensureRunner, finished, makeRig, makeService, until, type Rig } from './jobs-helpers.js';

let rig: Rig | undefined;
let stop: (() => void) | undefined;
beforeAll(async () => {
  await ensureRunner();
});
afterEach(() => {
  stop?.();
  rig?.cleanup();
  rig = undefined;
});

describe('tofu jobs', () => {
  it('plans (init first), summarises the plan, then applies that saved plan with per-resource progress', async () => {
    rig = makeRig();
    // the apply renders the inventory from its outputs itself, as its last step
    const { service, cluster, hub } = makeService(rig, { inventoryAfterApply: true });
    stop = service.stop;
    service.start();
    const planId = await service.plan(ALICE);
    const plan = await finished(rig, planId);
    expect(plan.state).toBe('succeeded');
    expect(plan.summary).toContain('Plan: 2 to add, 1 to change, 2 to destroy.');
    const log = readFileSync(plan.logFile, 'utf8');
    expect(log).toContain('Initializing the backend...'); // no .terraform yet: init ran first
    expect(log).toContain('terraform_data.hypervisor["kvm-3"]: Plan to delete');
    expect(existsSync(join(jobDir(rig.paths.jobsDir, planId), FILES.events))).toBe(true);
    await until('the store to show the finished plan', () => cluster.getState().jobs.find((j) => j.id === planId && j.plan));
    expect(cluster.getState().pendingPlan).toEqual({
      jobId: planId, add: 2, change: 1, destroy: 2, destroys: ['terraform_data.hypervisor["kvm-3"]', 'terraform_data.hypervisor["kvm-2"]'],
    });
    const rec = cluster.getState().jobs.find((j) => j.id === planId)!;
    expect(rec.plan).toMatchObject({ add: 2, change: 1, destroy: 2 });

    // an outputs file from an older run, readable by others: replaced whole, and private
    const outputsFile = join(rig.config.paths.terraform, '.onedeck-outputs.json');
    writeFileSync(outputsFile, '{}', { mode: 0o644 });
    chmodSync(outputsFile, 0o644);
    const oldInode = statSync(outputsFile).ino;
    const applyId = await service.apply(ALICE, planId);
    const apply = await finished(rig, applyId);
    expect(apply.state).toBe('succeeded');
    expect(apply.summary).toBe('Apply complete! Resources: 2 added, 1 changed, 2 destroyed.');
    expect(apply.progress).toMatchObject({ kind: 'tofu', done: 4, total: 4 });
    const spec = JSON.parse(readFileSync(join(jobDir(rig.paths.jobsDir, applyId), FILES.spec), 'utf8'));
    expect(spec.args).toEqual(['apply', '-input=false', '-lock-timeout=0s', '-json', join(jobDir(rig.paths.jobsDir, planId), FILES.planFile)]);
    expect(readFileSync(outputsFile, 'utf8')).toContain('"inventory"');
    expect(statSync(outputsFile).mode & 0o777).toBe(0o600);
    expect(statSync(outputsFile).ino).not.toBe(oldInode); // renamed into place, never truncated then written
    // rendered inside the job, before it was recorded as finished
    const inventory = join(rig.config.paths.ansible, 'inventory', 'onedeck.yml');
    expect(existsSync(inventory)).toBe(true);
    expect(readFileSync(inventory, 'utf8')).toMatch(/kvm-2:\n\s+ansible_host: 10\.16\.0\.12/);
    await until('the plan to be consumed', () => cluster.getState().jobs.some((j) => j.id === applyId) && cluster.getState().pendingPlan === undefined);
    await until('the apply log in the hub', () => hub.buffer(jobLogId(applyId)).total() > 5);
    const lines = hub.buffer(jobLogId(applyId)).slice(0, 1000).map((l) => l.text);
    expect(lines).toContain('terraform_data.hypervisor["kvm-4"]: Still creating... [10s elapsed]');
  });

  it('explains who holds the state lock', async () => {
    rig = makeRig();
    const { service } = makeService(rig);
    stop = service.stop;
    process.env.FAKE_TOFU_SCENARIO = 'locked';
    try {
      const id = await service.plan(ALICE);
      const j = await finished(rig, id);
      expect(j.state).toBe('failed');
      expect(j.summary).toBe(
        'state locked by root@vm since 2026-11-27 14:34:28 UTC, operation OperationTypeApply; if that run is dead: tofu force-unlock c70f9e41-a655-df82-aac9-cd97ddfd33f5',
      );
    } finally {
      delete process.env.FAKE_TOFU_SCENARIO;
    }
  });

  it('runs tofu init on its own, with -upgrade when asked, as a logged job', async () => {
    rig = makeRig();
    const { service, hub } = makeService(rig);
    stop = service.stop;
    service.start();
    const id = await service.init!(ALICE, true);
    const j = await finished(rig, id);
    expect(j).toMatchObject({ kind: 'init', state: 'succeeded', exitCode: 0 });
    expect(j.command).toMatch(/ init -input=false -no-color -upgrade$/);
    const log = readFileSync(join(jobDir(rig.paths.jobsDir, id), FILES.log), 'utf8');
    expect(log).toContain('OpenTofu has been successfully initialized!');
    await until('the init log in the pane', () => hub.buffer(jobLogId(id)).total() > 0);
  });
});
