import { describe, expect, it } from 'vitest';
import { parseCli, USAGE } from '../../src/cli/args.js';

describe('onedeck run arguments', () => {
  it('takes the action, its arguments and the answers, wherever the options stand', () => {
    expect(parseCli(['run', 'deploy', 'kvm-1', 'kvm-2', '--yes', '--json'])).toMatchObject({ command: 'run', rest: ['deploy', 'kvm-1', 'kvm-2'], yes: true, json: true, list: false });
    expect(parseCli(['run', '--confirm', 'kvm-3', 'apply'])).toMatchObject({ command: 'run', rest: ['apply'], yes: false, confirm: 'kvm-3' });
    expect(parseCli(['run', '-y', 'plan', '--readonly'])).toMatchObject({ rest: ['plan'], yes: true, readonly: true });
    expect(parseCli(['run', '--list'])).toMatchObject({ command: 'run', rest: [], list: true });
  });

  it('--confirm needs its text; --help documents run', () => {
    expect(() => parseCli(['run', 'apply', '--confirm'])).toThrow(/confirm/);
    expect(USAGE).toMatch(/onedeck run ACTION/);
    expect(USAGE).toMatch(/--confirm NAME/);
    expect(USAGE).toMatch(/onedeck run --list/);
  });
});
