// The bench's pure parts: reading what a terminal received, /proc figures, statistics, and the
// one line printed per figure. No I/O here, so test/unit/bench-lib.test.ts can check each one.

// CSI (with private markers), OSC (BEL or ST ended), and two-byte escapes
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?<>=!]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\x1b[()][0-9A-Za-z]/g;

/** The text of terminal output without its escape sequences. */
export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

/** Full-screen clears in terminal output: `ESC[2J` (erase display) and `ESC c` (reset). */
export function countClears(s: string): number {
  // eslint-disable-next-line no-control-regex
  return (s.match(/\x1b\[2J|\x1bc/g) ?? []).length;
}

/** The host the selection marker `▸` points at in this output, the last one if several. */
export function selectedIn(output: string): string | undefined {
  const text = stripAnsi(output);
  let found: string | undefined;
  for (const m of text.matchAll(/▸\s*([\w.-]+)/g)) found = m[1];
  return found;
}

/** utime + stime (clock ticks) from the text of /proc/<pid>/stat. */
export function cpuTicks(stat: string): number {
  // the command name (field 2) is in parentheses and may hold spaces: count from after it
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime is field 14, stime field 15
  return Number(rest[11]) + Number(rest[12]);
}

/** VmRSS in bytes from the text of /proc/<pid>/status. */
export function rssBytes(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

/** The p-th percentile (0..100) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

export interface Figure {
  /** short name, as in the issue's table */
  name: string;
  value: number;
  unit: 'ms' | '%' | 'B' | 'x' | 'lines' | 'clears' | 's' | 'starts';
  /** the figure must stay at or below this (NaN: not measured) */
  bound: number;
  /** ms figures: the same value divided by a bare `node -e 0` start */
  ratio?: number;
  note?: string;
}

export function ok(f: Figure): boolean {
  return Number.isFinite(f.value) && f.value <= f.bound;
}

function fmt(v: number, unit: Figure['unit']): string {
  if (!Number.isFinite(v)) return 'n/a';
  switch (unit) {
    case 'ms':
      return `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
    case 's':
      return `${v.toFixed(2)} s`;
    case '%':
      return `${v.toFixed(2)} %`;
    case 'x':
      return `${v.toFixed(2)}x`;
    case 'B':
      return v >= 1024 * 1024 ? `${(v / 1024 / 1024).toFixed(1)} MB` : v >= 1024 ? `${(v / 1024).toFixed(2)} KB` : `${Math.round(v)} B`;
    default:
      return `${Math.round(v)} ${unit}`;
  }
}

/** One printed line: name, value (and ratio to bare node), bound, ok/over. */
export function figureLine(f: Figure, nameWidth = 58): string {
  const ratio = f.ratio !== undefined && Number.isFinite(f.ratio) ? ` (${f.ratio.toFixed(2)}x node)` : '';
  const value = `${fmt(f.value, f.unit)}${ratio}`;
  const verdict = ok(f) ? 'ok' : 'OVER';
  return `${f.name.padEnd(nameWidth)} ${value.padStart(24)}  bound ${fmt(f.bound, f.unit).padStart(9)}  ${verdict}${f.note ? `  (${f.note})` : ''}`;
}

/** Lines of a job log that are the flood tool's numbered lines, and the first missing number. */
export function countFloodLines(log: string, expected: number): { found: number; missing: number } {
  const seen = new Uint8Array(expected);
  let found = 0;
  for (const m of log.matchAll(/^flood (\d+) /gm)) {
    const n = Number(m[1]);
    if (n < expected && !seen[n]) {
      seen[n] = 1;
      found++;
    }
  }
  return { found, missing: expected - found };
}
