// The stand-in tools' output formats against captures of the real tools, and the pure pieces of
// the sandbox (shell word splitting, OpenNebula JSON forms).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostPoolJson, oneOrMany } from '../../src/sandbox/ssh-hosts/one-json.js';
import { splitCommandLine, unwrap } from '../../src/sandbox/ssh-hosts/shell-words.js';
import { createDefaultState } from '../../src/sandbox/state-default.js';
import { defaultReporter, jsonlReporter, pyJson } from '../../src/sandbox/tools/ansible-format.js';

const fixtures = join(__dirname, '../fixtures/sandbox');
const unreachable = { changed: false, msg: 'Failed to connect to the host via ssh: ssh: connect to host 127.0.0.9 port 1: Connection refused', unreachable: true };

describe('ansible output formats', () => {
  it('prints the default callback exactly as ansible-core 2.14', () => {
    let out = '';
    const r = defaultReporter((s) => (out += s));
    r.playStart('Demo play', 'x', 'p:1');
    r.taskStart('Say ok', 'x', 'p:5');
    r.result('h2', 'unreachable', unreachable, 'command');
    r.result('h1', 'ok', { changed: false }, 'command');
    r.taskStart('Change it', 'x', 'p:8');
    r.result('h1', 'changed', { changed: true }, 'command');
    r.stats({
      h1: { ok: 2, changed: 1, unreachable: 0, failures: 1, skipped: 0, rescued: 0, ignored: 0 },
      h2: { ok: 0, changed: 0, unreachable: 1, failures: 0, skipped: 0, rescued: 0, ignored: 0 },
    });
    expect(out).toBe(readFileSync(join(fixtures, 'ansible-2.14-default.txt'), 'utf8'));
  });

  it('writes jsonl events with the real keys, sorted and compact', () => {
    const real = readFileSync(join(fixtures, 'ansible-2.14-jsonl.txt'), 'utf8').trim().split('\n');
    let out = '';
    const r = jsonlReporter((s) => (out += s));
    r.playStart('Demo play', '02fc0000-0001-90ae-5bdc-000000000003', '/tmp/anscap/pb.yml:1');
    r.taskStart('Say ok', '02fc0000-0001-90ae-5bdc-000000000005', '/tmp/anscap/pb.yml:5');
    r.result('h2', 'unreachable', unreachable, 'command');
    r.stats({
      h1: { ok: 2, changed: 1, unreachable: 0, failures: 1, skipped: 0, rescued: 0, ignored: 0 },
      h2: { ok: 0, changed: 0, unreachable: 1, failures: 0, skipped: 0, rescued: 0, ignored: 0 },
    });
    const mine = out.trim().split('\n');
    const shape = (l: string) => l.replace(/"(_timestamp|start|end)":"[^"]+"/g, '"$1":"T"');
    expect(mine.map(shape)).toEqual(real.map(shape));
    expect(pyJson({ b: 1, a: [true, null, 'é'] })).toBe('{"a": [true, null, "\\u00e9"], "b": 1}');
  });
});

describe('simulated host pieces', () => {
  it('splits command lines and strips sudo / sh -c wrappers', () => {
    expect(unwrap(['sudo', '-n', '-u', 'oneadmin', 'onehost', 'list', '-j']).argv).toEqual(['onehost', 'list', '-j']);
    expect(unwrap(['ONE_AUTH=/x', 'sudo', '-iu', 'oneadmin', 'onevm', 'list']).argv).toEqual(['onevm', 'list']);
    expect(unwrap(['sh', '-c', 'echo "a b"']).script).toBe('echo "a b"');
    const l = splitCommandLine(`mkdir -p '/var/tmp/one' && cat > /var/tmp/one/x.sh; echo "ok done"`);
    expect(l.items.map((i) => [i.op, i.cmd.argv.join('|'), i.cmd.redirect])).toEqual([
      [null, 'mkdir|-p|/var/tmp/one', undefined],
      ['&&', 'cat', '/var/tmp/one/x.sh'],
      [';', 'echo|ok done', undefined],
    ]);
  });

  it('renders pools the way OpenNebula 7.0 does', () => {
    expect(oneOrMany([])).toBeUndefined();
    expect(oneOrMany(['7'])).toBe('7');
    expect(oneOrMany(['7', '8'])).toEqual(['7', '8']);
    const s = createDefaultState({ repoRoot: '/nonexistent' });
    s.one.hosts = [];
    expect(hostPoolJson(s)).toEqual({ HOST_POOL: {} });
  });
});
