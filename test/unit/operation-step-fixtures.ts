// What the unit tests of single add/remove steps hand a step: its dependencies (StepDeps) and its
// context (StepContext) with nothing real behind them, each field overridable.
import { PER_HOST_RESOURCES } from '../../src/operations/plan-check.js';
import type { StepDeps } from '../../src/operations/step-deps.js';
import type { JobOutcome, OperationJobRequest, StepContext } from '../../src/operations/types.js';

/** every per-host resource of `host` in a plan, with this action */
export const perHost = (host: string, action: string) => PER_HOST_RESOURCES.map((b) => ({ addr: `${b}["${host}"]`, action }));

/** a cluster of `hypervisors` where nothing answers and nothing is applied, unless overridden */
export function fakeStepDeps(hypervisors: string[], over: Partial<StepDeps> = {}): StepDeps {
  return {
    jobs: {} as StepDeps['jobs'],
    frontend: async () => ({ stdout: '', stderr: '', code: 0 }),
    onePrefix: '',
    serverStatus: async () => undefined,
    applied: async () => false,
    sshAnswers: async () => false,
    config: { file: '/dev/null', read: () => ({ frontend: 'fe', hypervisors, privateIps: {} }) },
    renderInventory: async () => {},
    knownHostNames: (h) => [h],
    dropKnownHosts: async () => 0,
    timing: { serverReadyMs: 1000, drainMs: 1000, monitoredMs: 1000, pollMs: 10 },
    ...over,
  };
}

/** a job starter that records each request in `ran`; a plan job's plan holds `plan` */
export function recordingJobs(plan: { addr: string; action: string }[], ran: OperationJobRequest[]): StepContext['runJob'] {
  let n = 0;
  return async (req): Promise<JobOutcome> => {
    ran.push(req);
    const id = `${req.kind}-${++n}`;
    return req.kind === 'plan' ? { id, state: 'succeeded', plan: { resources: plan } } : { id, state: 'succeeded' };
  };
}

/** a step's first run with no outputs and a clock standing at 0, unless overridden */
export function fakeStepContext(over: Partial<StepContext> = {}): StepContext {
  return {
    operationId: 'op',
    spec: {} as StepContext['spec'],
    signal: new AbortController().signal,
    log: () => {},
    runJob: async () => ({ id: 'x', state: 'succeeded' }),
    outputs: {},
    attempt: 1,
    now: () => 0,
    sleep: async () => {},
    ...over,
  };
}
