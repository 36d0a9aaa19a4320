// The single door through which every action runs. It enforces read-only (whatever the UI
// shows), disabled reasons and confirmations, and reports the outcome to the session.
import type { ClusterStore } from '../store/cluster-store.js';
import type { UiStore } from '../store/ui-store.js';
import type { ActionContext, ActionDef, Confirmation } from './types.js';
import type { Services } from '../services.js';
import type { Session } from '../session.js';
import { actionLabel, type ActionRegistry } from './registry.js';
import { ConfirmationBook, type ConfirmAnswer, type IssuedConfirmation, type Verdict } from './confirmations.js';

export type { ConfirmAnswer, ConfirmationRecord, IssuedConfirmation } from './confirmations.js';
import type { Activity } from '../idle.js';

export type RunOutcome =
  | { ok: true }
  | {
      ok: false;
      reason: 'unknown' | 'readonly' | 'disabled' | 'needs-confirmation' | 'failed';
      message: string;
      /** needs-confirmation: the question the executor issued; answer it with its token */
      confirmation?: IssuedConfirmation;
    };

export interface AuditSink {
  (entry: { at: number; session: Session; action: string; args: string[]; outcome: RunOutcome['ok'] | string }): void;
}

export interface ExecutorOptions {
  /** epoch ms (tests inject one); default Date.now */
  now?: () => number;
  /** how long an issued confirmation can be answered; default 10 minutes */
  confirmTtlMs?: number;
  /** the core's idle signal: a running action counts as busy */
  activity?: Activity;
}

export class Executor {
  private readonly confirmations: ConfirmationBook;
  private readonly now: () => number;
  private readonly activity?: Activity;
  constructor(
    private readonly registry: ActionRegistry,
    private readonly cluster: ClusterStore,
    private readonly services: Services,
    private readonly audit: AuditSink = () => {},
    opts: ExecutorOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.activity = opts.activity;
    this.confirmations = new ConfirmationBook({ now: this.now, ttlMs: opts.confirmTtlMs });
  }

  /** Why `def` cannot run for this session right now, or undefined. */
  disabledReason(def: ActionDef, session: Session, ui: UiStore): string | undefined {
    if (def.mutating && session.readonly) return 'read-only session: this action changes the cluster';
    try {
      return def.disabledReason?.(this.context(session, ui));
    } catch (err) {
      return `cannot tell whether it can run: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /**
   * Run action `id` with `args` for `session`. An action that asks runs only with `answer`: the
   * token of a confirmation this executor issued to this session for this action, these
   * arguments and this very question, still valid and not used yet, and the answer ('y' or the
   * typed text). Without one, the question is issued (the session's prompt shows it) and the
   * outcome is `needs-confirmation` with the issued confirmation. `extra` carries what the key
   * acts on, as shown (ActionContext.viewport).
   */
  async run(
    id: string,
    args: string[],
    session: Session,
    ui: UiStore,
    answer?: ConfirmAnswer,
    extra: Pick<ActionContext, 'viewport'> = {},
  ): Promise<RunOutcome> {
    const def = this.registry.get(id);
    const done = this.activity?.begin(`action ${id}`);
    const outcome = await this.runDef(def, id, args, session, ui, answer, extra).finally(done);
    this.audit({ at: this.now(), session, action: id, args, outcome: outcome.ok || outcome.reason });
    if (!outcome.ok && outcome.reason !== 'needs-confirmation') {
      ui.setState({ flash: { level: outcome.reason === 'failed' ? 'error' : 'warn', text: outcome.message, at: this.now() } });
    }
    return outcome;
  }

  private async runDef(
    def: ActionDef | undefined,
    id: string,
    args: string[],
    session: Session,
    ui: UiStore,
    answer: ConfirmAnswer | undefined,
    extra: Pick<ActionContext, 'viewport'>,
  ): Promise<RunOutcome> {
    if (!def) return { ok: false, reason: 'unknown', message: `no action named "${id}"; press ? for the list` };
    // read-only is checked here, at the one choke point, before anything else can happen
    if (def.mutating && session.readonly) {
      return { ok: false, reason: 'readonly', message: `${actionLabel(def)}: not available, this session is read-only${session.readonlyForced ? ` (${session.readonlyReason})` : ''}` };
    }
    let why: string | undefined;
    let ask: Confirmation | undefined;
    try {
      const probe = { ...this.context(session, ui), ...extra };
      why = def.disabledReason?.(probe);
      ask = why ? undefined : def.confirm?.(probe, args);
    } catch (err) {
      // a check that throws must not crash the session: nothing runs, and the operator is told
      return { ok: false, reason: 'failed', message: `${actionLabel(def)}: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (why && def.mutating && this.services.jobs?.refresh) {
      // the run path may do I/O (rendering never does): a job that ended since the last poll must
      // not refuse the next one, so read the jobs and the lock once more and ask again
      try {
        this.services.jobs.refresh();
        const again = { ...this.context(session, ui), ...extra };
        why = def.disabledReason?.(again);
        ask = why ? undefined : def.confirm?.(again, args);
      } catch (err) {
        return { ok: false, reason: 'failed', message: `${actionLabel(def)}: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    if (why) return { ok: false, reason: 'disabled', message: `${actionLabel(def)}: ${why}` };
    if (def.prepare && !answer) {
      // the async, read-only work the question needs (a preview); it may refuse
      try {
        await def.prepare({ ...this.context(session, ui), ...extra }, args);
        ask = def.confirm?.({ ...this.context(session, ui), ...extra }, args);
      } catch (err) {
        return { ok: false, reason: 'failed', message: `${actionLabel(def)}: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    let confirmed: string | undefined;
    if (ask) {
      const verdict = this.confirmations.redeem(answer, { session: session.id, action: def.id, args, ask });
      if (verdict !== 'accepted') return this.askAgain(def, args, session, ui, ask, verdict);
      confirmed = answer!.text;
    }
    try {
      await def.run({ ...this.context(session, ui, confirmed), ...extra }, args);
      return { ok: true };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, reason: 'failed', message: `${actionLabel(def)}: ${message}` };
    }
  }

  /** issue a (new) confirmation and put it in the session's prompt */
  private askAgain(
    def: ActionDef,
    args: string[],
    session: Session,
    ui: UiStore,
    ask: Confirmation,
    verdict: Exclude<Verdict, 'accepted'>,
  ): RunOutcome {
    // an answer is to the question that was asked: if what the action would do has changed since
    // (another plan finished in between, say), the operator is asked again
    const lead = verdict === 'changed' ? 'this changed since you were asked. ' : '';
    const issued = this.confirmations.issue({ session: session.id, action: def.id, args, ask }, `${lead}${ask.question}`);
    ui.setState({
      prompt: {
        kind: issued.expect ? 'typed-confirm' : 'confirm',
        text: '',
        question: issued.question,
        expect: issued.expect,
        onYes: { action: def.id, args, token: issued.token },
      },
    });
    const message =
      verdict === 'changed'
        ? `it changed since you were asked: ${ask.question}`
        : verdict === 'wrong-answer'
          ? `that answer does not confirm it: ${ask.question}`
          : verdict === 'no-match'
            ? `that answer is to no question asked for this: ${ask.question}`
            : ask.question;
    return { ok: false, reason: 'needs-confirmation', message, confirmation: issued };
  }

  private context(session: Session, ui: UiStore, confirmed?: string): ActionContext {
    return { cluster: this.cluster, ui, session, services: this.services, confirmed, keyOf: (a) => this.registry.keyOf(a) };
  }
}
