// `onedeck run` on the sandbox, as a script or a cron job would use it (issue 8, "done when"): the
// built CLI runs a plan and streams its log, refuses an apply that nobody confirmed, applies with
// --yes, lists the actions, honours read-only (flag and config), and speaks JSON lines.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument, YAMLMap, YAMLSeq } from 'yaml';

const repo = resolve(import.meta.dirname, '../..');
const cli = join(repo, 'dist/onedeck.js');
const OPERATOR = 'run-e2e';

let home: string;
let state: string;
let sandboxYaml: string;
let env: Record<string, string>;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function onedeck(args: string[], timeoutMs = 90_000): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: home, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`onedeck ${args.join(' ')} did not end in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

const jobsDir = () => join(state, 'onedeck', 'jobs');
const jobDirs = (kind?: string) => (existsSync(jobsDir()) ? readdirSync(jobsDir()).filter((d) => !kind || d.includes(`-${kind}-`)).sort() : []);
const jobStatus = (id: string) => JSON.parse(readFileSync(join(jobsDir(), id, 'status.json'), 'utf8')) as { state: string; user: string; summary?: string };

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'onedeck-e2e-run-'));
  state = join(home, 'state');
  env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: state, USER: OPERATOR, LOGNAME: OPERATOR, NO_COLOR: '' };
  const r = await onedeck(['sandbox', 'start']);
  expect(r.code, r.stderr).toBe(0);
  sandboxYaml = join(state, 'onedeck', 'sandbox', 'onedeck.yaml');
  // a fifth host, so that the plan has something to apply
  const doc = parseDocument(readFileSync(sandboxYaml, 'utf8'));
  (doc.get('hypervisors') as YAMLSeq<YAMLMap>).add(doc.createNode({ name: 'kvm-4' }));
  writeFileSync(sandboxYaml, doc.toString());
}, 90_000);

afterAll(async () => {
  if (home) {
    await onedeck(['sandbox', 'stop']);
    rmSync(home, { recursive: true, force: true });
  }
});

/** start onedeck, and resolve once its stderr matches `ready` (with the child, to signal it) */
function onedeckUntil(args: string[], ready: RegExp) {
  const child = spawn(process.execPath, [cli, ...args], { cwd: home, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const seen = new Promise<void>((ok) => child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), ready.test(stderr) && ok())));
  const ended = new Promise<Result>((ok) => child.on('close', (code) => ok({ code, stdout, stderr })));
  return { child, seen, ended };
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('onedeck run on the sandbox', () => {
  it('plans (log streamed), refuses an unconfirmed apply, applies with --yes', async () => {
    const plan = await onedeck(['run', 'plan']);
    expect(plan.code, plan.stderr).toBe(0);
    // the job's log on stdout, onedeck's own words on stderr
    expect(plan.stdout).toMatch(/^\$ .*(tofu|terraform) plan /m);
    expect(plan.stdout).toContain('Plan: 5 to add, 0 to change, 0 to destroy');
    expect(plan.stderr).toMatch(/plan started: job \S+-plan-/);
    expect(plan.stderr).toMatch(/job \S+ succeeded: Plan: 5 to add/);
    const [planJob] = jobDirs('plan');
    expect(jobStatus(planJob)).toMatchObject({ state: 'succeeded', user: OPERATOR });

    const unconfirmed = await onedeck(['run', 'apply']);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain(`apply plan ${planJob} (5 to add, 0 to change, 0 to destroy)?`);
    expect(unconfirmed.stderr).toContain('pass --yes');
    expect(unconfirmed.stdout).toBe('');
    expect(jobDirs('apply')).toEqual([]);

    const apply = await onedeck(['run', 'apply', '--yes']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete! Resources: 5 added, 0 changed, 0 destroyed.');
    const [applyJob] = jobDirs('apply');
    expect(jobStatus(applyJob)).toMatchObject({ state: 'succeeded', user: OPERATOR });
    // the audit log names who ran it, from which front end it does not matter
    const audit = readFileSync(join(state, 'onedeck', 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { user: string; action: string; outcome: unknown });
    expect(audit.filter((a) => a.action === 'apply' && a.outcome === true)).toEqual([expect.objectContaining({ user: OPERATOR })]);

    // nothing left to apply: refused with the reason
    const again = await onedeck(['run', 'apply', '--yes']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not run: .*was applied/);
  }, 180_000);

  it('lists the actions, as text and as JSON', async () => {
    const text = await onedeck(['run', '--list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ACTION\s+KEYS\s+MUTATING\s+WHERE\s+TITLE/);
    expect(text.stdout).toMatch(/^plan\s+p\s+yes\s+run\s+tofu plan$/m);
    expect(text.stdout).toMatch(/^hosts\s+—\s+no\s+ui only\s+hosts table$/m);
    const json = await onedeck(['run', '--list', '--json']);
    const list = JSON.parse(json.stdout) as { id: string; keys: string[]; mutating: boolean; headless: boolean }[];
    expect(list.find((a) => a.id === 'apply')).toMatchObject({ keys: ['a'], mutating: true, headless: true });
    expect(list.find((a) => a.id === 'quit')).toMatchObject({ mutating: false, headless: false });
  }, 60_000);

  it('is refused in a read-only session (--readonly, or readonly: true in the config): no job starts', async () => {
    const before = jobDirs();
    const flag = await onedeck(['run', 'plan', '--readonly']);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('not run: tofu plan: not available, this session is read-only');
    const roYaml = join(state, 'onedeck', 'sandbox', 'onedeck-readonly.yaml');
    const doc = parseDocument(readFileSync(sandboxYaml, 'utf8'));
    doc.set('readonly', true);
    writeFileSync(roYaml, doc.toString());
    const config = await onedeck(['run', 'plan', '--json', '-c', roYaml]);
    expect(config.code).toBe(1);
    expect(JSON.parse(config.stdout.trim())).toMatchObject({ type: 'refused', reason: 'readonly' });
    expect(jobDirs()).toEqual(before);
  }, 60_000);

  it('refuses what is not a headless action or no action at all, with the usage exit code', async () => {
    const nav = await onedeck(['run', 'hosts']);
    expect(nav.code).toBe(64);
    expect(nav.stderr).toContain('not a headless action');
    const none = await onedeck(['run', 'nope']);
    expect(none.code).toBe(64);
    expect(none.stderr).toContain('no action named "nope"');
  }, 60_000);

  it('--json: every line is a JSON event: started, the log, then the end', async () => {
    const r = await onedeck(['run', 'plan', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; line?: string; state?: string; job?: string });
    expect(events[0]).toMatchObject({ type: 'started', job: expect.stringMatching(/-plan-/) });
    expect(events.at(-1)).toMatchObject({ type: 'end', state: 'succeeded', job: events[0].job });
    const logs = events.filter((e) => e.type === 'log');
    expect(logs.length).toBe(events.length - 2);
    // everything applied above: the real terraform says so
    expect(logs.map((e) => e.line).join('\n')).toMatch(/No changes\. Your infrastructure matches the configuration\.|Plan: 0 to add, 0 to change, 0 to destroy\./);
  }, 60_000);

  it('ctrl-c stops watching, not the job: it goes on detached and succeeds', async () => {
    const run = onedeckUntil(['run', 'hooks', '--yes'], /hooks started: job \S+/);
    await Promise.race([run.seen, run.ended.then((r) => Promise.reject(new Error(`ended before the job started: ${r.stderr}`)))]);
    const [job] = jobDirs('hooks');
    expect(jobStatus(job).state).toBe('running');
    run.child.kill('SIGINT');
    const r = await run.ended;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`stopped watching: job ${job} goes on, detached`);
    const state = await until('the detached job to end', 60_000, () => {
      const s = jobStatus(job).state;
      return s === 'running' ? undefined : s;
    });
    expect(state).toBe('succeeded');
  }, 90_000);
});
