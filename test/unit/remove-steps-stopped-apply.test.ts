// The remove steps after an apply stopped mid-destroy (its runner killed, the apply cancelled or
// refused half-way): the saved plan is stale, so a resumed apply plans again. Nothing left of the
// host: done. Some of it left (the server, its IPs; the Flexible IP gone already): that rest is
// destroyed. A re-plan that touches anything else is still refused.
import { describe, expect, it } from 'vitest';
import { removeSteps } from '../../src/operations/remove-steps.js';
import type { StepDeps } from '../../src/operations/step-deps.js';
import type { OperationJobRequest, StepContext } from '../../src/operations/types.js';
import { fakeStepContext, fakeStepDeps, perHost as per, recordingJobs } from './operation-step-fixtures.js';

function deps(server: boolean): StepDeps {
  return fakeStepDeps(['kvm-1', 'kvm-2'], {
    serverStatus: async () => (server ? { status: 'ready', installStatus: 'completed' } : undefined),
    applied: async () => server,
  });
}

function ctx(attempt: number, plan: { addr: string; action: string }[], ran: OperationJobRequest[], waited: string[] = [], outputs: Record<string, unknown> = { plan: { planJobId: 'plan-0' } }): StepContext {
  return fakeStepContext({ runJob: recordingJobs(plan, ran), waitEarlierJobs: async () => void waited.push('earlier'), outputs, attempt });
}

const apply = (server: boolean) => removeSteps('kvm-2', deps(server)).find((s) => s.id === 'apply')!;
const plan = (server: boolean) => removeSteps('kvm-2', deps(server)).find((s) => s.id === 'plan')!;
const ipams = per('kvm-2', 'delete').filter((x) => x.addr.startsWith('scaleway_ipam_ip'));

describe('removing after an apply stopped mid-destroy', () => {
  it('a first apply applies the checked plan; a plan that found nothing of the host skips it', async () => {
    const ran: OperationJobRequest[] = [];
    await apply(true).act(ctx(1, [], ran));
    expect(ran).toEqual([{ kind: 'apply', planJobId: 'plan-0' }]);
    expect(await apply(false).check!(ctx(1, [], [], [], { plan: { nothing: true } }))).toMatchObject({ message: 'nothing of kvm-2 is left to destroy' });
    // a gone server alone is no reason to skip: what is left of the host may not be gone
    expect(await apply(false).check!(ctx(1, [], []))).toBe(false);
    expect(await apply(false).check!(ctx(2, [], []))).toBe(false);
  });

  it('the server gone already (a rollback after a refused create): the plan destroys its leftover IPs, or finds nothing', async () => {
    expect(plan(false).check).toBeUndefined();
    const ran: OperationJobRequest[] = [];
    expect(await plan(false).act(ctx(1, ipams, ran, [], {}))).toMatchObject({ data: { planJobId: 'plan-1' }, message: 'plan plan-1: 2 to destroy' });
    expect(await plan(false).act(ctx(1, [], [], [], {}))).toMatchObject({ data: { nothing: true }, message: 'nothing of kvm-2 is left to destroy' });
    // with the server still there, the plan must destroy it and its Flexible IP
    const err = await plan(true).act(ctx(1, ipams, [], [], {})).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/\(missing\) scaleway_baremetal_server\.host\["kvm-2"\]/);
  });

  it('resumed: waits for the earlier apply, plans again, and is done when nothing of the host is left', async () => {
    const ran: OperationJobRequest[] = [];
    const waited: string[] = [];
    const r = await apply(false).act(ctx(2, [{ addr: 'scaleway_vpc.main', action: 'no-op' }], ran, waited));
    expect(waited).toEqual(['earlier']);
    expect(ran.map((x) => x.kind)).toEqual(['plan']);
    expect(r).toMatchObject({ message: 'the earlier apply finished it' });
  });

  it('resumed with the Flexible IP gone already: destroys the rest (a new plan, applied)', async () => {
    const ran: OperationJobRequest[] = [];
    const rest = per('kvm-2', 'delete').filter((x) => !x.addr.startsWith('scaleway_flexible_ip'));
    const r = await apply(true).act(ctx(2, rest, ran));
    expect(ran).toEqual([{ kind: 'plan', hypervisors: ['kvm-1'] }, { kind: 'apply', planJobId: 'plan-1' }]);
    expect(r).toMatchObject({ message: 'apply apply-2 succeeded' });
  });

  it('resumed: a re-plan that touches another host is refused, nothing applied', async () => {
    const ran: OperationJobRequest[] = [];
    const err = await apply(true).act(ctx(2, [...per('kvm-2', 'delete'), { addr: 'scaleway_baremetal_server.host["kvm-1"]', action: 'delete' }], ran)).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/the plan for removing kvm-2 would touch more than it should[\s\S]*delete scaleway_baremetal_server\.host\["kvm-1"\]/);
    expect(ran.map((x) => x.kind)).toEqual(['plan']);
  });
});
