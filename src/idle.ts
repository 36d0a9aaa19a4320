// The core's idle signal: what is in flight right now (a health sweep, an action's run, a job
// refresh that a file change has scheduled, rendering the inventory after an apply). Tests wait
// on `whenIdle()` instead of sleeping; `busy()` names what is still going on.

export interface Activity {
  /** something started; call the returned function once it is over (a second call does nothing) */
  begin(label: string): () => void;
  /** `begin` for a promise: over when it settles */
  track<T>(label: string, p: Promise<T>): Promise<T>;
  /** labels of what is in flight, oldest first */
  busy(): string[];
  /** resolves once nothing is in flight, and nothing started again within the same turn of the event loop */
  whenIdle(): Promise<void>;
}

export function createActivity(): Activity {
  let seq = 0;
  const inflight = new Map<number, string>();
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (inflight.size > 0 || waiters.length === 0) return;
    // work that ends often starts its follow-up in the same turn (a sweep schedules its timer,
    // a refresh starts a follower): look again after that turn
    setImmediate(() => {
      if (inflight.size > 0) return;
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    });
  };
  const begin = (label: string) => {
    const id = ++seq;
    inflight.set(id, label);
    return () => {
      if (inflight.delete(id)) settle();
    };
  };
  return {
    begin,
    track(label, p) {
      const done = begin(label);
      p.then(done, done);
      return p;
    },
    busy: () => [...inflight.values()],
    whenIdle() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        settle();
      });
    },
  };
}

/** for code built without a tracker */
export const NO_ACTIVITY: Activity = {
  begin: () => () => {},
  track: (_label, p) => p,
  busy: () => [],
  whenIdle: () => Promise.resolve(),
};
