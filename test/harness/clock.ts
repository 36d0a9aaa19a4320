// A clock that moves only when a test moves it: the TUI (TuiOptions.clock), the core's formatting and
// the fixtures all read it, so every age and duration on screen is known before the test runs.
/** the fixed "now" of the fixtures: 2025-11-24 16:00:00 UTC */
export const NOW = 1_764_000_000_000;

export interface FakeClock {
  /** the time, as Date.now() would say it */
  (): number;
  set(t: number): void;
  advance(ms: number): void;
}

export function fakeClock(start = NOW): FakeClock {
  let t = start;
  const clock = (() => t) as FakeClock;
  clock.set = (v) => void (t = v);
  clock.advance = (ms) => void (t += ms);
  return clock;
}
