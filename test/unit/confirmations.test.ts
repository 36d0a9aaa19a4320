// The executor owns confirmations: an action that asks runs only with the token of a question the
// executor issued to this session, for this action, these arguments and this very question.
import { describe, expect, it } from 'vitest';
import { Executor, type ConfirmAnswer, type RunOutcome } from '../../src/actions/executor.js';
import { ActionRegistry } from '../../src/actions/registry.js';
import type { ActionDef } from '../../src/actions/types.js';
import type { Session } from '../../src/session.js';
import { createClusterStore } from '../../src/store/cluster-store.js';
import { createUiStore, type UiStore } from '../../src/store/ui-store.js';

function setup() {
  const ran: string[] = [];
  let question = 'deploy on every host? [y/N]';
  let clock = 1_000;
  const defs: ActionDef[] = [
    { id: 'deploy', title: 'deploy', keys: [], scope: 'global', mutating: true, confirm: (_c, args) => ({ question: `${question} ${args.join(',')}` }), run: (_c, args) => void ran.push(`deploy ${args.join(',')}`) },
    { id: 'hooks', title: 'hooks', keys: [], scope: 'global', mutating: true, confirm: () => ({ question: 'hooks? [y/N]' }), run: () => void ran.push('hooks') },
    { id: 'destroy', title: 'destroy', keys: [], scope: 'global', mutating: true, aliases: ['rm'], confirm: () => ({ question: 'destroy kvm-3? type kvm-3', expect: 'kvm-3' }), run: (c) => void ran.push(`destroy ${c.confirmed}`) },
  ];
  const cluster = createClusterStore({ name: 't', zone: 'fr-par-2', region: 'fr-par', opennebulaVersion: '7.0', sandbox: true, configFile: null, refreshSeconds: 10 });
  const exec = new Executor(new ActionRegistry(defs), cluster, {}, undefined, { now: () => clock, confirmTtlMs: 60_000 });
  const s1: Session = { id: 's1', readonly: false, user: 'alice' };
  const s2: Session = { id: 's2', readonly: false, user: 'bob' };
  return {
    ran, exec, s1, s2,
    setQuestion: (q: string) => (question = q),
    tick: (ms: number) => (clock += ms),
  };
}

const tokenOf = (o: RunOutcome): string => {
  if (o.ok || o.reason !== 'needs-confirmation' || !o.confirmation) throw new Error(`no confirmation issued: ${JSON.stringify(o)}`);
  return o.confirmation.token;
};
const y = (o: RunOutcome, text = 'y'): ConfirmAnswer => ({ token: tokenOf(o), text });
const promptToken = (ui: UiStore) => ui.getState().prompt?.onYes?.token;

describe('the executor owns confirmations', () => {
  it('an answer passed on the first call does not run an action that asks: it asks', async () => {
    const { exec, s1, ran } = setup();
    const ui = createUiStore();
    // the answer as a bare string, the way callers passed it before: no confirmation matches it
    const first = await exec.run('deploy', [], s1, ui, 'y' as unknown as ConfirmAnswer);
    expect(first).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(ran).toEqual([]);
    const forged = await exec.run('deploy', [], s1, ui, { token: 'made-up', text: 'y' });
    expect(forged).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(ran).toEqual([]);
    // the question is in the prompt, with the token the executor issued
    expect(ui.getState().prompt).toMatchObject({ kind: 'confirm', onYes: { action: 'deploy', args: [], token: tokenOf(forged) } });
    expect(await exec.run('deploy', [], s1, ui, { token: promptToken(ui)!, text: 'y' })).toEqual({ ok: true });
    expect(ran).toEqual(['deploy ']);
  });

  it('a token for action A with args X runs neither A with args Y nor action B', async () => {
    const { exec, s1, ran } = setup();
    const ui = createUiStore();
    const asked = await exec.run('deploy', ['kvm-1'], s1, ui);
    expect(await exec.run('deploy', ['kvm-2'], s1, ui, y(asked))).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    const askedAgain = await exec.run('deploy', ['kvm-1'], s1, ui);
    expect(await exec.run('hooks', [], s1, ui, y(askedAgain))).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(ran).toEqual([]);
  });

  it('a token issued to session 1 does not work for session 2 (and stays good for session 1)', async () => {
    const { exec, s1, s2, ran } = setup();
    const ui1 = createUiStore();
    const ui2 = createUiStore();
    const asked = await exec.run('deploy', [], s1, ui1);
    expect(await exec.run('deploy', [], s2, ui2, y(asked))).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(ran).toEqual([]);
    expect(await exec.run('deploy', [], s1, ui1, y(asked))).toEqual({ ok: true });
    expect(ran).toEqual(['deploy ']);
  });

  it('a token is used once: a second answer with it is refused and asked again', async () => {
    const { exec, s1, ran } = setup();
    const ui = createUiStore();
    const asked = await exec.run('deploy', [], s1, ui);
    expect(await exec.run('deploy', [], s1, ui, y(asked))).toEqual({ ok: true });
    const again = await exec.run('deploy', [], s1, ui, y(asked));
    expect(again).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(tokenOf(again)).not.toBe(tokenOf(asked));
    expect(ran).toEqual(['deploy ']);
  });

  it('a wrong answer spends the token too', async () => {
    const { exec, s1, ran } = setup();
    const ui = createUiStore();
    const asked = await exec.run('deploy', [], s1, ui);
    expect(await exec.run('deploy', [], s1, ui, y(asked, 'n'))).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(await exec.run('deploy', [], s1, ui, y(asked))).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(ran).toEqual([]);
  });

  it('a question that changed since it was asked is asked again; the new answer runs it', async () => {
    const { exec, s1, ran, setQuestion } = setup();
    const ui = createUiStore();
    const asked = await exec.run('deploy', [], s1, ui);
    setQuestion('deploy on every host, kvm-4 included? [y/N]');
    const changed = await exec.run('deploy', [], s1, ui, y(asked));
    expect(changed).toMatchObject({ ok: false, reason: 'needs-confirmation', message: expect.stringContaining('changed since you were asked') });
    expect(ui.getState().prompt?.question).toMatch(/changed since you were asked.*kvm-4 included/);
    expect(ran).toEqual([]);
    expect(await exec.run('deploy', [], s1, ui, y(changed))).toEqual({ ok: true });
    expect(ran).toEqual(['deploy ']);
  });

  it('a typed confirmation needs the expected text; an alias answers for its action', async () => {
    const { exec, s1, ran } = setup();
    const ui = createUiStore();
    const asked = await exec.run('rm', [], s1, ui);
    expect(asked).toMatchObject({ confirmation: { expect: 'kvm-3' } });
    expect(ui.getState().prompt).toMatchObject({ kind: 'typed-confirm', expect: 'kvm-3', onYes: { action: 'destroy' } });
    expect(await exec.run('destroy', [], s1, ui, y(asked, 'y'))).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(ran).toEqual([]);
    expect(await exec.run('destroy', [], s1, ui, { token: promptToken(ui)!, text: 'kvm-3' })).toEqual({ ok: true });
    expect(ran).toEqual(['destroy kvm-3']);
  });

  it('a confirmation expires', async () => {
    const { exec, s1, ran, tick } = setup();
    const ui = createUiStore();
    const asked = await exec.run('deploy', [], s1, ui);
    tick(60_001);
    expect(await exec.run('deploy', [], s1, ui, y(asked))).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(ran).toEqual([]);
  });

  it('a newer question to the same session revokes the older one', async () => {
    const { exec, s1, ran } = setup();
    const ui = createUiStore();
    const first = await exec.run('deploy', [], s1, ui);
    await exec.run('hooks', [], s1, ui);
    expect(await exec.run('deploy', [], s1, ui, y(first))).toMatchObject({ ok: false, reason: 'needs-confirmation' });
    expect(ran).toEqual([]);
  });
});
