// The wait for MONITORED: a new host OpenNebula shows in ERROR for a moment (a first monitoring
// probe failed) is still waited for; one it keeps in ERROR past the grace fails the step with
// OpenNebula's own error, on the step's clock (no real time passes here).
import { describe, expect, it } from 'vitest';
import { addSteps } from '../../src/operations/add-steps.js';
import type { StepDeps } from '../../src/operations/step-deps.js';
import type { StepContext } from '../../src/operations/types.js';
import { fakeStepContext, fakeStepDeps } from './operation-step-fixtures.js';

const ERR = 'Wed Dec 02 02:00:00 2026 : Error monitoring Host 10.16.0.9 (9): monitor probe failed: timeout';

/** onehost list -j answering each probe with the next state of host 9 (the last one repeats) */
function deps(states: number[]): StepDeps {
  let i = 0;
  const hostList = () => {
    const state = states[Math.min(i++, states.length - 1)];
    return JSON.stringify({ HOST_POOL: { HOST: [{ ID: '9', NAME: '10.16.0.9', STATE: String(state), TEMPLATE: { HOSTNAME: 'kvm-9', ...(state === 3 ? { ERROR: ERR } : {}) }, HOST_SHARE: {}, VMS: {} }] } });
  };
  return fakeStepDeps(['kvm-9'], {
    frontend: async (cmd) => ({ stdout: cmd.includes('onehost') ? hostList() : JSON.stringify({ VM_POOL: {} }), stderr: '', code: 0 }),
    config: { file: '/dev/null', read: () => ({ frontend: 'fe', hypervisors: ['kvm-9'], privateIps: { 'kvm-9': '10.16.0.9' } }) },
    timing: { serverReadyMs: 60_000, drainMs: 60_000, monitoredMs: 600_000, pollMs: 1000, monitoredErrorMs: 5000 },
  });
}

function ctx(log: string[]): StepContext {
  let t = 0;
  return fakeStepContext({ log: (l) => void log.push(l), now: () => t, sleep: async (ms) => void (t += ms) });
}

const monitored = (d: StepDeps) => addSteps(['kvm-9'], d).find((s) => s.id === 'monitored')!;

describe('waiting for a new host to be MONITORED', () => {
  it('an ERROR shorter than the grace is waited out', async () => {
    const log: string[] = [];
    await monitored(deps([0, 3, 3, 3, 2])).act(ctx(log));
    expect(log).toEqual(['kvm-9: host 9 INIT', `kvm-9: host 9 ERROR: ${ERR}`, 'kvm-9: host 9 MONITORED']);
  });

  it('an ERROR that lasts past the grace fails the step with OpenNebula\'s error', async () => {
    const err = await monitored(deps([0, 3])).act(ctx([])).catch((e: Error) => e);
    expect((err as Error).message).toBe(`kvm-9: OpenNebula keeps host 9 in ERROR: ${ERR}`);
    expect((err as { hint?: string }).hint).toMatch(/resume/);
  });
});
