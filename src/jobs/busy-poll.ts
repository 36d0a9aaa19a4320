// A poll that looks often only while something runs: `tick` every `busyMs` while `busy()` says so,
// else every `idleMs` (a watcher of finished jobs or operations has nothing to look at 4 times a
// second). The job watcher and the operation watcher share it.

/** Start the poll; returns its stop. `busy` is asked after each tick, for the next delay. */
export function busyPoll(o: { tick: () => void; busy: () => boolean; idleMs: number; busyMs?: number }): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const next = (): void => {
    timer = setTimeout(() => {
      o.tick();
      if (!stopped) next();
    }, o.busy() ? Math.min(o.busyMs ?? 250, o.idleMs) : o.idleMs);
    timer.unref?.();
  };
  next();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
