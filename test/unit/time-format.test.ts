// One age and one duration formatter for the TUI, `status`, verdict reasons and job logs.
import { describe, expect, it } from 'vitest';
import { ageClock, formatAge, formatClock, formatDuration } from '../../src/domain/time-format.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('formatAge', () => {
  it('says an age in its largest whole unit: 45s, 12m, 5h, 3d', () => {
    expect([45 * S, 12 * M, 5 * H, 3 * D].map(formatAge)).toEqual(['45s', '12m', '5h', '3d']);
  });
  it('switches unit at a minute, an hour and a day (30 hours is 1d, not 30h)', () => {
    expect([59 * S, 60 * S, 59 * M + 59 * S, H, 23 * H + 59 * M, D, 30 * H].map(formatAge)).toEqual(['59s', '1m', '59m', '1h', '23h', '1d', '1d']);
  });
  it('rounds to the second and never goes below 0s', () => {
    expect([0, 499, 500, -5000].map(formatAge)).toEqual(['0s', '0s', '1s', '0s']);
  });
});

describe('formatDuration', () => {
  it('says a duration in two units: 4s, 2m05s, 1h05m, 2d03h', () => {
    expect([4 * S, 2 * M + 5 * S, H + 5 * M, 2 * D + 3 * H].map(formatDuration)).toEqual(['4s', '2m05s', '1h05m', '2d03h']);
  });
  it('writes 65 minutes as 1h05m, not 65m00s', () => {
    expect(formatDuration(65 * M)).toBe('1h05m');
    expect([59 * S, 60 * S, 59 * M + 59 * S, 23 * H + 59 * M].map(formatDuration)).toEqual(['59s', '1m00s', '59m59s', '23h59m']);
  });
  it('never goes below 0s', () => {
    expect(formatDuration(-1)).toBe('0s');
  });
});

describe('formatClock', () => {
  it('is the local time of day with seconds', () => {
    const t = new Date(2026, 0, 2, 3, 4, 5).getTime();
    expect(formatClock(t)).toBe('03:04:05');
  });
});

describe('ageClock', () => {
  it('steps in the refresh interval, at most 10 s (1 s under a 5 s refresh), on the step boundaries', () => {
    const t = 1_764_000_003_700; // 3.7 s past a 10 s boundary
    expect(ageClock(t, 5)).toBe(1_764_000_000_000);
    expect(ageClock(t, 30)).toBe(1_764_000_000_000);
    expect(ageClock(1_764_000_007_000, 5)).toBe(1_764_000_005_000);
    expect(ageClock(1_764_000_007_000, 10)).toBe(1_764_000_000_000);
    expect(ageClock(1_764_000_017_000, 60)).toBe(1_764_000_010_000);
    expect(ageClock(t, 4)).toBe(1_764_000_003_000);
    expect(ageClock(t, 2)).toBe(1_764_000_003_000);
    // every time within one step reads the same, so every age on screen moves at the same instant
    const seen = new Set(Array.from({ length: 50 }, (_, i) => ageClock(1_764_000_000_000 + i * 100, 10)));
    expect([...seen]).toEqual([1_764_000_000_000]);
  });
});
