import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareHooks, parseProbeOutput } from '../../src/adapters/ssh/probe-parse.js';
import { probeCommand, PROBE_MARKER, PROBE_SCRIPT, shQuote } from '../../src/adapters/ssh/probe-script.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/probe/${name}`, import.meta.url), 'utf8');

describe('parseProbeOutput', () => {
  it('reads whether the probe ran as root (become yes|no); an older probe says nothing', () => {
    expect(parseProbeOutput('onedeck-probe 1\nbecome no\nend\n').become).toBe(false);
    expect(parseProbeOutput('onedeck-probe 1\nbecome yes\nend\n').become).toBe(true);
    expect(parseProbeOutput('onedeck-probe 1\nbecome maybe\nend\n').become).toBeUndefined();
    expect(parseProbeOutput('onedeck-probe 1\nend\n').become).toBeUndefined();
    expect(PROBE_SCRIPT).toContain('if [ "$(id -u)" = 0 ]; then echo "become yes"; else echo "become no"; fi');
  });

  it('parses a healthy host, skipping the banner before the header', () => {
    const p = parseProbeOutput(fixture('healthy.txt'));
    expect(p).toMatchObject({
      version: 1,
      load1: 0.42,
      memTotalKb: 65781244,
      memAvailableKb: 49335933,
      diskUsedPct: 17,
      libvirtd: 'active',
      kvm: 'loaded',
      hooksDir: '/var/tmp/one/vnm/bridge',
      hookErrors24h: 0,
      hookErrors: [],
      complete: true,
    });
    expect(Object.keys(p.hooks)).toEqual(['pre.d/01-scw-flexip-attach.sh', 'clean.d/01-scw-flexip-detach.sh', 'scw-flexip/lib.sh']);
  });

  it('tolerates junk and unknown keys, keeps the 5 newest hook errors, marks unreadable hooks', () => {
    const p = parseProbeOutput(fixture('degraded.txt'));
    expect(p).toMatchObject({ diskUsedPct: 93, libvirtd: 'failed', kvm: 'missing', hookErrors24h: 7 });
    expect(p.hooks['clean.d/01-scw-flexip-detach.sh']).toBeNull();
    expect(p.hookErrors).toHaveLength(5);
    expect(p.hookErrors[4]).toMatch(/ERROR: six: attach failed \(HTTP 409\)$/);
    expect(p.hookErrors[0]).toMatch(/ERROR: two$/);
  });

  it('reports output cut short and maps unknown libvirtd states', () => {
    const p = parseProbeOutput(fixture('truncated.txt'));
    expect(p.complete).toBe(false);
    expect(p.libvirtd).toBe('unknown');
    expect(p.hooksDir).toBeUndefined();
  });

  it('refuses output without the header, saying what came instead', () => {
    expect(() => parseProbeOutput('')).toThrow(/no "onedeck-probe" header \(no output\)/);
    expect(() => parseProbeOutput('sh: 1: syntax error')).toThrow(/got "sh: 1: syntax error"/);
  });
});

describe('compareHooks', () => {
  it('finds missing, different and extra files', () => {
    const c = compareHooks(
      { 'pre.d/a-flexip.sh': 'aa', 'clean.d/b-flexip.sh': 'xx', 'scw-flexip/old.sh': 'zz' },
      { 'pre.d/a-flexip.sh': 'aa', 'clean.d/b-flexip.sh': 'bb', 'scw-flexip/lib.sh': 'cc' },
    );
    expect(c).toEqual({ ok: false, missing: ['scw-flexip/lib.sh'], different: ['clean.d/b-flexip.sh'], extra: ['scw-flexip/old.sh'] });
    expect(compareHooks({ 'pre.d/a': 'aa' }, { 'pre.d/a': 'aa' }).ok).toBe(true);
  });
});

describe('probe script', () => {
  it('is one command carrying the marker, quoted safely', () => {
    expect(PROBE_SCRIPT).toContain(PROBE_MARKER);
    expect(probeCommand()).toContain(PROBE_MARKER);
    expect(shQuote("it's")).toBe(`'it'\\''s'`);
  });
});
