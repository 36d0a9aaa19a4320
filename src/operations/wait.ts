// Polling with a deadline on the step's clock, abortable by a cancel.
import { OnedeckError } from '../errors.js';
import type { StepContext } from './types.js';

/** Call `probe` every `pollMs` until it returns a value, or throw `onTimeout()` after `timeoutMs`. */
export async function pollUntil<T>(ctx: StepContext, o: { timeoutMs: number; pollMs: number; probe: () => Promise<T | undefined>; onTimeout: () => OnedeckError | Error }): Promise<T> {
  const deadline = ctx.now() + o.timeoutMs;
  for (;;) {
    const v = await o.probe();
    if (v !== undefined) return v;
    if (ctx.now() >= deadline) throw o.onTimeout();
    await ctx.sleep(o.pollMs);
  }
}

/** Log `line` only when it differs from the last one logged under `key`. */
export function changeLogger(ctx: StepContext): (key: string, line: string) => void {
  const last = new Map<string, string>();
  return (key, line) => {
    if (last.get(key) === line) return;
    last.set(key, line);
    ctx.log(line);
  };
}
