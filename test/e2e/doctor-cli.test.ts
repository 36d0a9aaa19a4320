// `onedeck doctor`, `info`, `completion` and per-command `--help` with the built CLI (issue 12):
// a machine without a config or credentials gets each failure explained; the sandbox is all
// green but for the honest WARNs; status never starts the sandbox daemon behind your back.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { e2eHome } from '../harness/e2e.js';
import { aliveDaemon } from '../../src/sandbox/config.js';

// no agent and no SCW_* from the machine running the tests
const h = e2eHome({ prefix: 'doctor', user: 'doctor-e2e', env: { SSH_AUTH_SOCK: '', SCW_ACCESS_KEY: '', SCW_SECRET_KEY: '', SCW_PROFILE: '', SCW_CONFIG_PATH: '' } });
afterAll(() => h.teardown());

interface Check { id: string; state: 'ok' | 'warn' | 'fail'; detail: string; fix?: string }
const report = (stdout: string) => JSON.parse(stdout) as { checks: Check[]; exitCode: number };
const byId = (checks: Check[]) => Object.fromEntries(checks.map((c) => [c.id, c]));

describe('onedeck doctor', () => {
  it('without a config or credentials explains every failure, and status starts no daemon', async () => {
    const r = h.onedeck(['doctor', '--json']);
    expect(r.status).toBe(1);
    const checks = report(r.stdout).checks;
    const c = byId(checks);
    expect(c.config.state).toBe('fail');
    expect(c.config.fix).toMatch(/onedeck sandbox start/);
    expect(c.scaleway.state).toBe('fail');
    expect(c.scaleway.detail).toMatch(/no Scaleway credentials/);
    expect(c.scaleway.fix).toMatch(/scw init/);
    expect(c.node.state).toBe('ok');
    for (const x of checks.filter((x) => x.state === 'fail')) expect(x.fix, x.id).toBeTruthy();
    const text = h.onedeck(['doctor']);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/^FAIL {2}onedeck\.yaml +no onedeck\.yaml found/m);
    expect(text.stdout).toMatch(/FAIL — onedeck cannot work until every FAIL is fixed \(exit 1\)/);

    const s = h.onedeck(['status']);
    expect(s.status).toBe(78);
    expect(s.stderr).toMatch(/sandbox cluster is not running/);
    expect(s.stderr).toMatch(/onedeck sandbox start/);
    expect(await aliveDaemon(h.sandboxDir)).toBeNull();
  });

  it('on the sandbox: every check OK (all green), the collections saying a real cluster needs them', () => {
    h.startSandbox();
    const r = h.onedeck(['doctor', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const checks = report(r.stdout).checks;
    const notOk = checks.filter((x) => x.state !== 'ok').map((x) => x.id).sort();
    expect(notOk).toEqual([]);
    const c = byId(checks);
    expect(c.collections.detail).toMatch(/stand-in ansible-playbook needs none, a real cluster does: ansible-galaxy collection install -r .*requirements\.yml/);
    expect(c['ssh-agent'].detail).toMatch(/none needed: .* has no passphrase/);
    expect(c.opennebula.detail).toMatch(/answers: OpenNebula 7\.0\.0/);
    expect(c.scaleway.detail).toMatch(/project [0-9a-f-]{36}, zone fr-par-2/);
    expect(c.stock.detail).toMatch(/available in fr-par-2/);
    expect(c.ansible.detail).toMatch(/ansible-core 2\.16/);
    const text = h.onedeck(['doctor']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^OK {4}OpenNebula frontend +fe \(127\.0\.0\.\d+:\d+\) answers: OpenNebula 7\.0\.0$/m);
    expect(text.stdout).toMatch(/0 FAIL/);
  });
});

describe('info, help and completion', () => {
  it('info --json gives every path, saved logs included; the text lists them too', () => {
    const r = h.onedeck(['info', '--json']);
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout) as Record<string, string>;
    expect(info.saved_logs).toBe(join(h.state, 'onedeck', 'saved'));
    expect(info.jobs).toBe(join(h.state, 'onedeck', 'jobs'));
    expect(h.onedeck(['info']).stdout).toMatch(/^saved logs +.*\/onedeck\/saved$/m);
  });

  it('--help for every subcommand, and help COMMAND', () => {
    for (const cmd of ['status', 'doctor', 'init', 'info', 'run', 'sandbox', 'completion']) {
      const r = h.onedeck([cmd, '--help']);
      expect(r.status, cmd).toBe(0);
      expect(r.stdout.split('\n')[0], cmd).toMatch(new RegExp(`^onedeck ${cmd}\\b`));
    }
    expect(h.onedeck(['help', 'doctor']).stdout).toMatch(/^onedeck doctor \[--json\]/);
    expect(h.onedeck(['--help']).stdout).toMatch(/^onedeck — /);
  });

  it('bash completion completes commands, options and the actions run accepts', () => {
    const script = h.onedeck(['completion', 'bash']);
    expect(script.status).toBe(0);
    const complete = (line: string[]) => {
      const cw = line.length - 1;
      const words = line.map((w) => `'${w}'`).join(' ');
      const r = spawnSync('bash', ['-c', `${script.stdout}\nCOMP_WORDS=(${words}); COMP_CWORD=${cw}; _onedeck; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return r.stdout.trim().split('\n').filter(Boolean);
    };
    expect(complete(['onedeck', 'do'])).toEqual(['doctor']);
    expect(complete(['onedeck', 'run', 'pl'])).toEqual(['plan']);
    expect(complete(['onedeck', 'run', 'ap'])).toContain('apply');
    expect(complete(['onedeck', 'completion', ''])).toEqual(['bash', 'zsh']);
    expect(complete(['onedeck', '--no'])).toEqual(['--no-color']);
    expect(complete(['onedeck', 'sandbox', 'st'])).toEqual(['status', 'start', 'stop']);
  });

  it('zsh completion is a valid zsh script; a wrong shell is a usage error', () => {
    const script = h.onedeck(['completion', 'zsh']);
    expect(script.status).toBe(0);
    expect(script.stdout.split('\n')[0]).toBe('#compdef onedeck');
    if (existsSync('/bin/zsh') || existsSync('/usr/bin/zsh')) {
      const r = spawnSync('zsh', ['-n'], { input: script.stdout, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    const bad = h.onedeck(['completion', 'fish']);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toMatch(/bash or zsh, not "fish"/);
  });
});
