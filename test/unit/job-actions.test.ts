import { describe, expect, it } from 'vitest';
import { jobActions } from '../../src/actions/job-actions.js';
import { Executor, type ConfirmAnswer } from '../../src/actions/executor.js';
import { ActionRegistry } from '../../src/actions/registry.js';
import type { JobService } from '../../src/services.js';
import type { Session } from '../../src/session.js';
import type { HostRow } from '../../src/domain/host.js';
import { createClusterStore, type ClusterState, type PendingPlan } from '../../src/store/cluster-store.js';
import { createUiStore, type UiStore } from '../../src/store/ui-store.js';

const pending = (jobId: string, destroys: string[] = []): PendingPlan => ({ jobId, add: 1, change: 0, destroy: destroys.length, destroys });

/** `published`: what the job watcher would have put in the cluster store */
function setup(published: Partial<ClusterState> = {}) {
  const calls: string[] = [];
  const jobs: JobService = {
    plan: async (s) => (calls.push(`plan by ${s.user}`), 'job-plan'),
    apply: async (s, p) => (calls.push(`apply ${p} by ${s.user}`), 'job-apply'),
    playbook: async (s, k, limit) => (calls.push(`${k} ${limit?.join(',') ?? '-'}`), `job-${k}`),
    cancel: async (s, id) => void calls.push(`cancel ${id} by ${s.user}`),
    saveLog: async () => '/tmp/x.log',
  };
  const cluster = createClusterStore({ name: 't', zone: 'fr-par-2', region: 'fr-par', opennebulaVersion: '7.0', sandbox: true, configFile: null, refreshSeconds: 10 });
  cluster.setState({
    hosts: [{ key: 'fe', role: 'frontend' }, { key: 'kvm-1', role: 'hypervisor' }, { key: 'kvm-2', role: 'hypervisor' }] as HostRow[],
    ...published,
  });
  const ui = createUiStore();
  const exec = new Executor(new ActionRegistry(jobActions()), cluster, { jobs });
  const session: Session = { id: 's', readonly: false, user: 'alice' };
  return { calls, cluster, ui, exec, session };
}

/** the answer to the question the session's prompt shows */
function answer(ui: UiStore, text = 'y'): ConfirmAnswer {
  const token = ui.getState().prompt?.onYes?.token;
  if (!token) throw new Error('no confirmation was asked');
  return { token, text };
}

/** run an action that asks, answering its question with y */
async function yes(exec: Executor, id: string, args: string[], session: Session, ui: UiStore) {
  const asked = await exec.run(id, args, session, ui);
  if (asked.ok || asked.reason !== 'needs-confirmation') return asked;
  return exec.run(id, args, session, ui, answer(ui));
}

describe('job actions', () => {
  it('a plan runs at once and focuses its log', async () => {
    const { exec, ui, session, calls } = setup();
    expect(await exec.run('plan', [], session, ui)).toEqual({ ok: true });
    expect(calls).toEqual(['plan by alice']);
    expect(ui.getState().focusedJob).toBe('job-plan');
  });

  it('every job action is refused while another job runs, and in a read-only session', async () => {
    const { exec, ui, session, cluster } = setup({ lockHolder: { jobId: 'job-9', kind: 'deploy', title: 'OneDeploy', user: 'bob' } });
    cluster.setState({ jobs: [{ id: 'job-9', kind: 'deploy', title: 'OneDeploy', command: '', mutating: true, user: 'bob', startedAt: 1, state: 'running', logFile: '' }] });
    const r = await exec.run('deploy', [], session, ui);
    expect(r).toEqual({ ok: false, reason: 'disabled', message: expect.stringContaining('another job is running (job job-9 (OneDeploy, bob))') });
    const ro = await exec.run('plan', [], { ...session, readonly: true }, ui);
    expect(ro.ok).toBe(false);
    expect(ro.ok === false && ro.reason).toBe('readonly');
  });

  it('a job that ended since the last poll does not refuse the next one: the run path reads the jobs again before refusing', async () => {
    const { exec, ui, session, cluster, calls } = setup({ lockHolder: { jobId: 'job-9', kind: 'apply', title: 'apply', user: 'alice' } });
    const svc = (exec as unknown as { services: { jobs: JobService } }).services.jobs;
    let reads = 0;
    // what the job watcher would read now: the apply's runner freed the lock and wrote its end
    svc.refresh = () => {
      reads++;
      cluster.setState({ lockHolder: undefined });
    };
    // rendering asks without reading anything: the store still names the apply
    expect(exec.disabledReason(exec['registry'].get('deploy')!, session, ui)).toContain('another job is running');
    expect(reads).toBe(0);
    expect(await exec.run('deploy', ['kvm-1'], session, ui, undefined)).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(reads).toBe(1);
    expect(await exec.run('deploy', ['kvm-1'], session, ui, answer(ui))).toEqual({ ok: true });
    expect(calls).toEqual(['deploy fe,kvm-1']); // OneDeploy on a host runs on the frontend too
    // still held after the fresh read: refused with the holder, as before
    const held = setup({ lockHolder: { jobId: 'job-9', kind: 'apply', title: 'apply', user: 'bob' } });
    const heldSvc = (held.exec as unknown as { services: { jobs: JobService } }).services.jobs;
    heldSvc.refresh = () => undefined;
    expect(await held.exec.run('deploy', [], held.session, held.ui)).toMatchObject({ reason: 'disabled', message: expect.stringContaining('another job is running (job job-9 (apply, bob))') });
  });

  it('apply is disabled without a plan; a plan without destroys asks y/N', async () => {
    const none = setup();
    expect(await none.exec.run('apply', [], none.session, none.ui)).toMatchObject({ reason: 'disabled', message: expect.stringContaining('no plan to apply: press p first') });
    const { exec, ui, session, calls } = setup({ pendingPlan: pending('job-p') });
    const ask = await exec.run('apply', [], session, ui);
    expect(ask).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(ui.getState().prompt).toMatchObject({ kind: 'confirm', expect: undefined });
    expect(await exec.run('apply', [], session, ui, answer(ui))).toEqual({ ok: true });
    expect(calls).toEqual(['apply job-p by alice']);
  });

  it('a plan that destroys needs the typed names of what it destroys', async () => {
    const { exec, ui, session, calls } = setup({
      pendingPlan: pending('job-p', ['scaleway_baremetal_server.hypervisor["kvm-3"]']),
    });
    await exec.run('apply', [], session, ui);
    expect(ui.getState().prompt).toMatchObject({ kind: 'typed-confirm', expect: 'kvm-3' });
    expect(ui.getState().prompt?.question).toContain('DESTROYS scaleway_baremetal_server.hypervisor["kvm-3"]');
    expect((await exec.run('apply', [], session, ui, answer(ui, 'y'))).ok).toBe(false);
    expect(calls).toEqual([]);
    expect(await exec.run('apply', [], session, ui, answer(ui, 'kvm-3'))).toEqual({ ok: true });
    expect(calls).toEqual(['apply job-p by alice']);
  });

  it('deploy on named hosts keeps the frontend in the limit; unknown hosts are refused', async () => {
    const { exec, ui, session, calls } = setup();
    expect(await yes(exec, 'deploy', ['kvm-2'], session, ui)).toEqual({ ok: true });
    expect(await yes(exec, 'hooks', [], session, ui)).toEqual({ ok: true });
    expect(await yes(exec, 'validate', ['kvm-2'], session, ui)).toEqual({ ok: true });
    expect(calls).toEqual(['deploy fe,kvm-2', 'hooks -', 'validate -']);
    const bad = await exec.run('deploy', ['kvm-7'], session, ui);
    expect(bad).toMatchObject({ ok: false, reason: 'failed', message: expect.stringContaining('no host named "kvm-7"') });
    expect(calls).toHaveLength(3);
  });

  it('playbooks are disabled with the reason until there are servers to build the inventory from', async () => {
    const { exec, ui, session, calls } = setup({ inventoryProblem: 'no servers yet: plan and apply first (p, then a)' });
    for (const id of ['deploy', 'hooks', 'validate', 'network']) {
      expect(await exec.run(id, [], session, ui)).toMatchObject({ ok: false, reason: 'disabled', message: expect.stringContaining('no servers yet') });
    }
    expect(calls).toEqual([]);
    expect(await exec.run('plan', [], session, ui)).toEqual({ ok: true });
  });

  it('a missing tool (as the watcher published it) disables the actions that run it, and only those', async () => {
    const { exec, ui, session, calls } = setup({ toolProblems: { ansible: 'ansible-playbook not found' }, inventoryProblem: undefined });
    expect(await exec.run('deploy', [], session, ui)).toMatchObject({ ok: false, reason: 'disabled', message: expect.stringContaining('ansible-playbook not found') });
    expect(await exec.run('plan', [], session, ui)).toEqual({ ok: true });
    const noTofu = setup({ toolProblems: { tofu: 'neither tofu nor terraform found on PATH' }, pendingPlan: pending('job-p') });
    for (const id of ['plan', 'apply', 'init']) {
      expect(await noTofu.exec.run(id, [], noTofu.session, noTofu.ui)).toMatchObject({ reason: 'disabled', message: expect.stringContaining('neither tofu nor terraform') });
    }
    expect([...calls, ...noTofu.calls]).toEqual(['plan by alice']);
  });

  it('the network play targets only the named hosts, asks first, and is refused read-only', async () => {
    const { exec, ui, session, calls } = setup();
    expect(await exec.run('network', ['kvm-2'], session, ui)).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(ui.getState().prompt?.question).toMatch(/host network .* on kvm-2\?/);
    expect(await exec.run('network', ['kvm-2'], session, ui, answer(ui))).toEqual({ ok: true });
    expect(calls).toEqual(['network kvm-2']);
    expect(await exec.run('network', [], { ...session, readonly: true }, ui)).toMatchObject({ ok: false, reason: 'readonly' });
    expect(calls).toHaveLength(1);
  });

  it('cancel asks first and targets the running job', async () => {
    const idle = setup();
    expect(await idle.exec.run('cancel', [], idle.session, idle.ui)).toMatchObject({ reason: 'disabled', message: expect.stringContaining('no job is running') });
    // the lock holder is one of this cluster's jobs (another cluster's is never this session's to cancel)
    const job9 = { id: 'job-9', kind: 'deploy', title: 'OneDeploy', command: 'ansible-playbook', mutating: true, user: 'bob', startedAt: 1, state: 'running', logFile: 'x' } as const;
    const other = setup({ lockHolder: { jobId: 'job-9', kind: 'deploy', title: 'OneDeploy', user: 'bob' }, otherJobs: [job9] });
    expect(await other.exec.run('cancel', [], other.session, other.ui)).toMatchObject({ reason: 'disabled', message: expect.stringContaining('no job is running') });
    const { exec, ui, session, calls } = setup({ lockHolder: { jobId: 'job-9', kind: 'deploy', title: 'OneDeploy', user: 'bob' }, jobs: [job9] });
    expect((await exec.run('cancel', [], session, ui)).ok).toBe(false);
    expect(ui.getState().prompt?.question).toContain('cancel job job-9');
    expect(await exec.run('cancel', [], session, ui, answer(ui))).toEqual({ ok: true });
    expect(calls).toEqual(['cancel job-9 by alice']);
  });
});

describe('answers and questions', () => {
  it('an answer applies only to the plan it was asked about: a newer plan is asked again', async () => {
    const { exec, ui, session, calls, cluster } = setup({ pendingPlan: pending('plan-A') });
    expect(await exec.run('apply', [], session, ui)).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(ui.getState().prompt?.question).toContain('plan-A');
    // another operator's plan finished before this one answered
    cluster.setState({ pendingPlan: pending('plan-B') });
    const stale = await exec.run('apply', [], session, ui, answer(ui));
    expect(stale).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(ui.getState().prompt?.question).toMatch(/changed since you were asked.*plan-B/);
    expect(calls).toEqual([]);
    // answering the new question applies the new plan
    expect(await exec.run('apply', [], session, ui, answer(ui))).toEqual({ ok: true });
    expect(calls).toEqual(['apply plan-B by alice']);
  });
});

describe('the executor under a failing check', () => {
  it('a disabled reason or a confirmation that throws refuses the action instead of crashing', async () => {
    const boom = (): never => {
      throw new Error('state file unreadable');
    };
    const ran: string[] = [];
    const defs = [
      { id: 'a', title: 'a', keys: [], scope: 'global' as const, mutating: false, disabledReason: boom, run: () => void ran.push('a') },
      { id: 'b', title: 'b', keys: [], scope: 'global' as const, mutating: false, confirm: boom, run: () => void ran.push('b') },
    ];
    const cluster = createClusterStore({ name: 't', zone: 'fr-par-2', region: 'fr-par', opennebulaVersion: '7.0', sandbox: true, configFile: null, refreshSeconds: 10 });
    const exec = new Executor(new ActionRegistry(defs), cluster, {});
    const ui = createUiStore();
    const session: Session = { id: 's', readonly: false, user: 'alice' };
    expect(await exec.run('a', [], session, ui)).toMatchObject({ ok: false, reason: 'failed', message: 'a: state file unreadable' });
    expect(await exec.run('b', [], session, ui)).toMatchObject({ ok: false, reason: 'failed' });
    expect(exec.disabledReason(defs[0], session, ui)).toContain('state file unreadable');
    expect(ran).toEqual([]);
  });
});
