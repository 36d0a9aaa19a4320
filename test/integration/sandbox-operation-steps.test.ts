// Every step of both operations, on the sandbox with the real runner, job service and terraform:
// the runner killed (its process group, SIGKILL) at the start of each step, resumed each time,
// and a fault injected at each step that has one (`onedeck sandbox fail <step>`), cleared and
// resumed; then a removal whose runner is killed while terraform destroys the server. Each ends
// done, with no orphan host and every other server keeping its name and ids.
// The kill lands where it should: ONEDECK_TEST_STOP_AT_STEP makes the runner stop itself (SIGSTOP)
// once that step's start is in the journal, and the test kills it there.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listHypervisors } from '../../src/config/edit.js';
import { readJob } from '../../src/jobs/job-store.js';
import { OUTPUTS_FILE } from '../../src/adapters/tofu/outputs.js';
import { ADD_STEP_IDS } from '../../src/operations/add-steps.js';
import { createOperation, readOperation, startDetached } from '../../src/operations/operations.js';
import { REMOVE_STEP_IDS } from '../../src/operations/remove-steps.js';
import type { OperationKind, OperationSummary } from '../../src/operations/types.js';
import { sandboxCommand } from '../../src/sandbox/config.js';
import { stateFile } from '../../src/sandbox/state.js';
import type { SandboxState } from '../../src/sandbox/state-types.js';
import { until } from '../harness/wait.js';
import { useBuiltSandbox } from '../harness/sandbox-fixture.js';

const sb = useBuiltSandbox('onedeck-sbx-opsteps-');
const distDir = sb.distDir;

const stateDir = () => join(sb.dir, 'xdg', 'onedeck');
const jobsDir = () => join(stateDir(), 'jobs');
const opts = (extra: Record<string, string> = {}) => ({
  stateDir: stateDir(),
  lockFile: join(stateDir(), 'mutating-job.lock'),
  runnerScript: join(distDir, 'operation-runner.js'),
  env: { ...process.env, XDG_STATE_HOME: join(sb.dir, 'xdg'), ONEDECK_JOB_RUNNER: join(distDir, 'job-runner.js'), ...extra },
});
const sandbox = async (...args: string[]) => expect((await sandboxCommand(sb.dir, args)).code).toBe(0);
const sbx = (): SandboxState => JSON.parse(readFileSync(stateFile(sb.dir), 'utf8')) as SandboxState;
const hostOf = (tags: string[]) => tags.find((g) => g.startsWith('host='))?.slice(5);
/** the Terraform state's resources of `host` (its for_each key), as `type.name` */
const tfState = (host: string): string[] =>
  (JSON.parse(readFileSync(join(sb.dir, 'terraform', 'terraform.tfstate'), 'utf8')) as { resources: { type: string; name: string; instances: { index_key?: string }[] }[] }).resources.flatMap((r) =>
    r.instances.filter((i) => i.index_key === host).map(() => `${r.type}.${r.name}`),
  );

/** what must not change for the hosts an operation leaves alone: Scaleway server id, OpenNebula id */
function identities(except: string): Record<string, { server: string; one?: number }> {
  const s = sbx();
  const out: Record<string, { server: string; one?: number }> = {};
  for (const srv of s.servers) {
    const h = hostOf(srv.tags);
    if (!h || h === except) continue;
    out[h] = { server: srv.id, one: s.one.hosts.find((x) => x.hostname === h)?.id };
  }
  return out;
}

/** One line per step the operation ran: state, attempts, message, and its jobs' summaries. */
function describeOperation(id: string): string {
  const s = readOperation(stateDir(), id);
  if (!s) return `operation ${id}: no journal`;
  const lines = [`operation ${s.id} ${s.state}${s.step ? ` at ${s.step}` : ''}${s.message ? `: ${s.message}` : ''}`];
  for (const st of s.steps.filter((x) => x.state !== 'pending')) {
    lines.push(`  ${st.id} ${st.state} ×${st.attempts}${st.message ? `: ${st.message}` : ''}`);
    for (const l of st.log.slice(-3)) lines.push(`    log: ${l}`);
    for (const j of st.jobIds) lines.push(`    job ${j}: ${(() => { try { const r = readJob(jobsDir(), j); return `${r.kind} ${r.state} ${r.summary ?? ''}`; } catch (e) { return (e as Error).message; } })()}`);
  }
  return lines.join('\n');
}

/** the job logs of a step, joined (what the operator's pane shows) */
const stepLogs = (s: OperationSummary, step: string) =>
  s.steps.find((x) => x.id === step)!.jobIds.map((j) => { try { return readFileSync(join(jobsDir(), j, 'output.log'), 'utf8'); } catch { return ''; } }).join('\n');

function newOp(kind: OperationKind, host: string) {
  const ids = kind === 'add' ? ADD_STEP_IDS : REMOVE_STEP_IDS;
  return createOperation(stateDir(), { kind, title: `${kind} ${host}`, hosts: [host], configFile: sb.configFile, operator: { user: 'tester' }, steps: ids.map((id) => ({ id, title: id })) });
}

/** /proc's state letter of a process (T: stopped) */
const procState = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
  } catch {
    return undefined;
  }
};

/** Start (or resume) the operation and wait until it has stopped (not running). */
async function runToEnd(id: string, extra?: Record<string, string>): Promise<OperationSummary> {
  await startDetached(id, opts(extra));
  sb.track(readOperation(stateDir(), id)!.runnerPid!);
  await until(() => `operation ${id} to stop\n${describeOperation(id)}`, () => readOperation(stateDir(), id)!.state !== 'running', { timeoutMs: 240_000, everyMs: 100 });
  return readOperation(stateDir(), id)!;
}

/** Resume the operation so that its runner stops itself at `step`'s start, then kill its group. */
async function killAt(id: string, step: string): Promise<void> {
  await startDetached(id, opts({ ONEDECK_TEST_STOP_AT_STEP: step }));
  const pid = readOperation(stateDir(), id)!.runnerPid!;
  sb.track(pid);
  await until(
    () => `the runner stopped at ${step}\n${describeOperation(id)}`,
    () => {
      const s = readOperation(stateDir(), id)!;
      if (s.state !== 'running') throw new Error(`operation ended before ${step}\n${describeOperation(id)}`);
      return s.steps.find((x) => x.id === step)!.state === 'running' && procState(pid) === 'T';
    },
    { timeoutMs: 240_000, everyMs: 50 },
  );
  process.kill(-pid, 'SIGKILL'); // its process group: it is the leader of its own session
  await until(`operation ${id} interrupted`, () => readOperation(stateDir(), id)!.state === 'interrupted', { timeoutMs: 10_000, everyMs: 50 });
}

/**
 * A fault no sandbox command reaches (onedeck's own files): resume the operation, let its runner
 * stop itself at `step`'s start, break what that step uses, let it go on, and return the ended
 * summary; the caller repairs it with the function returned.
 */
async function breakAt(id: string, step: string, breakIt: () => () => void): Promise<{ s: OperationSummary; repair: () => void }> {
  await startDetached(id, opts({ ONEDECK_TEST_STOP_AT_STEP: step }));
  const pid = readOperation(stateDir(), id)!.runnerPid!;
  sb.track(pid);
  await until(() => `the runner stopped at ${step}\n${describeOperation(id)}`, () => readOperation(stateDir(), id)!.steps.find((x) => x.id === step)!.state === 'running' && procState(pid) === 'T', { timeoutMs: 240_000, everyMs: 50 });
  const repair = breakIt();
  process.kill(pid, 'SIGCONT');
  await until(() => `operation ${id} to stop\n${describeOperation(id)}`, () => readOperation(stateDir(), id)!.state !== 'running', { timeoutMs: 60_000, everyMs: 50 });
  return { s: readOperation(stateDir(), id)!, repair };
}

/** the config step run while onedeck.yaml is not YAML: it fails there, naming the place; repaired after */
async function failsAtConfig(id: string): Promise<void> {
  const cfg = await breakAt(id, 'config', () => {
    const text = readFileSync(sb.configFile, 'utf8');
    writeFileSync(sb.configFile, text.replace(/^hypervisors:/m, 'hypervisors: [oops'));
    return () => writeFileSync(sb.configFile, text);
  });
  expect({ state: cfg.s.state, step: cfg.s.step }, describeOperation(id)).toEqual({ state: 'failed', step: 'config' });
  expect(cfg.s.message).toMatch(/onedeck\.yaml:\d+:\d+: this is not valid YAML/);
  cfg.repair();
}

/** replace a file by something else until repaired (its text restored) */
function spoil(file: string, how: 'garbage' | 'directory'): () => void {
  const text = readFileSync(file, 'utf8');
  rmSync(file);
  if (how === 'directory') mkdirSync(file);
  else writeFileSync(file, '{ this is not json');
  return () => {
    rmSync(file, { recursive: true, force: true });
    writeFileSync(file, text);
  };
}

const done = (s: OperationSummary) => ({ state: s.state, failed: s.steps.filter((x) => x.state !== 'done').map((x) => `${x.id} ${x.state}: ${x.message ?? ''}`) });

describe('every step of an operation', () => {
  it('add kvm-4: the runner killed at the start of each step and resumed each time; it completes', async () => {
    const before = identities('kvm-4');
    const op = newOp('add', 'kvm-4');
    for (const step of ADD_STEP_IDS) await killAt(op.id, step);
    const s = await runToEnd(op.id);
    expect(done(s), describeOperation(op.id)).toEqual({ state: 'done', failed: [] });
    // each step was started twice: killed at its start, then run (or found done) on the resume
    expect(s.steps.map((x) => [x.id, x.attempts])).toEqual(ADD_STEP_IDS.map((id) => [id, 2]));
    expect(sbx().servers.filter((x) => hostOf(x.tags) === 'kvm-4')).toHaveLength(1);
    expect(tfState('kvm-4')).toContain('scaleway_baremetal_server.host');
    expect(sbx().one.hosts.filter((x) => x.hostname === 'kvm-4').map((x) => x.state)).toEqual([2]);
    const after = identities('kvm-4');
    for (const [h, v] of Object.entries(before)) expect(after[h], h).toEqual(v);
  }, 900_000);

  it('remove kvm-2 (it runs a VM): the runner killed at the start of each step and resumed each time; no orphan host', async () => {
    const before = identities('kvm-2');
    const kvm2 = sbx().one.hosts.find((x) => x.hostname === 'kvm-2')!;
    const vms = sbx().one.vms.filter((v) => v.hostId === kvm2.id).map((v) => v.id);
    expect(vms.length).toBeGreaterThan(0);
    const op = newOp('remove', 'kvm-2');
    for (const step of REMOVE_STEP_IDS) await killAt(op.id, step);
    const s = await runToEnd(op.id);
    expect(done(s), describeOperation(op.id)).toEqual({ state: 'done', failed: [] });
    expect(s.steps.map((x) => [x.id, x.attempts])).toEqual(REMOVE_STEP_IDS.map((id) => [id, 2]));
    const st = sbx();
    expect(st.one.hosts.some((x) => x.id === kvm2.id || x.hostname === 'kvm-2')).toBe(false);
    for (const v of vms) expect(st.one.hosts.map((x) => x.id)).toContain(st.one.vms.find((x) => x.id === v)!.hostId);
    expect(st.servers.some((x) => hostOf(x.tags) === 'kvm-2')).toBe(false);
    expect(tfState('kvm-2')).toEqual([]);
    expect(listHypervisors(readFileSync(sb.configFile, 'utf8'))).not.toContain('kvm-2');
    expect(identities('kvm-2')).toEqual(before);
  }, 900_000);

  it('add kvm-5: a fault at each step that has one fails it there, naming the fault; cleared, a resume goes on', async () => {
    const before = identities('kvm-5');
    const op = newOp('add', 'kvm-5');
    // config: onedeck.yaml unreadable (not YAML) when the step reads it
    await failsAtConfig(op.id);
    // the others: each round adds sandbox faults (`clear` first where one must be repaired) and
    // resumes: it fails at the next step
    const rounds: { clear?: boolean; faults: string[]; step: string; says: RegExp }[] = [
      // a server read refused 403 is gone to the provider (as to the real one): the plan would
      // create it again, and the plan check refuses it
      { faults: ['plan'], step: 'plan', says: /the plan for adding kvm-5 would touch more than it should/ },
      { faults: ['apply'], step: 'apply', says: /quota\(s\) exceeded for this resource \(injected: onedeck sandbox fail apply\)/ },
      { faults: ['server-ready'], step: 'server-ready', says: /kvm-5: Scaleway reports the server ready \(install error\)/ },
      { clear: true, faults: ['network'], step: 'network', says: /injected: onedeck sandbox fail network/ },
      // `monitored` bites at the onehost create of the next OneDeploy run (this one fails first)
      { faults: ['deploy', 'monitored'], step: 'deploy', says: /injected: onedeck sandbox fail deploy/ },
      { faults: ['hooks'], step: 'hooks', says: /injected: onedeck sandbox fail hooks/ },
      { faults: [], step: 'monitored', says: /kvm-5: OpenNebula keeps host \d+ in ERROR: .*monitor probe failed: timeout \(injected: onedeck sandbox fail monitored\)/ },
    ];
    for (const r of rounds) {
      if (r.clear) await sandbox('fail', 'clear');
      for (const f of r.faults) await sandbox('fail', f);
      const s = await runToEnd(op.id);
      expect({ state: s.state, step: s.step }, describeOperation(op.id)).toEqual({ state: 'failed', step: r.step });
      // what the operator sees: the failed step's message, its progress lines and its job's log
      const st = s.steps.find((x) => x.id === r.step)!;
      expect([st.message, ...st.log, stepLogs(s, r.step)].join('\n')).toMatch(r.says);
    }
    await sandbox('fail', 'clear');
    const s = await runToEnd(op.id);
    expect(done(s), describeOperation(op.id)).toEqual({ state: 'done', failed: [] });
    expect(sbx().servers.filter((x) => hostOf(x.tags) === 'kvm-5')).toHaveLength(1);
    const after = identities('kvm-5');
    for (const [h, v] of Object.entries(before)) expect(after[h], h).toEqual(v);
  }, 900_000);

  it('remove kvm-1 (two VMs): a fault at each step that has one fails it there; cleared, a resume goes on', async () => {
    const before = identities('kvm-1');
    const op = newOp('remove', 'kvm-1');
    // config, inventory and known-hosts are onedeck's own files: no sandbox fault reaches them
    // (they are broken by hand below, while the runner is stopped at that step)
    const faults: [string, string, RegExp][] = [
      ['onehost-disable', 'onehost-disable', /injected: onedeck sandbox fail onehost-disable/],
      ['onehost-flush', 'onehost-flush', /injected: onedeck sandbox fail onehost-flush/],
      ['migrate', 'drain', /VM \d+ \S+ did not move off kvm-1: .*Error live-migrating VM/],
      ['onehost-delete', 'onehost-delete', /injected: onedeck sandbox fail onehost-delete/],
      ['plan', 'plan', /the plan for removing kvm-1 would touch more than it should/],
      ['apply', 'apply', /insufficient permissions \(injected: onedeck sandbox fail apply\)/],
    ];
    for (const [fault, step, says] of faults) {
      await sandbox('fail', 'clear');
      await sandbox('fail', fault);
      const s = await runToEnd(op.id);
      expect({ state: s.state, step: s.step }, describeOperation(op.id)).toEqual({ state: 'failed', step });
      const st = s.steps.find((x) => x.id === step)!;
      expect([st.message, ...st.log, stepLogs(s, step)].join('\n')).toMatch(says);
    }
    await sandbox('fail', 'clear');
    // onedeck's own files: onedeck.yaml (not YAML), the tofu outputs the inventory is rendered
    // from, and known_hosts
    await failsAtConfig(op.id);
    const inv = await breakAt(op.id, 'inventory', () => spoil(join(sb.dir, 'terraform', OUTPUTS_FILE), 'garbage'));
    expect({ state: inv.s.state, step: inv.s.step }, describeOperation(op.id)).toEqual({ state: 'failed', step: 'inventory' });
    expect(inv.s.message).toMatch(/JSON|outputs/i);
    inv.repair();
    const kh = await breakAt(op.id, 'known-hosts', () => spoil(join(sb.dir, 'known_hosts'), 'directory'));
    expect({ state: kh.s.state, step: kh.s.step }, describeOperation(op.id)).toEqual({ state: 'failed', step: 'known-hosts' });
    expect(kh.s.message).toMatch(/EISDIR/);
    kh.repair();
    const s = await runToEnd(op.id);
    expect(done(s), describeOperation(op.id)).toEqual({ state: 'done', failed: [] });
    // the apply refused after the Flexible IP went: the resume planned again and destroyed the rest
    expect(s.steps.find((x) => x.id === 'apply')!.jobIds.map((j) => readJob(jobsDir(), j).kind)).toEqual(['apply', 'plan', 'apply']);
    const st = sbx();
    expect(st.one.hosts.some((x) => x.hostname === 'kvm-1')).toBe(false);
    expect(st.servers.some((x) => hostOf(x.tags) === 'kvm-1')).toBe(false);
    expect(tfState('kvm-1')).toEqual([]);
    expect(identities('kvm-1')).toEqual(before);
  }, 900_000);

  it('remove kvm-3: the runner killed while terraform destroys the server; the resume waits for that apply and completes', async () => {
    const before = identities('kvm-3');
    await sandbox('knob', 'delivery-scale', '6'); // the deletion takes 9 s
    const op = newOp('remove', 'kvm-3');
    await startDetached(op.id, opts());
    const pid = readOperation(stateDir(), op.id)!.runnerPid!;
    sb.track(pid);
    await until(() => `kvm-3's server deleting\n${describeOperation(op.id)}`, () => sbx().servers.some((x) => hostOf(x.tags) === 'kvm-3' && x.status === 'deleting'), { timeoutMs: 240_000, everyMs: 100 });
    expect(readOperation(stateDir(), op.id)!.steps.find((x) => x.id === 'apply')!.state).toBe('running');
    process.kill(-pid, 'SIGKILL');
    await until('interrupted', () => readOperation(stateDir(), op.id)!.state === 'interrupted', { timeoutMs: 10_000, everyMs: 50 });
    await sandbox('knob', 'delivery-scale', '1');
    const s = await runToEnd(op.id);
    expect(done(s), describeOperation(op.id)).toEqual({ state: 'done', failed: [] });
    const apply = s.steps.find((x) => x.id === 'apply')!;
    // one apply: the one that outlived the runner; the resume's plan found nothing left of kvm-3
    expect(apply.jobIds.map((j) => readJob(jobsDir(), j).kind)).toEqual(['apply', 'plan']);
    expect(apply.message).toBe('the earlier apply finished it');
    const st = sbx();
    expect(st.servers.some((x) => hostOf(x.tags) === 'kvm-3')).toBe(false);
    expect(tfState('kvm-3')).toEqual([]);
    expect(st.one.hosts.some((x) => x.hostname === 'kvm-3')).toBe(false);
    expect(identities('kvm-3')).toEqual(before);
  }, 600_000);
});
