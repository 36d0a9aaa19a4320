// End to end, as an operator (issue 4's "done when"): in the sandbox, plan, review, apply, deploy,
// deploy the hooks and validate from the keyboard of the built CLI in a real terminal (tmux) while
// the inventory keeps refreshing; every run is in the command log with its full log on disk; a run
// that destroys something needs the name typed; the Flexible-IP token never reaches screen or logs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { HeaderAge } from '../harness/header-age.js';
import { startTmux, type TmuxSession } from '../harness/tmux.js';

const repo = resolve(import.meta.dirname, '../..');
const cli = join(repo, 'dist/onedeck.js');
const REFRESH_S = 2;
const OPERATOR = 'e2e-operator';
// tmux drops PS1 from -e variables: the prompt is set on the shell's command line
const PROMPT = 'e2e-shell$ ';
const KINDS = ['plan', 'apply', 'deploy', 'hooks', 'validate'];

let home: string;
let env: Record<string, string>;
let state: string;
let sandboxYaml: string;
let token: string;
let t: TmuxSession | undefined;

function onedeck(args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: home, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
}

async function poll<T>(what: string, timeoutMs: number, probe: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---- the screen: every capture is checked for the secret and feeds the header's refresh samples

const header = new HeaderAge();
let captures = 0;

function capture(): string {
  const s = t!.screen();
  captures++;
  if (token && s.includes(token)) throw new Error(`the Flexible-IP token is on the screen:\n${s}`);
  header.sample(s);
  return s;
}

async function until<T>(what: string, timeoutMs: number, probe: (screen: string) => T | undefined | false): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let screen = '';
  for (;;) {
    screen = capture();
    const v = probe(screen);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen was:\n${screen}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const waitText = (m: string | RegExp, timeoutMs = 15_000) =>
  until(String(m), timeoutMs, (s) => ((typeof m === 'string' ? s.includes(m) : m.test(s)) ? s : undefined));

/** a table's rows as column → text, columns cut at the header's titles */
function tableRows(screen: string, titles: string[]): Record<string, string>[] {
  const lines = screen.split('\n');
  const h = lines.findIndex((l) => l.startsWith('│') && titles.every((x) => l.includes(x)));
  if (h < 0) return [];
  const at = titles.map((x) => lines[h].indexOf(x));
  const out: Record<string, string>[] = [];
  for (const line of lines.slice(h + 1)) {
    if (line.startsWith('└') || !/^│[▸ ] \S/.test(line)) break;
    const r: Record<string, string> = { _line: line, _selected: line.startsWith('│▸') ? 'yes' : '' };
    titles.forEach((x, i) => (r[x] = line.slice(at[i], i + 1 < at.length ? at[i + 1] : undefined).replace(/│\s*$/, '').trim()));
    out.push(r);
  }
  return out;
}

const HOST_COLS = ['NAME', 'SCALEWAY', 'OPENNEBULA', 'SSH', 'VERDICT'];
const hostRow = (s: string, name: string) => tableRows(s, HOST_COLS).find((r) => r.NAME === name || r.NAME.startsWith(`${name} `));

// ---- the sandbox's onedeck.yaml

function setKvm4(present: boolean): void {
  const doc = parseDocument(readFileSync(sandboxYaml, 'utf8'));
  const hv = doc.get('hypervisors') as YAMLSeq<YAMLMap>;
  const i = hv.items.findIndex((n) => n.get('name') === 'kvm-4');
  if (present && i < 0) hv.add(doc.createNode({ name: 'kvm-4' }));
  if (!present && i >= 0) hv.delete(i);
  writeFileSync(sandboxYaml, doc.toString());
}

function jobDirs(): string[] {
  const dir = join(state, 'onedeck', 'jobs');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

function startOnedeck(): void {
  t!.type(`node ${cli} --refresh ${REFRESH_S}; echo "EXIT=$?"`);
  t!.keys('Enter');
}

async function quitOnedeck(): Promise<void> {
  const before = (t!.withHistory(0).match(/EXIT=0/g) ?? []).length;
  t!.keys('q');
  await until('onedeck to exit and the shell to come back', 10_000, (s) => (s.match(/EXIT=0/g) ?? []).length > before && /EXIT=0\s*\n\s*e2e-shell\$/.test(s) && !s.includes('SANDBOX'));
}

/** the confirmation shows, then `y` goes in as a keypress of its own */
async function confirmYes(question: RegExp): Promise<void> {
  await waitText(question, 5_000);
  await waitText('[y/N]', 5_000);
  t!.keys('y');
  await until('the confirmation to close', 5_000, (s) => !s.includes('[y/N]'));
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'onedeck-e2e-jobs-'));
  state = join(home, 'state');
  env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: state, USER: OPERATOR, LOGNAME: OPERATOR, NO_COLOR: '' };
  const sandbox = join(state, 'onedeck', 'sandbox');
  const r = onedeck(['sandbox', 'start']);
  const daemonLog = () => (existsSync(join(sandbox, 'daemon.log')) ? readFileSync(join(sandbox, 'daemon.log'), 'utf8') : '(no daemon.log)');
  expect(r.status, `${r.stderr}\n${daemonLog()}`).toBe(0);
  sandboxYaml = join(sandbox, 'onedeck.yaml');
  token = readFileSync(join(sandbox, 'flexible-ip.token'), 'utf8').trim();
  expect(token.length).toBeGreaterThanOrEqual(16);
  // a fourth hypervisor in onedeck.yaml: the sandbox daemon gives it a loopback ssh endpoint
  setKvm4(true);
  await poll('the sandbox to give kvm-4 an ssh endpoint', 10_000, () => {
    const cfg = parse(readFileSync(sandboxYaml, 'utf8')) as { hypervisors: { name: string; ssh?: { host: string; port: number } }[]; cluster?: string };
    const k = cfg.hypervisors.find((h) => h.name === 'kvm-4');
    return !!k?.ssh?.port && /^127\./.test(k.ssh.host) && cfg.cluster === 'sandbox';
  });
});

afterAll(() => {
  t?.kill();
  if (home) {
    onedeck(['sandbox', 'stop']);
    rmSync(home, { recursive: true, force: true });
  }
});

describe('jobs from the keyboard in a real terminal', () => {
  it('plans, reviews, applies, deploys, deploys hooks and validates while the inventory refreshes; the command log and the disk keep every run', async () => {
    const t0 = Date.now();
    t = startTmux(`PS1='${PROMPT}' exec bash --norc --noprofile -i`, { cols: 200, rows: 50, env, cwd: home });
    await t.waitFor('e2e-shell$', 10_000);
    startOnedeck();
    await until('kvm-4 pending in the table', 30_000, (s) => hostRow(s, 'kvm-4')?.VERDICT.startsWith('pending'));

    // plan, review
    t.keys('p');
    await waitText('Plan: 5 to add, 0 to change, 0 to destroy', 20_000);
    // what to press next comes once the job record says the plan ended (a moment after its last log line)
    await waitText('plan ready (5 to add, 0 to change, 0 to destroy): o to review, a to apply', 10_000);
    t.keys('o');
    const review = await waitText('Plan review', 5_000);
    expect(review).toContain('scaleway_baremetal_server.host["kvm-4"]');

    // apply the reviewed plan: a question, answered by a keypress of its own
    const applyFrom = Date.now();
    t.keys('a');
    await confirmYes(/apply plan \S+ \(5 to add, 0 to change, 0 to destroy\)\?/);
    t.keys('Escape');
    await waitText(/Hosts 5 /, 5_000);
    await waitText('Apply complete! Resources: 5 added', 30_000);
    // the job ends a moment later (it reads tofu's outputs after the apply)
    // the pane title is cut when the tool name is long ("terraform apply (plan …)"): then its log says it
    await waitText(/· apply · [^\n]*· succ(?:eeded ·|…)|# succeeded: exit 0 after \S+ — Apply complete!/, 15_000);
    const scwSeen = new Set<string>();
    await until('kvm-4 ready at Scaleway', 20_000, (s) => {
      const r = hostRow(s, 'kvm-4');
      if (r && r.SCALEWAY !== '—') scwSeen.add(r.SCALEWAY);
      return r?.SCALEWAY.startsWith('ready · installed');
    });
    console.log(`kvm-4 at Scaleway after apply: ${[...scwSeen].join(' → ')}`);

    // deploy kvm-4 from the command line
    t.keys(':');
    await waitText(/^:/m, 5_000);
    t.type('deploy kvm-4');
    t.keys('Enter');
    await confirmYes(/run OneDeploy on [^?]*kvm-4\?/);
    await waitText(/· deploy · [^\n]*· succeeded ·/, 30_000);
    await until('kvm-4 MONITORED', 15_000, (s) => hostRow(s, 'kvm-4')?.OPENNEBULA.startsWith('MONITORED'));

    // the Flexible-IP hooks: kvm-4 gets them and turns healthy
    t.keys('h');
    await confirmYes(/deploy the Flexible-IP hooks/);
    await waitText(/· hooks · [^\n]*· succeeded ·/, 30_000);
    await until('kvm-4 healthy', 15_000, (s) => hostRow(s, 'kvm-4')?.VERDICT === 'healthy');

    // validation: fails on kvm-2, whose libvirtd is inactive, and says so
    t.keys('v');
    await confirmYes(/run the validation suite\?/);
    const failed = await waitText(/· validate · [^\n]*· failed ·/, 30_000);
    expect(failed).toMatch(/failed: exit 2 after \S+ — failed: kvm-2 TASK \[validation : libvirtd is active\]/);

    // all the while the inventory kept refreshing
    const ages = header.agesSince(applyFrom);
    const refreshes = header.refreshesSince(applyFrom);
    console.log(`during the jobs (${Math.round((Date.now() - applyFrom) / 1000)} s): ${refreshes} refreshes, header age at most ${Math.max(...ages)} s`);
    expect(refreshes).toBeGreaterThanOrEqual(Math.floor((Date.now() - applyFrom) / 1000 / (REFRESH_S + 3)));
    expect(Math.max(...ages)).toBeLessThanOrEqual(REFRESH_S + 3);

    // the command log: who, exit code and duration of every run; enter opens a job's log
    t.keys(':');
    await waitText(/^:/m, 5_000);
    t.type('jobs');
    t.keys('Enter');
    const JOB_COLS = ['KIND', 'STATE', 'WHO', 'STARTED', 'DURATION', 'EXIT', 'SUMMARY'];
    const jobs = await until('the command log with five jobs', 5_000, (s) => {
      const rows = tableRows(s, JOB_COLS);
      return rows.length === 5 ? rows : undefined;
    });
    expect(jobs.map((j) => j.KIND)).toEqual([...KINDS].reverse());
    for (const j of jobs) {
      expect(j.WHO).toBe(OPERATOR);
      expect(j.DURATION).toMatch(/^\d+(s|m\d\ds)$/);
      expect(j.STATE).toBe(j.KIND === 'validate' ? 'failed' : 'succeeded');
      expect(j.EXIT).toBe(j.KIND === 'validate' ? '2' : '0');
      expect(j.STARTED).toMatch(/^\d\d:\d\d:\d\d$/);
    }
    expect(jobs[0].SUMMARY).toMatch(/kvm-2 .*libvirtd is active/);
    expect(jobs[3].SUMMARY).toBe('Apply complete! Resources: 5 added, 0 changed, 0 destroyed.');
    expect(jobs[0]._selected).toBe('yes');
    t.keys('Enter');
    await waitText(/PLAY RECAP[\s\S]*kvm-2 +: ok=1 changed=0 unreachable=0 failed=1/, 5_000);
    t.keys('Escape');
    await waitText(/Jobs 5 /, 5_000);
    for (const k of ['hooks', 'deploy', 'apply']) {
      t.keys('j');
      await until(`${k} selected`, 5_000, (s) => tableRows(s, JOB_COLS).find((r) => r._selected)?.KIND === k);
    }
    t.keys('Enter');
    await waitText('scaleway_baremetal_server.host["kvm-4"]: Creation complete', 5_000);
    t.keys('Escape');
    await waitText(/Jobs 5 /, 5_000);
    await quitOnedeck();

    // on disk: each run's full log and status, and an audit line per run
    const dirs = jobDirs();
    expect(dirs).toHaveLength(5);
    for (const kind of KINDS) {
      const d = dirs.find((x) => new RegExp(`-${kind}-[0-9a-f]+$`).test(x));
      expect(d, `a job directory for ${kind} in ${dirs.join(' ')}`).toBeDefined();
      const dir = join(state, 'onedeck', 'jobs', d!);
      const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as { kind: string; user: string; exitCode: number; state: string; id: string };
      expect(status).toMatchObject({ id: d, kind, user: OPERATOR, exitCode: kind === 'validate' ? 2 : 0, state: kind === 'validate' ? 'failed' : 'succeeded' });
      const log = readFileSync(join(dir, 'output.log'), 'utf8');
      const want: Record<string, RegExp> = {
        plan: /Plan: 5 to add, 0 to change, 0 to destroy/,
        apply: /scaleway_ipam_ip\.management\["kvm-4"\]: Creating[\s\S]*Apply complete! Resources: 5 added, 0 changed, 0 destroyed\./,
        deploy: /PLAY \[OneDeploy: frontend\][\s\S]*PLAY RECAP[\s\S]*kvm-4 +: ok=\d+/,
        hooks: /PLAY RECAP[\s\S]*kvm-4 +: ok=\d+ changed=\d+ unreachable=0 failed=0/,
        validate: /TASK \[validation : libvirtd is active\][\s\S]*PLAY RECAP[\s\S]*kvm-2 +: ok=1 changed=0 unreachable=0 failed=1/,
      };
      expect(log, `${kind} output.log`).toMatch(want[kind]);
    }
    const audit = readFileSync(join(state, 'onedeck', 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { user: string; action: string; outcome: unknown });
    for (const kind of KINDS) expect(audit.filter((a) => a.action === kind && a.user === OPERATOR && a.outcome === true), `audit line for ${kind}`).toHaveLength(1);

    // kvm-4 leaves onedeck.yaml: applying that plan destroys it and needs its name typed
    setKvm4(false);
    startOnedeck();
    await until('the table without kvm-4', 30_000, (s) => hostRow(s, 'kvm-3') && !hostRow(s, 'kvm-4'));
    t.keys('p');
    await waitText('plan ready (0 to add, 0 to change, 5 to destroy): o to review, a to apply', 20_000);
    t.keys('a');
    await waitText('type kvm-4 to go ahead', 5_000);
    t.type('kvm-3');
    t.keys('Enter');
    await waitText(/cancelled: you typed "kvm-3", not "kvm-4"; nothing was run/, 5_000);
    expect(jobDirs()).toHaveLength(6);
    t.keys('a');
    await waitText('type kvm-4 to go ahead', 5_000);
    t.type('kvm-4');
    t.keys('Enter');
    await waitText('Apply complete! Resources: 0 added, 0 changed, 5 destroyed.', 30_000);
    // the pane title is cut when the tool name is long ("terraform apply (plan …)"): then its log says it
    await waitText(/· apply · [^\n]*· succ(?:eeded ·|…)|# succeeded: exit 0 after \S+ — Apply complete!/, 15_000);
    expect(jobDirs().filter((d) => /-apply-/.test(d))).toHaveLength(2);
    await quitOnedeck();

    // the secret never reached the screen (checked on every capture) nor a file onedeck wrote
    expect(captures).toBeGreaterThan(100);
    const written = [...filesUnder(join(state, 'onedeck', 'jobs')), join(state, 'onedeck', 'audit.log'), join(state, 'onedeck', 'onedeck.log')].filter((f) => existsSync(f));
    expect(written.length).toBeGreaterThan(20);
    for (const f of written) expect(readFileSync(f, 'latin1').includes(token), `${f} holds the Flexible-IP token`).toBe(false);
    console.log(`jobs flow took ${Math.round((Date.now() - t0) / 1000)} s`);
  }, 90_000);
});
