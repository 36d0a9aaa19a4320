// The confirmations the executor has issued: each is bound to one session, one action, its
// arguments and the question it asked (a digest of the question and the expected text). An
// answer counts only against a matching, still-valid, unused confirmation; each is used once.
import { createHash, randomBytes } from 'node:crypto';
import type { Confirmation } from './types.js';

/** What a front end shows and gives back: the token names the confirmation it answers. */
export interface IssuedConfirmation {
  token: string;
  /** the question as shown (it may say that it changed since last asked) */
  question: string;
  /** the text to type (a destroy); absent: a y/N question, answered 'y' */
  expect?: string;
  /** epoch ms after which the answer is refused (and asked again) */
  expiresAt: number;
}

/** An answer to an issued confirmation: its token, and 'y' or the typed text. */
export interface ConfirmAnswer {
  token: string;
  text: string;
}

/** The executor's own record of a confirmation it issued. */
export interface ConfirmationRecord extends IssuedConfirmation {
  session: string;
  action: string;
  args: string[];
  /** sha256 of the action, its arguments, the question and the expected text */
  digest: string;
  issuedAt: number;
}

export interface Subject {
  session: string;
  /** the action's id (not an alias) */
  action: string;
  args: string[];
  /** what the action asks now */
  ask: Confirmation;
}

/** why an answer was not accepted: none given, no such (valid) token for this, the question changed, the wrong text */
export type Verdict = 'accepted' | 'unanswered' | 'no-match' | 'changed' | 'wrong-answer';

const DEFAULT_TTL_MS = 10 * 60_000;

export function digestOf(s: Omit<Subject, 'session'>): string {
  return createHash('sha256')
    .update(JSON.stringify([s.action, s.args, s.ask.question, s.ask.expect ?? null]))
    .digest('hex');
}

export class ConfirmationBook {
  private readonly byToken = new Map<string, ConfirmationRecord>();
  private readonly now: () => number;
  private readonly ttlMs: number;

  constructor(opts: { now?: () => number; ttlMs?: number } = {}) {
    this.now = opts.now ?? Date.now;
    this.ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
  }

  /** Issue a confirmation for `s`; `shown` is the question as displayed. A session has one open question: older ones are revoked. */
  issue(s: Subject, shown: string = s.ask.question): IssuedConfirmation {
    const at = this.now();
    for (const [t, r] of this.byToken) if (r.session === s.session || r.expiresAt <= at) this.byToken.delete(t);
    const rec: ConfirmationRecord = {
      token: randomBytes(12).toString('base64url'),
      question: shown,
      expect: s.ask.expect,
      expiresAt: at + this.ttlMs,
      session: s.session,
      action: s.action,
      args: [...s.args],
      digest: digestOf(s),
      issuedAt: at,
    };
    this.byToken.set(rec.token, rec);
    return { token: rec.token, question: rec.question, expect: rec.expect, expiresAt: rec.expiresAt };
  }

  /** Check `answer` against what `s` asks now; a matching confirmation is spent whatever the verdict. */
  redeem(answer: ConfirmAnswer | undefined, s: Subject): Verdict {
    if (!answer) return 'unanswered';
    const rec = this.byToken.get(answer.token);
    // another session's token is not this session's to spend
    if (!rec || rec.session !== s.session) return 'no-match';
    this.byToken.delete(answer.token);
    if (rec.expiresAt <= this.now()) return 'no-match';
    if (rec.action !== s.action || JSON.stringify(rec.args) !== JSON.stringify(s.args)) return 'no-match';
    if (rec.digest !== digestOf(s)) return 'changed';
    const wanted = s.ask.expect ?? 'y';
    return answer.text === wanted || (!s.ask.expect && answer.text === 'Y') ? 'accepted' : 'wrong-answer';
  }

  /** open confirmations (tests) */
  size(): number {
    return this.byToken.size;
  }
}
