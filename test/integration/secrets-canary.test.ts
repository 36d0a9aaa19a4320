// Issue 11, Tests: a secrets canary. Known secret values, malformed ones included (a Scaleway
// secret key that is not a UUID), go into every input onedeck has: the environment (SCW_*), the
// password and token files named in onedeck.yaml, the Scaleway API's error replies (a 401 that
// echoes the key), an OpenNebula failure that echoes the password, and the tool's output (stdout,
// stderr, a JSON event). Then every frame drawn to the terminal, `status` (text and JSON), and
// every file under the rig (onedeck.log, audit.log, each job's spec, status, output.log,
// events.jsonl, runner.err, the inventory) is scanned: no secret may appear.
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { composeCore, type Core } from '../../src/compose.js';
import { parseConfig } from '../../src/config/load.js';
import { collectStatus, formatStatus } from '../../src/cli/status.js';
import { createAppLog } from '../../src/logs/app-log.js';
import { createUiStore } from '../../src/store/ui-store.js';
import type { Session } from '../../src/session.js';
import { startTui } from '../../views/index.js';
import { FakeStdin, FakeTty, KEY } from '../harness/fake-tty.js';
import { startFakeScw, type FakeScw } from '../harness/fake-scw-http.js';
import { ensureRunner, finished, makeRig, RUNNER, until, type Rig } from './jobs-helpers.js';

const BASE = {
  SCW_ACCESS_KEY: 'SCWCANARYACCESS0001X',
  ONE_PASSWORD: 'canary-onepass-8c2e',
  SCW_FLEXIBLE_IP_TOKEN: 'canary-fiptoken-b7a9',
};
let SECRETS: typeof BASE & { SCW_SECRET_KEY: string } = { ...BASE, SCW_SECRET_KEY: '' };
let VALUES: string[] = [];

let rig: Rig | undefined;
let fake: FakeScw | undefined;
let core: Core | undefined;
const saved: Record<string, string | undefined> = {};
beforeAll(async () => {
  await ensureRunner();
});
afterEach(async () => {
  await core?.stop();
  await fake?.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rig?.cleanup();
  rig = fake = core = undefined;
});

function leaks(where: string, text: string): string[] {
  return VALUES.filter((v) => text.includes(v)).map((v) => `${where}: ${v}`);
}

function files(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) files(p, out);
    else out.push(p);
  }
  return out;
}

describe('the secrets canary', () => {
  it.each([
    // malformed: onedeck refuses it for its own API reads, yet the tool inherits it and it must be masked
    ['a malformed Scaleway secret key', 'canary-scwsecret-not-a-uuid-4d1f'],
    // well-formed: the API is asked, and its 401 echoes the key
    ['a well-formed Scaleway secret key the API echoes', 'c0ffee00-dead-4bee-8f00-0123456789ab'],
  ])('%s: no secret reaches a frame, status, a log, a job file or a generated file', async (_what, scwSecret) => {
    SECRETS = { ...BASE, SCW_SECRET_KEY: scwSecret };
    VALUES = Object.values(SECRETS);
    rig = makeRig({ ansible_playbook: '{dir}/tool.sh' });
    fake = await startFakeScw();
    // the API echoes the key in its error, every time it is asked
    const echo = { status: 401, body: { type: 'denied_authentication', message: `authentication is denied for token ${SECRETS.SCW_SECRET_KEY} (access key ${SECRETS.SCW_ACCESS_KEY})` } };
    fake.script.set('/servers', Array.from({ length: 200 }, () => echo));
    // the secret files onedeck.yaml names (0600)
    writeFileSync(join(rig.dir, 'one.pass'), `${SECRETS.ONE_PASSWORD}\n`, { mode: 0o600 });
    writeFileSync(join(rig.dir, 'fip.token'), `${SECRETS.SCW_FLEXIBLE_IP_TOKEN}\n`, { mode: 0o600 });
    const yaml = readFileSync(join(rig.dir, 'onedeck.yaml'), 'utf8')
      .replace('frontend: { name: fe }', 'frontend: { name: fe, ssh: { host: 127.0.0.9, port: 2222 } }')
      .replace('scaleway: { zone: fr-par-2,', `scaleway: { flexible_ip_token_file: ${join(rig.dir, 'fip.token')}, zone: fr-par-2,`)
      .concat(`\nopennebula: { password_file: ${join(rig.dir, 'one.pass')} }\n`);
    writeFileSync(join(rig.dir, 'onedeck.yaml'), yaml);
    rig.config = parseConfig(yaml, join(rig.dir, 'onedeck.yaml'));
    // the tool prints every secret it was given: on stdout, on stderr, inside a JSON event
    writeFileSync(
      join(rig.dir, 'tool.sh'),
      [
        '#!/bin/sh',
        'echo "password is $ONE_PASSWORD, key $SCW_SECRET_KEY, access $SCW_ACCESS_KEY, token $SCW_FLEXIBLE_IP_TOKEN"',
        'echo "stderr: $SCW_SECRET_KEY $ONE_PASSWORD" >&2',
        'printf \'{"event":"runner_on_failed","res":{"msg":"login failed for oneadmin:%s"}}\\n\' "$ONE_PASSWORD"',
        'echo "${SCW_SECRET_KEY}suffix prefix${ONE_PASSWORD}"',
      ].join('\n'),
    );
    chmodSync(join(rig.dir, 'tool.sh'), 0o755);
    writeFileSync(join(rig.config.paths.ansible, 'hooks.yml'), '');
    writeFileSync(join(rig.config.paths.ansible, 'inventory', 'onedeck.yml'), '');
    const env = { SCW_SECRET_KEY: SECRETS.SCW_SECRET_KEY, SCW_ACCESS_KEY: SECRETS.SCW_ACCESS_KEY, SCW_API_URL: fake.url, SCW_DEFAULT_PROJECT_ID: '11111111-2222-3333-4444-555555555555' };
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    const opennebulaFailure = () => Promise.reject(new Error(`oneuser login failed: password ${SECRETS.ONE_PASSWORD} refused`));
    core = composeCore({
      config: rig.config,
      paths: rig.paths,
      log: createAppLog(rig.paths.logFile),
      runnerScript: RUNNER,
      env: { ...process.env, HOME: rig.dir, XDG_CONFIG_HOME: join(rig.dir, 'config') },
      health: {
        opennebula: opennebulaFailure,
        probe: async () => ({ reachable: false, error: `auth failed for ${SECRETS.ONE_PASSWORD}`, at: Date.now() }),
      },
    });
    // a terminal: every byte drawn is kept, and the screen as it stood after each write
    const tty = new FakeTty(160, 45).keepScreens();
    const stdin = new FakeStdin();
    const ui = createUiStore();
    const session: Session = { id: 'canary', readonly: false, user: 'ops' };
    const detach = core.attach(ui);
    const tui = startTui({
      stdout: tty as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream,
      ui, session, cluster: core.cluster, registry: core.registry, executor: core.executor, logs: core.logs, noColor: true,
    });
    try {
      core.start();
      await until('the sweep to report the API error', () => core!.cluster.getState().sourceErrors.scaleway);
      // a job whose tool prints the secrets
      const asked = await core.executor.run('hooks', [], session, ui);
      const token = (asked as { confirmation?: { token: string } }).confirmation!.token;
      expect(await core.executor.run('hooks', [], session, ui, { token, text: 'y' })).toEqual({ ok: true });
      const id = ui.getState().focusedJob!;
      const job = await finished(rig, id);
      await until('the job log in the pane', () => core!.logs.buffer(`job:${id}`) && core!.cluster.getState().jobs.some((j) => j.id === id && j.state !== 'running'));
      // every screen that shows something of it
      for (const keys of [':jobs\r', KEY.enter, KEY.escape, KEY.escape, ':host fe\r', KEY.escape, '?', KEY.escape]) {
        stdin.press(keys);
        await core.idle();
      }
      await until('the job log drawn', () => tty.shown('password is'));
      const problems = [
        ...leaks('frames', tty.output()),
        ...[...tty.screens].flatMap((t) => leaks('screen', t)),
        ...leaks('store', JSON.stringify({ ...core.cluster.getState(), logVersions: undefined })),
      ];
      // the masked line is there, so the scan looked at the right place
      expect(readFileSync(job.logFile, 'utf8')).toMatch(/password is \*{4,}/);
      // status, as text and JSON, from the same inputs
      const result = await collectStatus(rig.config, { opennebula: opennebulaFailure, probe: async () => ({ reachable: false, error: `auth failed for ${SECRETS.ONE_PASSWORD}`, at: Date.now() }) });
      problems.push(...leaks('status', formatStatus(result, { json: false, now: Date.now() })), ...leaks('status --json', formatStatus(result, { json: true, now: Date.now() })));
      for (const f of files(rig.dir)) {
        if (f.endsWith('one.pass') || f.endsWith('fip.token')) continue; // the inputs themselves
        problems.push(...leaks(f.slice(rig.dir.length + 1), readFileSync(f, 'utf8')));
      }
      // the inputs were read: each failure is there, masked
      const errors = core.cluster.getState().sourceErrors;
      expect(errors.opennebula).toMatch(/password \*+ refused/);
      if (scwSecret.includes('-dead-')) {
        expect(fake.requests.length).toBeGreaterThan(0);
        expect(errors.scaleway).toMatch(/denied for token \*+/);
      } else expect(errors.scaleway).toMatch(/malformed/);
      expect(JSON.stringify(core.cluster.getState().hosts)).toMatch(/auth failed for \*+/);
      expect(problems).toEqual([]);
    } finally {
      tui.restore();
      detach();
    }
  }, 60_000);
});
