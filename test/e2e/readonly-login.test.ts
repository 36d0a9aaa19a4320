// The read-only login for colleagues (README "Read-only login"): a real OpenSSH sshd on loopback
// whose ForceCommand runs `onedeck --readonly`. `ssh -t` into it from a terminal (tmux) gives the
// read-only TUI, whatever command the colleague asks ssh to run; quitting it ends the login, with
// no shell in between. The administrator's force_readonly is in force too, and says so.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, e2eHome, openTerminal, type E2eHome, type Terminal } from '../harness/e2e.js';
import { startSshd, type TestSshd } from '../harness/sshd.js';

let h: E2eHome;
let sshd: TestSshd;
let t: Terminal;
let ssh: string;
const marker = () => join(h.home, 'the-command-ran');

beforeAll(async () => {
  h = e2eHome({ prefix: 'rologin', user: 'colleague' });
  h.startSandbox();
  // the administrator's file: this account is forced read-only, whatever it passes
  const system = join(h.home, 'system-config.yaml');
  writeFileSync(system, `force_readonly:\n  users: [${userInfo().username}]\n`);
  // what /usr/local/bin/onedeck-readonly would be on a real host: the colleague's environment, then onedeck
  const login = join(h.home, 'onedeck-login.sh');
  const env = { ...h.env, ONEDECK_SYSTEM_CONFIG: system, PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color' };
  writeFileSync(login, `#!/bin/sh\n${Object.entries(env).map(([k, v]) => `export ${k}='${v}'`).join('\n')}\ncd "$HOME"\nexec ${process.execPath} ${CLI} --readonly\n`);
  chmodSync(login, 0o755);
  sshd = await startSshd({ host: '127.0.0.3', extraConfig: `ForceCommand ${login}\nPermitUserEnvironment no\nAllowAgentForwarding no\nX11Forwarding no` });
  ssh = [
    'ssh', '-F', '/dev/null', '-i', sshd.clientKey, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
    '-o', `UserKnownHostsFile=${sshd.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-p', String(sshd.port),
    `${userInfo().username}@127.0.0.3`,
  ].join(' ');
  t = await openTerminal(h, { cols: 160, rows: 40 });
}, 90_000);

afterAll(() => {
  t?.kill();
  sshd?.stop();
  h?.teardown();
});

describe('the read-only login through a real sshd', () => {
  it('ssh -t gives the read-only TUI, not the command asked for', async () => {
    t.run(`${ssh} -t 'touch ${marker()}; exec bash -i'; echo "SSHEXIT=$?"`);
    const screen = await t.shows(/kvm-3/, 45_000);
    expect(screen).toContain('READ-ONLY');
    expect(screen).toContain('SANDBOX');
    expect(existsSync(marker())).toBe(false);
  }, 60_000);

  it('a mutating key is refused, and says the administrator forced it', async () => {
    t.keys('p');
    const s = await t.shows(/not available, this session is read-only/);
    expect(s).toMatch(/forced by .*system-config\.yaml for user/);
    t.type(':deploy');
    t.keys('Enter');
    await t.shows(/OneDeploy.*not available, this session is read-only/);
  });

  it('q ends the login: no shell is left', async () => {
    t.keys('q');
    // onedeck's exit ends the forced command, so the connection closes: the next prompt is the local one
    const s = await t.shows(/SSHEXIT=0\s*\n\s*e2e-shell\$/, 15_000);
    expect(s).toMatch(/Connection to 127\.0\.0\.3 closed/);
    expect(existsSync(marker())).toBe(false);
  });

  it('without a terminal, the forced command refuses to run anything else either', () => {
    const r = spawnSync('sh', ['-c', `${ssh} -T 'touch ${marker()}; echo SHELL-RAN'`], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout).not.toContain('SHELL-RAN');
    expect(r.stderr).toContain('onedeck needs a terminal');
    expect(r.status).toBe(64);
    expect(existsSync(marker())).toBe(false);
  });

  it("onedeck's log names the read-only session and why", () => {
    const log = readFileSync(join(h.state, 'onedeck', 'onedeck.log'), 'utf8');
    expect(log).toMatch(/read-only session: forced by .*system-config\.yaml for user/);
    expect(log).toMatch(/refused|read-only/);
  });

  it('the administrator\'s file holds onedeck run too, and a broken one stops onedeck with its position', () => {
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [CLI, 'run', 'plan', '--json'], { cwd: h.home, env: { ...process.env, ...h.env, ...env }, encoding: 'utf8', timeout: 60_000 });
    // no --readonly, ONEDECK_READONLY=0: still refused, and it says who forced it
    const forced = run({ ONEDECK_SYSTEM_CONFIG: join(h.home, 'system-config.yaml'), ONEDECK_READONLY: '0' });
    expect(forced.status).toBe(1);
    expect(JSON.parse(forced.stdout.trim().split('\n').pop()!)).toMatchObject({ type: 'refused', reason: 'readonly', message: expect.stringMatching(/forced by .*system-config\.yaml for user/) });
    const bad = join(h.home, 'bad-system.yaml');
    writeFileSync(bad, 'force_readonly:\n  users: [x]\n  grups: [y]\n');
    const broken = run({ ONEDECK_SYSTEM_CONFIG: bad });
    expect(broken.status).toBe(78);
    expect(broken.stderr).toContain(`${bad}:3:3: force_readonly has unknown key "grups".`);
  }, 90_000);
});
