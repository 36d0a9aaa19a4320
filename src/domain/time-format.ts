// The one way onedeck writes an age ("how long ago") and a duration ("how long it took"), for the
// TUI, `onedeck status`, verdict reasons and job logs alike. Pure: the caller passes milliseconds.

/** an age in its largest whole unit: 45s, 12m, 5h, 3d (under a minute in seconds, under a day in hours) */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/**
 * The time the screen tells ages from: the clock in steps of the refresh interval, at most 10 s
 * (1 s when the refresh interval is under 5 s), on the step's boundaries. The data itself moves
 * once per refresh; every age on screen then moves at the same instant, once per step, instead of
 * each second at its own phase (each move is a frame: the idle cost), and an age is never more
 * than one step younger than it is. Durations of running things still move each second.
 */
export function ageClock(now: number, refreshSeconds: number): number {
  const step = refreshSeconds < 5 ? 1000 : Math.min(10, Math.floor(refreshSeconds)) * 1000;
  return Math.floor(now / step) * step;
}

/** a duration in two units: 4s, 2m05s, 1h05m, 2d03h */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const two = (n: number) => String(n).padStart(2, '0');
  if (m < 60) return `${m}m${two(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${two(m % 60)}m`;
  return `${Math.floor(h / 24)}d${two(h % 24)}h`;
}

/** a wall-clock time of day, local: 14:03:09 */
export function formatClock(t: number): string {
  const d = new Date(t);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
