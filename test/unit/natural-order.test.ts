// compareNatural (src/actions/natural-order.ts), the hosts table's order: as Intl.Collator's
// numeric order (which it replaced) on the names, roles and states the table sorts.
import { describe, expect, it } from 'vitest';
import { compareNatural } from '../../src/actions/natural-order.js';

const sorted = (xs: string[]) => [...xs].sort(compareNatural);
const icu = (xs: string[]) => [...xs].sort(new Intl.Collator(undefined, { numeric: true }).compare);

describe('compareNatural', () => {
  it('orders numbers in names by their value, letters without regard to case', () => {
    expect(sorted(['kvm-10', 'kvm-2', 'Kvm-3', 'fe', 'kvm-1', 'kvm-100', 'kvm-9'])).toEqual(['fe', 'kvm-1', 'kvm-2', 'Kvm-3', 'kvm-9', 'kvm-10', 'kvm-100']);
    expect(sorted(['x10y2', 'x10y10', 'x9y99', 'x10'])).toEqual(['x9y99', 'x10', 'x10y2', 'x10y10']);
    expect(sorted(['B', 'a', 'c'])).toEqual(['a', 'B', 'c']);
  });

  it('numbers of any length, leading zeros counted by value (ties by the text)', () => {
    expect(sorted(['n123456789012345678901', 'n99999999999999999999', 'n2'])).toEqual(['n2', 'n99999999999999999999', 'n123456789012345678901']);
    expect(compareNatural('kvm-007', 'kvm-7')).not.toBe(0);
    expect(sorted(['kvm-010', 'kvm-9', 'kvm-011'])).toEqual(['kvm-9', 'kvm-010', 'kvm-011']);
    expect(sorted(['a0', 'a00', 'a'])).toEqual(['a', 'a0', 'a00']);
  });

  it("agrees with ICU's numeric collation on the names, roles and states the hosts table sorts", () => {
    const names = Array.from({ length: 60 }, (_, i) => `kvm-${(i * 37) % 60}`).concat(['fe', 'frontend-1', 'hv-a', 'hv-b2', 'hv-b10', 'zz']);
    expect(sorted(names)).toEqual(icu(names));
    const states = ['MONITORED', 'off error', 'ready installing', 'ERROR', 'DISABLED', 'OFFLINE', 'INIT', '~', 'ready installed', 'ready error', 'stopped', 'hypervisor', 'frontend'];
    expect(sorted(states)).toEqual(icu(states));
    const verdicts = ['healthy', 'degraded', 'down', 'unknown', 'not monitored'];
    expect(sorted(verdicts)).toEqual(icu(verdicts));
  });

  it('is a total order: antisymmetric, and 0 only for the same text', () => {
    const xs = ['kvm-1', 'KVM-1', 'kvm-01', 'kvm-1a', 'kvm-1 ', 'kvm1', '', '0', '00', 'a', 'A'];
    for (const a of xs) for (const b of xs) {
      expect(Math.sign(compareNatural(a, b))).toBe(-Math.sign(compareNatural(b, a)) || 0);
      expect(compareNatural(a, b) === 0).toBe(a === b);
    }
  });
});
