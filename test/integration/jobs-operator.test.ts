// A session on every call: two operators at two terminals of one core (as `onedeck serve` will
// have). Each one's job record, the machine-wide lock while their job runs, and their audit-log
// lines name that operator, not whoever built the core.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/compose.js';
import { readLock } from '../../src/jobs/lock.js';
import type { Session } from '../../src/session.js';
import { createUiStore } from '../../src/store/ui-store.js';
import { composeRigCore, ensureRunner, finished, makeRig, until, type Rig } from './jobs-helpers.js';

let rig: Rig | undefined;
let core: Core | undefined;
const env = { FAKE_TOFU_SCENARIO: process.env.FAKE_TOFU_SCENARIO, FAKE_TOFU_DELAY: process.env.FAKE_TOFU_DELAY };
beforeAll(async () => {
  await ensureRunner();
});
afterEach(async () => {
  await core?.stop();
  rig?.cleanup();
  rig = core = undefined;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('two sessions on one core', () => {
  it("each one's job, lock and audit lines name its own operator", async () => {
    rig = makeRig({}, { yaml: ['ssh: { key: "{dir}/id_test" }'] });
    writeFileSync(join(rig.dir, 'id_test.pub'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOnedeckTestKeyOnly test\n');
    core = composeRigCore(rig);
    core.start();
    const alice: Session = { id: 'tty-a', readonly: false, user: 'alice', from: '10.0.0.5', terminal: '/dev/pts/1' };
    const bob: Session = { id: 'tty-b', readonly: false, user: 'bob', from: '10.0.0.7', terminal: '/dev/pts/2' };
    const uiA = createUiStore();
    const uiB = createUiStore();

    process.env.FAKE_TOFU_SCENARIO = 'create'; // nothing destroyed: apply asks a plain y/N
    expect(await core.executor.run('plan', [], alice, uiA)).toEqual({ ok: true });
    const planId = uiA.getState().focusedJob!;
    expect(await finished(rig, planId)).toMatchObject({ state: 'succeeded', user: 'alice', from: '10.0.0.5' });
    await until('the plan published', () => core!.cluster.getState().pendingPlan?.jobId === planId);

    process.env.FAKE_TOFU_DELAY = '0.2'; // the apply runs long enough to look at its lock
    const asked = await core.executor.run('apply', [], bob, uiB);
    expect(asked).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    const token = asked.ok ? '' : asked.confirmation!.token;
    expect(await core.executor.run('apply', [], bob, uiB, { token, text: 'y' })).toEqual({ ok: true });
    const applyId = uiB.getState().focusedJob!;
    expect(applyId).not.toBe(planId);
    expect(readLock(rig.paths.lockFile)).toMatchObject({ jobId: applyId, user: 'bob', from: '10.0.0.7' });
    await until('the lock holder published', () => core!.cluster.getState().lockHolder?.jobId === applyId);
    expect(core.cluster.getState().lockHolder).toMatchObject({ user: 'bob', from: '10.0.0.7' });
    // alice is told who holds it
    expect(await core.executor.run('plan', [], alice, uiA)).toMatchObject({ ok: false, reason: 'disabled', message: expect.stringContaining(`job ${applyId}`) });
    expect(core.executor.disabledReason(core.registry.get('plan')!, alice, uiA)).toContain(', bob)');
    expect(await finished(rig, applyId)).toMatchObject({ state: 'succeeded', user: 'bob', from: '10.0.0.7' });

    const audit = readFileSync(join(rig.paths.stateDir, 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const ran = audit.filter((e) => e.outcome === true).map((e) => [e.action, e.user, e.from, e.terminal]);
    expect(ran).toEqual([
      ['plan', 'alice', '10.0.0.5', '/dev/pts/1'],
      ['apply', 'bob', '10.0.0.7', '/dev/pts/2'],
    ]);
    expect(audit.find((e) => e.outcome === 'disabled')).toMatchObject({ action: 'plan', user: 'alice' });

    // a one-shot front end (onedeck run) reads the same records without starting any timer
    const other = composeRigCore(rig);
    try {
      other.refreshJobs();
      expect(other.cluster.getState().jobs.map((j) => [j.kind, j.user])).toEqual([['apply', 'bob'], ['plan', 'alice']]);
      expect(other.cluster.getState().lockHolder).toBeUndefined();
      expect(other.cluster.getState().pendingPlan).toBeUndefined(); // applied
      expect(other.cluster.getState().toolProblems.tofu).toBeUndefined(); // the fixture tofu is there
    } finally {
      await other.stop();
    }
  });
});
