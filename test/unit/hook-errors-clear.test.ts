// Old Flexible-IP hook errors stop counting once a later attach succeeds (issue 12 #3): the probe
// script (run here with sh on a log file of our own) and the sandbox's stand-in answer agree.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeCommand } from '../../src/adapters/ssh/probe-script.js';
import { parseProbeOutput } from '../../src/adapters/ssh/probe-parse.js';
import { hookErrors } from '../../src/sandbox/ssh-hosts/probe-answer.js';
import type { SimHost } from '../../src/sandbox/state-types.js';

const dir = mkdtempSync(join(tmpdir(), 'onedeck-hookerr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const now = Date.now();
const at = (agoMin: number) => new Date(now - agoMin * 60_000).toISOString().slice(0, 19) + 'Z';
const err = (agoMin: number) => `${at(agoMin)} scw-flexip-attach[11] ERROR: VM 7: attach of 51.15.0.9 failed: 409`;
const ok = (agoMin: number) => `${at(agoMin)} scw-flexip-attach[12] INFO: VM 7: attached Flexible IP 51.15.0.9 (abc) to server srv (status attached)`;

function probeCount(lines: string[]): number | undefined {
  writeFileSync(join(dir, 'scw-flexip-attach.log'), `${lines.join('\n')}\n`);
  const out = execFileSync('sh', ['-c', probeCommand({ hookDirs: [join(dir, 'none')], hookLogGlob: join(dir, 'scw-flexip-*.log') })], { encoding: 'utf8' });
  return parseProbeOutput(out).hookErrors24h;
}

const sim = (lines: string[]) => hookErrors({ logs: { '/var/log/vnm/scw-flexip-attach.log': lines } } as unknown as SimHost, now).length;

describe('hook errors and a later successful attach', () => {
  const cases: [string, string[], number][] = [
    ['errors only', [err(30), err(20)], 2],
    ['errors, then a successful attach', [err(30), err(20), ok(10)], 0],
    ['an attach, then a new error', [err(30), ok(20), err(10)], 1],
    ['errors older than 24 h', [err(25 * 60)], 0],
  ];
  for (const [what, lines, n] of cases) {
    it(`${what}: ${n}`, () => {
      expect(probeCount(lines)).toBe(n);
      expect(sim(lines)).toBe(n);
    });
  }
});
