// The one way tests wait: poll a condition until it holds, and fail with what was awaited (and what
// was seen) after a generous deadline. The deadline only bounds a hung test; no assertion depends
// on how fast something happens.

export interface WaitOpts {
  /** give up after this long (default 4 s) */
  timeoutMs?: number;
  /** poll every this many ms (default 10) */
  everyMs?: number;
  /** what was seen, appended to the failure message */
  seen?: () => string;
}

const opts = (o: number | WaitOpts | undefined): WaitOpts => (typeof o === 'number' ? { timeoutMs: o } : o ?? {});

/** Wait until `probe` returns a truthy value, and return it. */
export async function until<T>(what: string | (() => string), probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, o?: number | WaitOpts): Promise<T> {
  const { timeoutMs = 4000, everyMs = 10, seen } = opts(o);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) {
      const name = typeof what === 'function' ? what() : what;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${name}${seen ? `; saw:\n${seen()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Wait until `cond` holds. */
export async function waitFor(cond: () => boolean, what: string | (() => string), o?: number | WaitOpts): Promise<void> {
  await until(what, () => cond() || undefined, o);
}

const has = (text: string, m: string | RegExp): boolean => (typeof m === 'string' ? text.includes(m) : m.test(text));

/**
 * `shows(text)` for a screen: waits until the screen holds `text` (a string or a pattern) and
 * returns the screen; the failure message shows the last screen.
 */
export function showsOn(screen: () => string, defaults: WaitOpts = {}) {
  return (m: string | RegExp, o?: number | WaitOpts): Promise<string> =>
    until(`the screen to show ${String(m)}`, () => {
      const s = screen();
      return has(s, m) ? s : undefined;
    }, { seen: screen, ...defaults, ...opts(o) });
}

/** the same for text that has to go away */
export function goneFrom(screen: () => string, defaults: WaitOpts = {}) {
  return (m: string | RegExp, o?: number | WaitOpts): Promise<string> =>
    until(`${String(m)} to leave the screen`, () => {
      const s = screen();
      return has(s, m) ? undefined : s;
    }, { seen: screen, ...defaults, ...opts(o) });
}
