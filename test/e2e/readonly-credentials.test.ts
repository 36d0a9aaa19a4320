// Read-only credentials on the sandbox with the built CLI (issue 11): a Scaleway key whose IAM
// policies only read, and an SSH user without sudo, are told up front by status, doctor and
// `onedeck run`, which refuses what they leave out before any job starts.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, e2eHome, openTerminal } from '../harness/e2e.js';

const h = e2eHome({ prefix: 'rocreds', user: 'rocreds-e2e', env: { SSH_AUTH_SOCK: '', SCW_ACCESS_KEY: '', SCW_SECRET_KEY: '', SCW_PROFILE: '', SCW_CONFIG_PATH: '' } });
const jobs = () => (existsSync(join(h.state, 'onedeck', 'jobs')) ? readdirSync(join(h.state, 'onedeck', 'jobs')) : []);

beforeAll(() => h.startSandbox(), 90_000);
afterAll(() => h.teardown());

interface Check { id: string; state: string; detail: string; fix?: string }

describe('read-only credentials, told up front', () => {
  it('full credentials: nothing left out (status and doctor say so)', () => {
    const s = h.onedeck(['status', '--json']);
    const access = (JSON.parse(s.stdout) as { access: { scaleway: { leftOut: string[]; determined: boolean }; ssh: { leftOut: string[] } } }).access;
    expect(access.scaleway).toMatchObject({ determined: true, leftOut: [] });
    expect(access.ssh.leftOut).toEqual([]);
    const d = JSON.parse(h.onedeck(['doctor', '--json']).stdout) as { checks: Check[] };
    const c = Object.fromEntries(d.checks.map((x) => [x.id, x]));
    expect(c['scaleway-permissions']).toMatchObject({ state: 'ok' });
    expect(c.sudo).toMatchObject({ state: 'ok', detail: 'ubuntu may become root on fe without a password' });
  });

  it('a read-only key and a user without sudo: status, doctor and run name what is left out; no job starts', () => {
    expect(h.onedeck(['sandbox', 'knob', 'key-access', 'readonly']).status).toBe(0);
    expect(h.onedeck(['sandbox', 'knob', 'ssh-sudo', 'no']).status).toBe(0);
    const text = h.onedeck(['status']);
    expect(text.stdout).toMatch(/^Credentials:\n {2}Scaleway key is read-only: apply, add and remove left out \(it needs ElasticMetalFullAccess, .*\); the key of application onedeck-sandbox /m);
    expect(text.stdout).toMatch(/^ {2}SSH user ubuntu has no passwordless sudo on any host \(4\): OneDeploy, network, hooks, validation, add and remove left out/m);
    const json = JSON.parse(h.onedeck(['status', '--json']).stdout) as { access: { scaleway: { leftOut: string[]; needs: string[] }; ssh: { noSudo: string[] } } };
    expect(json.access.scaleway.leftOut).toEqual(['apply', 'add', 'remove']);
    expect(json.access.ssh.noSudo).toEqual(['fe', 'kvm-1', 'kvm-2', 'kvm-3']);

    const d = JSON.parse(h.onedeck(['doctor', '--json']).stdout) as { checks: Check[] };
    const c = Object.fromEntries(d.checks.map((x) => [x.id, x]));
    expect(c['scaleway-permissions'].state).toBe('warn');
    expect(c['scaleway-permissions'].fix).toMatch(/^Add ElasticMetalFullAccess, .* on project [0-9a-f-]{36} to a policy of the key's application/);
    expect(c.sudo).toMatchObject({ state: 'warn', detail: expect.stringMatching(/^ubuntu may not sudo on fe without a password: OneDeploy, .* are left out$/) });

    const before = jobs();
    const apply = h.onedeck(['run', 'apply', '--yes']);
    expect(apply.status).toBe(1);
    expect(apply.stderr).toMatch(/not run: .*Scaleway key is read-only: apply, add and remove left out/);
    const deploy = h.onedeck(['run', 'deploy', '--yes']);
    expect(deploy.status).toBe(1);
    expect(deploy.stderr).toMatch(/not run: .*SSH user ubuntu has no passwordless sudo on any host/);
    expect(jobs()).toEqual(before);
  }, 120_000);

  it('the TUI (tmux): the header says KEY READ-ONLY and NO SUDO; d and + are refused with the reason; no job starts', async () => {
    const before = jobs();
    const t = await openTerminal(h, { cols: 200, rows: 50, command: `node ${CLI} --refresh 5; exec sleep 60` });
    try {
      await t.shows(/KEY READ-ONLY/, 30_000);
      await t.shows(/NO SUDO/, 30_000);
      t.keys('d');
      await t.shows(/SSH user ubuntu has no passwordless sudo on any host \(4\): OneDeploy, network, hooks, validation, add and remove left out/);
      t.keys('+');
      await t.shows(/Scaleway key is read-only: apply, add and remove left out \(it needs ElasticMetalFullAccess/);
      t.keys('q');
    } finally {
      t.kill();
    }
    expect(jobs()).toEqual(before);
  }, 90_000);

  it('a key that may not read IAM: the permissions are not determined, and status says so', () => {
    expect(h.onedeck(['sandbox', 'knob', 'key-access', 'readonly-no-iam']).status).toBe(0);
    expect(h.onedeck(['sandbox', 'knob', 'ssh-sudo', 'yes']).status).toBe(0);
    const text = h.onedeck(['status']);
    expect(text.stdout).toMatch(/^ {2}Scaleway key permissions could not be determined \(the key may not read IAM \(403\); it needs IAMReadOnly to tell\)/m);
    expect(text.stdout).not.toMatch(/SSH user ubuntu has no passwordless sudo/);
    expect(h.onedeck(['sandbox', 'knob', 'key-access', 'full']).status).toBe(0);
  });
});
