// Watchers only read: a onedeck core whose session is read-only watches another (writable) core's
// plan and apply run to the end, sweeps, and refuses what its session asks, and writes no file but
// its own onedeck.log. Every file under the rig (state dir, terraform/, ansible/) is snapshotted
// (path, mtime, size) before and after; only the jobs' own files may differ.
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/compose.js';
import { FILES, jobDir } from '../../src/jobs/job-store.js';
import type { Session } from '../../src/session.js';
import { createUiStore } from '../../src/store/ui-store.js';
import { ALICE, composeRigCore, ensureRunner, finished, makeRig, makeService, until, type Rig, type ServiceHandle } from './jobs-helpers.js';

type Snapshot = Map<string, { mtimeMs: number; size: number }>;

function snapshot(root: string): Snapshot {
  const out: Snapshot = new Map();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== 'onedeck.log') {
        const st = statSync(p, { throwIfNoEntry: false }); // a temp file renamed away meanwhile
        if (st) out.set(relative(root, p), { mtimeMs: st.mtimeMs, size: st.size });
      }
    }
  };
  walk(root);
  return out;
}

/** Paths new, changed or gone between two snapshots. */
function changes(before: Snapshot, after: Snapshot): string[] {
  const out = new Set<string>();
  for (const [p, v] of after) {
    const b = before.get(p);
    if (!b || b.mtimeMs !== v.mtimeMs || b.size !== v.size) out.add(p);
  }
  for (const p of before.keys()) if (!after.has(p)) out.add(p);
  return [...out].sort();
}

let rig: Rig | undefined;
let ro: Core | undefined;
let writer: ServiceHandle | undefined;
beforeAll(async () => {
  await ensureRunner();
});
afterEach(async () => {
  writer?.service.stop();
  await ro?.stop();
  rig?.cleanup();
  rig = writer = ro = undefined;
});

describe('a read-only session watching jobs', () => {
  it('writes no file while another core plans and applies, sweeps, and refuses its own actions', async () => {
    rig = makeRig();
    const tf = rig.config.paths.terraform;
    // a local state older than any outputs file: a sweep that ran `tofu output -json` would write
    // the outputs cache here; a read-only one only reads
    writeFileSync(join(tf, 'terraform.tfstate'), JSON.stringify({ version: 4, outputs: {} }));
    utimesSync(join(tf, 'terraform.tfstate'), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const jobsRel = relative(rig.dir, rig.paths.jobsDir);
    const session: Session = { id: 'watcher', readonly: true, user: 'carol' };
    const ui = createUiStore();

    // 1. watching a plan
    const before = snapshot(rig.dir);
    ro = composeRigCore(rig);
    ro.start();
    await ro.services.refresh!();
    writer = makeService(rig, { inventoryAfterApply: true });
    writer.service.start();
    const planId = await writer.service.plan(ALICE);
    expect((await finished(rig, planId)).state).toBe('succeeded');
    await until('the read-only core to see the plan', () => ro!.cluster.getState().pendingPlan?.jobId === planId);
    await ro.services.refresh!();
    const afterPlan = snapshot(rig.dir);
    // the writer's job puts itself on the audit log before it starts (its own write, as alice)
    const auditRel = relative(rig.dir, join(rig.paths.stateDir, 'audit.log'));
    const planChanges = changes(before, afterPlan).filter((p) => !p.startsWith(join(jobsRel, planId)));
    expect(planChanges.filter((p) => p !== auditRel)).toEqual([]);

    // 2. watching an apply: it writes the outputs and the inventory itself, before it is recorded as finished
    const applyId = await writer.service.apply(ALICE, planId);
    expect((await finished(rig, applyId)).state).toBe('succeeded');
    await until('the read-only core to see the apply', () => ro!.cluster.getState().jobs.find((j) => j.id === applyId && j.state === 'succeeded'));
    await until('the plan consumed in the read-only store', () => ro!.cluster.getState().pendingPlan === undefined);
    await ro.services.refresh!();
    // the read-only session asks for what it may not do: refused, and still nothing written
    for (const action of ['plan', 'apply', 'deploy', 'cancel']) {
      expect(await ro.executor.run(action, [], session, ui, { token: 'made-up', text: 'y' })).toMatchObject({ ok: false, reason: 'readonly' });
    }
    await ro.services.refresh!();
    const after = snapshot(rig.dir);
    const finalStatus = statSync(join(jobDir(rig.paths.jobsDir, applyId), FILES.status)).mtimeMs;
    const outputs = relative(rig.dir, join(tf, '.onedeck-outputs.json'));
    const inventory = relative(rig.dir, rig.config.paths.inventory);
    const applyChanges = changes(afterPlan, after).filter((p) => !p.startsWith(join(jobsRel, applyId)));
    expect(applyChanges.filter((p) => p !== auditRel)).toEqual([outputs, inventory].sort());
    // every audit line is the writer's: the read-only session (carol) wrote none
    const audit = readFileSync(join(rig.paths.stateDir, 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { user: string });
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.filter((l) => l.user !== 'alice')).toEqual([]);
    // …and both were written by the apply job, not by a watcher that saw it end
    for (const p of [outputs, inventory]) expect(after.get(p)!.mtimeMs, p).toBeLessThanOrEqual(finalStatus);
    // the refusals went to onedeck's own log
    await until('the refusals in onedeck.log', () => statSync(rig!.paths.logFile).size > 0);
  });
});
