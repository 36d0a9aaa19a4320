import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleOneLine, foldAnsibleEvent, newAnsibleProgress, parseAnsibleLine } from '../../src/adapters/ansible/events.js';

const lines = readFileSync(join(import.meta.dirname, '../fixtures/jobs/ansible-fail.jsonl'), 'utf8').trim().split('\n');

describe('ansible jsonl events (captured from ansible-core 2.14 + ansible.posix.jsonl)', () => {
  const p = newAnsibleProgress();
  const out = lines.flatMap((l) => foldAnsibleEvent(p, parseAnsibleLine(l)!));

  it('tracks play, task and per-host counts', () => {
    expect(p.play).toBe('Fixture play');
    expect(p.task).toBe('After failure');
    expect(p.tasks).toBe(5);
    expect(p.hosts.fe).toMatchObject({ ok: 3, changed: 1, skipped: 2, failed: 0 });
    expect(p.hosts['kvm-2']).toMatchObject({ ok: 2, changed: 1, failed: 1, status: 'failed', last: 'Check disk' });
    expect(p.hosts['kvm-3']).toMatchObject({ unreachable: 1, status: 'unreachable' });
  });

  it('lists failures with host, task and message, and the recap', () => {
    expect(p.failures).toEqual([
      expect.objectContaining({ host: 'kvm-3', task: 'Ping', unreachable: true }),
      { host: 'kvm-2', task: 'Check disk', msg: 'disk /dev/sdz not found' },
    ]);
    expect(p.failures[0].msg).toContain('Connection refused');
    expect(p.recap!['kvm-2']).toEqual({ ok: 2, changed: 1, unreachable: 0, failures: 1, skipped: 0, rescued: 0, ignored: 0 });
    expect(ansibleOneLine(p, 2)).toBe('failed: kvm-2 TASK [Check disk] disk /dev/sdz not found (+1 more)');
  });

  it('renders a readable log like the default callback', () => {
    expect(out).toContain('PLAY [Fixture play]');
    expect(out).toContain('TASK [Check disk]');
    expect(out).toContain('  failed   kvm-2  disk /dev/sdz not found');
    expect(out).toContain('  changed  fe');
    expect(out).toContain('  skipping fe');
    expect(out.some((l) => l.startsWith('  unreachable kvm-3  Data could not be sent'))).toBe(true);
    expect(out).toContain('PLAY RECAP');
    expect(out).toContain('kvm-2  : ok=2 changed=1 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0');
  });

  it('ignores non-event lines, and a failure under ignore_errors does not fail the summary', () => {
    expect(parseAnsibleLine('[WARNING]: provided hosts list is empty')).toBeUndefined();
    const q = newAnsibleProgress();
    const ev = (o: object) => foldAnsibleEvent(q, parseAnsibleLine(JSON.stringify(o))!);
    ev({ _event: 'v2_playbook_on_task_start', task: { name: 'maybe' }, hosts: {} });
    ev({ _event: 'v2_runner_on_failed', task: { name: 'maybe' }, hosts: { fe: { failed: true, msg: 'nope' } } });
    ev({ _event: 'v2_playbook_on_stats', stats: { fe: { ok: 1, failures: 0, ignored: 1 } } });
    expect(ansibleOneLine(q, 0)).toBe('ok: 1 host, 0 changed');
  });
});
