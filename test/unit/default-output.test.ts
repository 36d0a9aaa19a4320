import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldDefaultLine, newDefaultParserState } from '../../src/adapters/ansible/default-output.js';
import { ansibleOneLine, newAnsibleProgress } from '../../src/adapters/ansible/events.js';

const text = readFileSync(join(import.meta.dirname, '../fixtures/jobs/ansible-fail.default.txt'), 'utf8');

describe('default callback output (captured, ANSIBLE_NOCOLOR=1)', () => {
  it('parses plays, tasks, results, multi-line JSON and the recap', () => {
    const p = newAnsibleProgress();
    const st = newDefaultParserState();
    for (const l of text.split('\n')) foldDefaultLine(p, st, l);
    expect(p.play).toBe('Fixture play');
    expect(p.tasks).toBe(5);
    expect(st.pending).toBeUndefined(); // the multi-line `ok: [fe] => {` closed
    expect(p.hosts.fe).toMatchObject({ ok: 3, changed: 1, skipped: 2 });
    expect(p.failures).toEqual([
      expect.objectContaining({ host: 'kvm-3', task: 'Ping', unreachable: true }),
      { host: 'kvm-2', task: 'Check disk', msg: 'disk /dev/sdz not found' },
    ]);
    expect(p.recap).toEqual({
      fe: { ok: 3, changed: 1, unreachable: 0, failures: 0, skipped: 2, rescued: 0, ignored: 0 },
      'kvm-2': { ok: 2, changed: 1, unreachable: 0, failures: 1, skipped: 0, rescued: 0, ignored: 0 },
      'kvm-3': { ok: 0, changed: 0, unreachable: 1, failures: 0, skipped: 0, rescued: 0, ignored: 0 },
    });
    expect(ansibleOneLine(p, 2)).toBe('failed: kvm-2 TASK [Check disk] disk /dev/sdz not found (+1 more)');
  });

  it('an ignored failure is dropped', () => {
    const p = newAnsibleProgress();
    const st = newDefaultParserState();
    for (const l of ['TASK [try] ***', 'fatal: [fe]: FAILED! => {"changed": false, "msg": "x"}', '...ignoring', 'ok: [kvm-1 -> fe]']) foldDefaultLine(p, st, l);
    expect(p.failures).toEqual([]);
    expect(p.hosts['kvm-1'].ok).toBe(1);
  });
});
