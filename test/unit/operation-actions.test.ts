// The operation actions through the executor with a stand-in operation service: the preview is
// computed in prepare and asked as the question, the answer starts that very preview, refusals
// come before anything changes, disabled reasons name the running operation.
import { describe, expect, it } from 'vitest';
import { Executor, type ConfirmAnswer } from '../../src/actions/executor.js';
import { ActionRegistry } from '../../src/actions/registry.js';
import { operationActions } from '../../src/actions/operation-actions.js';
import { jobActions } from '../../src/actions/job-actions.js';
import type { JobService, OperationPreview, OperationService } from '../../src/services.js';
import type { Session } from '../../src/session.js';
import type { HostRow } from '../../src/domain/host.js';
import { createClusterStore, type OperationBrief } from '../../src/store/cluster-store.js';
import { createUiStore, currentScreen, type UiStore } from '../../src/store/ui-store.js';
import { scalewayAccess, sshAccess } from '../../src/domain/credential-access.js';

const steps = (ids: string[]) => ids.map((id) => ({ id, title: `step ${id}` }));

function setup() {
  const calls: string[] = [];
  const operations: OperationService = {
    previewAdd: async (names) => (calls.push(`previewAdd ${names.join(',') || '-'}`), { kind: 'add', hosts: names.length ? names : ['kvm-4'], steps: steps(['config', 'plan', 'deploy']), lines: [] }),
    previewRemove: async (name) => {
      calls.push(`previewRemove ${name}`);
      if (name === 'fe') throw new Error('fe is the frontend: it can never be removed');
      return { kind: 'remove', hosts: [name], steps: steps(['onehost-disable', 'drain']), lines: [`${name} runs 1 VM:`, '  VM 13 web → kvm-3'] };
    },
    start: async (s, p: OperationPreview) => (calls.push(`start ${p.kind} ${p.hosts.join(',')} by ${s.user}`), `op-${p.kind}`),
    resume: async (_s, id) => void calls.push(`resume ${id}`),
    cancel: (_s, id) => void calls.push(`cancel ${id}`),
    abandon: (_s, id) => void calls.push(`abandon ${id}`),
    rollbackPreview: async (id) => ({ kind: 'remove', hosts: ['kvm-4'], steps: steps(['plan']), lines: [`undo ${id}`] }),
    rollback: async (_s, id) => (calls.push(`rollback ${id}`), 'op-rb'),
  };
  const jobs: JobService = {
    plan: async () => (calls.push('plan'), 'job-plan'),
    apply: async () => 'a',
    playbook: async () => 'p',
    cancel: async (_s, id) => void calls.push(`job cancel ${id}`),
    saveLog: async () => '/tmp/x',
  };
  const cluster = createClusterStore({ name: 't', zone: 'fr-par-2', region: 'fr-par', opennebulaVersion: '7.0', sandbox: true, configFile: null, refreshSeconds: 10 });
  const v = { verdict: { kind: 'healthy', reasons: [] } };
  cluster.setState({ hosts: [{ key: 'fe', role: 'frontend', ...v }, { key: 'kvm-1', role: 'hypervisor', ...v }, { key: 'kvm-2', role: 'hypervisor', ...v }] as unknown as HostRow[] });
  const ui = createUiStore();
  const exec = new Executor(new ActionRegistry([...operationActions(), ...jobActions()]), cluster, { operations, jobs });
  const session: Session = { id: 's', readonly: false, user: 'alice' };
  return { calls, cluster, ui, exec, session };
}

function answer(ui: UiStore, text = 'y'): ConfirmAnswer {
  const token = ui.getState().prompt?.onYes?.token;
  if (!token) throw new Error('no confirmation was asked');
  return { token, text };
}

const running = (o: Partial<OperationBrief> = {}): OperationBrief => ({
  id: 'op-1', kind: 'add', title: 'add kvm-4', hosts: ['kvm-4'], state: 'running', user: 'bob', createdAt: 1, details: [], step: 'plan',
  steps: [{ id: 'config', title: 'config', state: 'done', attempts: 1, jobIds: [], log: [] }, { id: 'plan', title: 'the plan', state: 'running', attempts: 1, jobIds: ['j1'], log: [] }],
  ...o,
});

describe('operation actions', () => {
  it('+ computes the preview first, asks it (every step) and starts exactly it on y', async () => {
    const { exec, ui, session, calls } = setup();
    const asked = await exec.run('add', [], session, ui);
    expect(asked).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(ui.getState().prompt?.question).toBe('add kvm-4: 3 steps\n  1. step config\n  2. step plan\n  3. step deploy\nrun it? [y/N]');
    expect(calls).toEqual(['previewAdd -']);
    expect(await exec.run('add', [], session, ui, answer(ui))).toEqual({ ok: true });
    expect(calls).toEqual(['previewAdd -', 'start add kvm-4 by alice']);
    expect(currentScreen(ui.getState())).toMatchObject({ id: 'op', arg: 'op-add' });
    expect(ui.getState().focusedOp).toBe('op-add');
  });

  it('- asks for the host name typed, with its VMs and where they go; a wrong name runs nothing', async () => {
    const { exec, ui, session, calls } = setup();
    ui.setState({ selected: 2 });
    const first = await exec.run('remove', [], session, ui);
    expect(first).toMatchObject({ reason: 'needs-confirmation' });
    const p = ui.getState().prompt!;
    expect(p).toMatchObject({ kind: 'typed-confirm', expect: 'kvm-2' });
    expect(p.question).toContain('  VM 13 web → kvm-3');
    expect((await exec.run('remove', [], session, ui, answer(ui, 'kvm-1'))).ok).toBe(false);
    expect(calls).toEqual(['previewRemove kvm-2']);
    await exec.run('remove', [], session, ui);
    expect(await exec.run('remove', [], session, ui, answer(ui, 'kvm-2'))).toEqual({ ok: true });
    expect(calls.at(-1)).toBe('start remove kvm-2 by alice');
  });

  it('refusals before anything changes: the frontend (from the preview), a read-only session (before any preview)', async () => {
    const { exec, ui, session, calls } = setup();
    const fe = await exec.run('remove', ['fe'], session, ui);
    expect(fe).toMatchObject({ ok: false, reason: 'failed', message: expect.stringContaining('fe is the frontend: it can never be removed') });
    const ro = { ...session, readonly: true };
    expect(await exec.run('add', ['kvm-9'], ro, ui)).toMatchObject({ ok: false, reason: 'readonly' });
    expect(await exec.run('remove', ['kvm-1'], ro, ui)).toMatchObject({ ok: false, reason: 'readonly' });
    expect(await exec.run('resume', ['op-1'], ro, ui)).toMatchObject({ ok: false, reason: 'readonly' });
    expect(calls).toEqual(['previewRemove fe']);
  });

  it('while an operation runs: + and p are disabled naming it, x cancels the operation', async () => {
    const { exec, ui, session, calls, cluster } = setup();
    cluster.setState({ operations: [running()], lockHolder: { jobId: 'op-1', kind: 'operation', title: 'add kvm-4', user: 'bob' } });
    expect(await exec.run('add', [], session, ui)).toMatchObject({ reason: 'disabled', message: expect.stringContaining('operation add kvm-4 is running (op-1, bob)') });
    expect(await exec.run('plan', [], session, ui)).toMatchObject({ reason: 'disabled', message: expect.stringContaining('operation add kvm-4 is running (op-1, bob)') });
    await exec.run('cancel', [], session, ui);
    expect(ui.getState().prompt?.question).toMatch(/^cancel operation add kvm-4 at the plan\?/);
    expect(await exec.run('cancel', [], session, ui, answer(ui))).toEqual({ ok: true });
    expect(calls).toEqual(['cancel op-1']);
  });

  it(':resume and :rollback name the step and what they undo; the answer runs them', async () => {
    const { exec, ui, session, calls, cluster } = setup();
    // the runner has written its end and lets the lock go a moment later: not busy any more
    cluster.setState({ operations: [running({ state: 'failed', message: 'boom' })], lockHolder: { jobId: 'op-1', kind: 'operation', title: 'add kvm-4', user: 'bob' } });
    await exec.run('resume', ['op-1'], session, ui);
    expect(ui.getState().prompt?.question).toBe('resume add kvm-4 from the plan? [y/N]');
    await exec.run('resume', ['op-1'], session, ui, answer(ui));
    await exec.run('rollback', ['op-1'], session, ui);
    expect(ui.getState().prompt).toMatchObject({ kind: 'typed-confirm', expect: 'kvm-4' });
    expect(ui.getState().prompt?.question).toContain('undo op-1');
    await exec.run('rollback', ['op-1'], session, ui, answer(ui, 'kvm-4'));
    expect(calls).toEqual(['resume op-1', 'rollback op-1']);
  });
});

describe('operation actions with credentials that leave them out', () => {
  it('a read-only key: add, remove, rollback and the resume of an add are refused with the reason before any preview; prepare never runs', async () => {
    const { exec, ui, session, calls, cluster } = setup();
    const P = '11111111-1111-4111-a111-111111111111';
    cluster.setState({ access: { scaleway: scalewayAccess({ determined: true, bearer: 'application ci 1f2e…', grants: [{ set: 'AllProductsReadOnly', projectIds: [P] }] }, P) } });
    const why = /^Scaleway key is read-only: apply, add and remove left out/;
    for (const id of ['add', 'remove', 'rollback']) {
      const r = await exec.run(id, id === 'add' ? [] : ['kvm-2'], session, ui);
      expect(r, id).toMatchObject({ ok: false, reason: 'disabled', message: expect.stringMatching(new RegExp(`: ${why.source.slice(1)}`)) });
    }
    cluster.setState({ operations: [running({ id: 'op-9', state: 'interrupted' })] });
    ui.setState({ selected: 0 });
    // on :ops with it selected: disabled, with the reason
    ui.setState({ stack: [{ id: 'hosts' }, { id: 'ops' }] } as never);
    expect(await exec.run('resume', [], session, ui)).toMatchObject({ ok: false, reason: 'disabled', message: expect.stringMatching(why.source.slice(1)) });
    // named on the command line from elsewhere: asked, then refused with the reason when answered
    ui.setState({ stack: [{ id: 'hosts' }] } as never);
    const asked = await exec.run('resume', ['op-9'], session, ui);
    if (!asked.ok && asked.reason === 'needs-confirmation') {
      const r = await exec.run('resume', ['op-9'], session, ui, answer(ui));
      expect(r).toMatchObject({ ok: false, reason: 'failed', message: expect.stringMatching(why.source.slice(1)) });
    } else expect(asked).toMatchObject({ ok: false, message: expect.stringMatching(why.source.slice(1)) });
    expect(calls).toEqual([]);
  });

  it('a user without sudo anywhere: add and remove are refused too (they run OneDeploy and onehost as root)', async () => {
    const { exec, ui, session, calls, cluster } = setup();
    cluster.setState({ access: { ssh: sshAccess('ubuntu', { fe: false, 'kvm-1': false }) } });
    expect(await exec.run('add', [], session, ui)).toMatchObject({ ok: false, reason: 'disabled', message: expect.stringMatching(/SSH user ubuntu has no passwordless sudo/) });
    expect(calls).toEqual([]);
  });
});
