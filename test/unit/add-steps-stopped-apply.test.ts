// The add steps after an apply stopped while creating a server: Scaleway shows the server, but
// the apply never completed (no outputs): plan and apply run again (a re-plan first), and a plan
// that would create a second server next to a lost one is refused, naming the way out.
import { describe, expect, it } from 'vitest';
import { addSteps } from '../../src/operations/add-steps.js';
import type { StepDeps } from '../../src/operations/step-deps.js';
import type { OperationJobRequest, StepContext } from '../../src/operations/types.js';
import { fakeStepContext, fakeStepDeps, perHost as per, recordingJobs } from './operation-step-fixtures.js';

function deps(o: { server: boolean; applied: boolean }): StepDeps {
  return fakeStepDeps(['kvm-1', 'kvm-5'], {
    serverStatus: async () => (o.server ? { status: 'ready', installStatus: 'completed' } : undefined),
    applied: async () => o.applied,
  });
}

function ctx(attempt: number, plan: { addr: string; action: string }[], ran: OperationJobRequest[]): StepContext {
  return fakeStepContext({ runJob: recordingJobs(plan, ran), outputs: { plan: { planJobId: 'plan-0' } }, attempt });
}

const step = (d: StepDeps, id: string) => addSteps(['kvm-5'], d).find((s) => s.id === id)!;

describe('adding after an apply stopped mid-create', () => {
  it('a server Scaleway shows is not an applied one: plan and apply are not skipped', async () => {
    const d = deps({ server: true, applied: false });
    expect(await step(d, 'plan').check!(ctx(1, [], []))).toBe(false);
    expect(await step(d, 'apply').check!(ctx(1, [], []))).toBe(false);
    const done = deps({ server: true, applied: true });
    expect(await step(done, 'apply').check!(ctx(1, [], []))).toMatchObject({ message: 'the servers exist already' });
  });

  it('a resumed apply plans again (the tainted server replaced) and applies that plan', async () => {
    const ran: OperationJobRequest[] = [];
    const tainted = [...per('kvm-5', 'create').slice(1), { addr: 'scaleway_baremetal_server.host["kvm-5"]', action: 'replace' }];
    const r = await step(deps({ server: true, applied: false }), 'apply').act(ctx(2, tainted, ran));
    expect(ran.map((x) => x.kind)).toEqual(['plan', 'apply']);
    expect(ran[1]).toEqual({ kind: 'apply', planJobId: 'plan-1' });
    expect(r).toMatchObject({ message: 'apply apply-2 succeeded' });
    // a first attempt applies the checked plan of the plan step
    const first: OperationJobRequest[] = [];
    await step(deps({ server: false, applied: false }), 'apply').act(ctx(1, [], first));
    expect(first).toEqual([{ kind: 'apply', planJobId: 'plan-0' }]);
  });

  it('refuses a plan that would create a second server next to one Terraform lost', async () => {
    const ran: OperationJobRequest[] = [];
    const err = await step(deps({ server: true, applied: false }), 'plan').act(ctx(1, per('kvm-5', 'create'), ran)).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/kvm-5: Scaleway already has a server for it \(ready\) that the Terraform state does not hold/);
    expect((err as { hint?: string }).hint).toMatch(/terraform import 'scaleway_baremetal_server\.host\["kvm-5"\]'/);
    expect(ran.map((x) => x.kind)).toEqual(['plan']);
  });
});
