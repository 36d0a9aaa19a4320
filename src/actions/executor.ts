// The single door through which every action runs. It enforces read-only (whatever the UI
// shows), disabled reasons and confirmations, and reports the outcome to the session.
import type { ClusterStore } from '../store/cluster-store.js';
import type { UiStore } from '../store/ui-store.js';
import type { ActionContext, ActionDef } from './types.js';
import type { Services } from '../services.js';
import type { Session } from '../session.js';
import { actionLabel, type ActionRegistry } from './registry.js';
import type { Activity } from '../idle.js';

export type RunOutcome =
  | { ok: true }
  | { ok: false; reason: 'unknown' | 'readonly' | 'disabled' | 'needs-confirmation' | 'failed'; message: string };

export interface AuditSink {
  (entry: { at: number; session: Session; action: string; args: string[]; outcome: RunOutcome['ok'] | string }): void;
}

export class Executor {
  /** the question last asked per session, action and arguments */
  private readonly asked = new Map<string, string>();
  constructor(
    private readonly registry: ActionRegistry,
    private readonly cluster: ClusterStore,
    private readonly services: Services,
    private readonly audit: AuditSink = () => {},
    /** the core's idle signal: a running action counts as busy */
    private readonly activity?: Activity,
  ) {}

  /** Why `def` cannot run for this session right now, or undefined. */
  disabledReason(def: ActionDef, session: Session, ui: UiStore): string | undefined {
    if (def.mutating && session.readonly) return 'read-only session: this action changes the cluster';
    try {
      return def.disabledReason?.(this.context(session, ui));
    } catch (err) {
      return `cannot tell whether it can run: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  async run(
    id: string,
    args: string[],
    session: Session,
    ui: UiStore,
    confirmed?: string,
  ): Promise<RunOutcome> {
    const def = this.registry.get(id);
    const done = this.activity?.begin(`action ${id}`);
    const outcome = await this.runDef(def, id, args, session, ui, confirmed).finally(done);
    this.audit({ at: Date.now(), session, action: id, args, outcome: outcome.ok || outcome.reason });
    if (!outcome.ok && outcome.reason !== 'needs-confirmation') {
      ui.setState({ flash: { level: outcome.reason === 'failed' ? 'error' : 'warn', text: outcome.message, at: Date.now() } });
    }
    return outcome;
  }

  private async runDef(
    def: ActionDef | undefined,
    id: string,
    args: string[],
    session: Session,
    ui: UiStore,
    confirmed?: string,
  ): Promise<RunOutcome> {
    if (!def) return { ok: false, reason: 'unknown', message: `no action named "${id}"; press ? for the list` };
    // read-only is checked here, at the one choke point, before anything else can happen
    if (def.mutating && session.readonly) {
      return { ok: false, reason: 'readonly', message: `${actionLabel(def)}: not available, this session is read-only` };
    }
    const ctx = this.context(session, ui, confirmed);
    let why: string | undefined;
    let ask: ReturnType<NonNullable<ActionDef['confirm']>>;
    try {
      why = def.disabledReason?.(ctx);
      ask = why ? undefined : def.confirm?.(ctx, args);
    } catch (err) {
      // a check that throws must not crash the session: nothing runs, and the operator is told
      return { ok: false, reason: 'failed', message: `${actionLabel(def)}: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (why) return { ok: false, reason: 'disabled', message: `${actionLabel(def)}: ${why}` };
    if (ask) {
      const given = confirmed;
      const key = `${session.id}\0${id}\0${args.join(' ')}`;
      // an answer is to the question that was asked: if what the action would do has changed since
      // (another plan finished in between, say), the operator is asked again
      const askedBefore = this.asked.get(key);
      const sameQuestion = askedBefore === undefined || askedBefore === ask.question;
      const accepted = sameQuestion && (ask.expect ? given === ask.expect : given === 'y');
      if (!accepted) {
        this.asked.set(key, ask.question);
        ui.setState({
          prompt: {
            kind: ask.expect ? 'typed-confirm' : 'confirm',
            text: '',
            question: sameQuestion ? ask.question : `this changed since you were asked. ${ask.question}`,
            expect: ask.expect,
            onYes: { action: id, args },
          },
        });
        return { ok: false, reason: 'needs-confirmation', message: sameQuestion ? ask.question : `it changed since you were asked: ${ask.question}` };
      }
      this.asked.delete(key);
    }
    try {
      await def.run(ctx, args);
      return { ok: true };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, reason: 'failed', message: `${actionLabel(def)}: ${message}` };
    }
  }

  private context(session: Session, ui: UiStore, confirmed?: string): ActionContext {
    return { cluster: this.cluster, ui, session, services: this.services, confirmed, keyOf: (a) => this.registry.keyOf(a) };
  }
}
