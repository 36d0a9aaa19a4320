import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { OnedeckError } from '../../src/errors.js';

function usageError(argv: string[]): OnedeckError {
  try {
    parseCli(argv);
  } catch (e) {
    if (e instanceof OnedeckError) return e;
    throw e;
  }
  throw new Error('expected a usage error');
}

describe('--refresh', () => {
  it('takes 1..3600 seconds, as refresh_seconds does', () => {
    expect(parseCli(['--refresh', '1']).refresh).toBe(1);
    expect(parseCli(['-r', '3600']).refresh).toBe(3600);
  });

  it('refuses a value a timer cannot hold (3000000) with a usage error, exit 64', () => {
    const e = usageError(['--refresh', '3000000']);
    expect(e.message).toBe('--refresh must be a number of seconds from 1 to 3600, got "3000000".');
    expect(e.exitCode).toBe(64);
    expect(usageError(['--refresh', '3601']).exitCode).toBe(64);
    expect(usageError(['--refresh', '0']).exitCode).toBe(64);
    expect(usageError(['--refresh', 'abc']).exitCode).toBe(64);
    expect(usageError(['--refresh', 'Infinity']).exitCode).toBe(64);
  });
});

describe('the headless twins of + and -', () => {
  it('parses onedeck add NAME… --yes and onedeck remove NAME --yes --confirm NAME --json', () => {
    expect(parseCli(['add', 'kvm-4', 'kvm-5', '--yes'])).toMatchObject({ command: 'add', rest: ['kvm-4', 'kvm-5'], yes: true });
    expect(parseCli(['add'])).toMatchObject({ command: 'add', rest: [], yes: false });
    expect(parseCli(['remove', 'kvm-2', '--yes', '--confirm', 'kvm-2', '--json'])).toMatchObject({ command: 'remove', rest: ['kvm-2'], yes: true, confirm: 'kvm-2', json: true });
  });
});
