// Issue 11 case 5: the job runner killed with SIGKILL leaves the tool's process group running
// under PID 1. The job reads 'lost', yet `x` / `:cancel` must still end that group.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readJob } from '../../src/jobs/job-store.js';
import { groupMembers, isAlive } from '../../src/jobs/proc.js';
import { createUiStore } from '../../src/store/ui-store.js';
import { composeRigCore, ensureRunner, makeRig, until, type Rig } from './jobs-helpers.js';
import type { Session } from '../../src/session.js';

let rig: Rig | undefined;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  await ensureRunner();
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  rig?.cleanup();
  rig = undefined;
});

const ALICE: Session = { id: 'alice', readonly: false, user: 'alice' };

describe('a lost runner', () => {
  it('SIGKILL to the runner: the job is lost, its tool still runs, and :cancel ends the whole group', async () => {
    rig = makeRig({ ansible_playbook: '{dir}/tool.sh' });
    // a tool with children of its own, which ignore SIGINT as background jobs of sh do
    writeFileSync(join(rig.dir, 'tool.sh'), '#!/bin/sh\nsleep 300 &\nsleep 300 &\necho spawned\nwait\n');
    chmodSync(join(rig.dir, 'tool.sh'), 0o755);
    writeFileSync(join(rig.config.paths.ansible, 'hooks.yml'), '');
    writeFileSync(join(rig.config.paths.ansible, 'inventory', 'onedeck.yml'), '');
    const core = composeRigCore(rig);
    core.start();
    cleanups.push(() => void core.stop());
    const ui = createUiStore();
    const asked = await core.executor.run('hooks', [], ALICE, ui);
    expect(asked).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    const token = (asked as { confirmation: { token: string } }).confirmation.token;
    expect(await core.executor.run('hooks', [], ALICE, ui, { token, text: 'y' })).toEqual({ ok: true });
    const id = ui.getState().focusedJob!;
    const rec = await until('the tool group to run', () => {
      const r = readJob(rig!.paths.jobsDir, id);
      return r.pgid && groupMembers(r.pgid).length >= 3 ? r : undefined;
    });
    const pgid = rec.pgid!;
    cleanups.push(() => {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        /* gone, as it should be */
      }
    });
    process.kill(rec.pid!, 'SIGKILL');
    await until('the runner to die', () => !isAlive(rec.pid));
    // the job reads lost, and says its tool still runs
    const lost = await until('the store to show the lost job', () => core.cluster.getState().jobs.find((j) => j.id === id && j.state === 'lost'));
    expect(lost.toolAlive).toBe(true);
    expect(lost.summary).toMatch(/its tool still runs \(process group \d+\): x or :cancel ends it/);
    expect(groupMembers(pgid).length).toBeGreaterThanOrEqual(3);
    // x is not "no job is running": it asks, and the answer ends the group
    const ask = await core.executor.run('cancel', [], ALICE, ui);
    expect(ask).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    const t2 = (ask as { confirmation: { token: string } }).confirmation.token;
    expect(await core.executor.run('cancel', [], ALICE, ui, { token: t2, text: 'y' })).toEqual({ ok: true });
    await until('every process of the group to end', () => groupMembers(pgid).length === 0);
    await until('the store to see the group gone', () => core.cluster.getState().jobs.find((j) => j.id === id && j.state === 'lost' && !j.toolAlive));
    expect(core.executor.disabledReason(core.registry.get('cancel')!, ALICE, ui)).toBe('no job is running');
  });
});
