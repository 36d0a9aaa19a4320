// End to end, as an operator (issue 9): add and remove hypervisors from the keyboard of the built
// CLI in tmux, on the sandbox. + adds kvm-4 (a preview of every step, y) and it ends MONITORED and
// healthy; - removes kvm-2 while it runs a VM (its name typed): the VM ends on another host, no
// orphan host stays in OpenNebula, hooks deploy afterwards, every other server keeps its name and
// ids; refusals before anything changes; onedeck killed mid-operation, restarted, follows it to
// the end; an injected failure shows the failed step and its log, and :resume finishes it; the
// headless twins exit 0 / 1. The scenarios run in order on one sandbox.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshPool } from '../../src/adapters/ssh/connection-pool.js';
import { loadConfigFile } from '../../src/config/load.js';
import { CLI, e2eHome, hostRow, openTerminal, type E2eHome, type Terminal } from '../harness/e2e.js';
import { until } from '../harness/wait.js';

const OPERATOR = 'e2e-ops';
let h: E2eHome;
let t: Terminal;
let yaml: string;
let pool: SshPool;
/** onedeck.yaml before the add of kvm-7 (which fails before OneDeploy, then is rolled back) */
let yamlBeforeKvm7 = '';

const opsDir = () => join(h.state, 'onedeck', 'operations');
const opIds = () => (existsSync(opsDir()) ? readdirSync(opsDir()).sort() : []);

/** OpenNebula's hosts, asked on the sandbox frontend over SSH (`onehost list -j`) */
async function oneHosts(): Promise<{ id: string; name: string; hostname: string; vms: string[] }[]> {
  const c = loadConfigFile(yaml, { sandbox: true });
  const ask = () => pool.exec({ host: c.frontend.ssh!.host, port: c.frontend.ssh!.port }, `${c.opennebula.command_prefix} onehost list -j`.trim());
  // a pooled connection idle for minutes may be gone ("No response from server"): the pool drops
  // it on the error, so asking again connects afresh
  const r = await ask().catch(() => ask());
  const j = JSON.parse(r.stdout) as { HOST_POOL?: { HOST?: unknown } };
  const list = ([] as Record<string, unknown>[]).concat((j.HOST_POOL?.HOST as Record<string, unknown>[]) ?? []);
  return list.map((x) => {
    const vms = (x.VMS as { ID?: string | string[] } | undefined)?.ID;
    const tmpl = x.TEMPLATE as { HOSTNAME?: string } | undefined;
    return { id: String(x.ID), name: String(x.NAME), hostname: tmpl?.HOSTNAME ?? String(x.NAME), vms: vms === undefined ? [] : ([] as string[]).concat(vms) };
  });
}

/** the sandbox's Scaleway servers: host name → server id */
function servers(): Record<string, string> {
  const s = JSON.parse(readFileSync(join(h.sandboxDir, 'state.json'), 'utf8')) as { servers: { id: string; tags: string[] }[] };
  return Object.fromEntries(s.servers.map((x) => [x.tags.find((g) => g.startsWith('host='))!.slice(5), x.id]));
}

/** the sandbox's Scaleway servers of `host`: their statuses */
function serverStatuses(host: string): string[] {
  const s = JSON.parse(readFileSync(join(h.sandboxDir, 'state.json'), 'utf8')) as { servers: { status: string; tags: string[] }[] };
  return s.servers.filter((x) => x.tags.includes(`host=${host}`)).map((x) => x.status);
}

const sandbox = (...args: string[]) => {
  const r = h.onedeck(['sandbox', ...args]);
  expect(r.status, r.stderr).toBe(0);
};

async function command(text: string): Promise<void> {
  t.keys(':');
  await t.shows(/^:/m, 5_000);
  t.type(text);
  t.keys('Enter');
}

/** onedeck is up in the terminal (each scenario can also run alone) */
async function ensureOnedeck(): Promise<void> {
  if (!t.capture().includes('SANDBOX')) t.startOnedeck();
  else await command('hosts');
  await t.until('the hosts', 20_000, (s) => hostRow(s, 'kvm-3'));
}

/** the operation screen's title says the state */
const opState = (title: string, state: string) => new RegExp(`${title} · ${state} · op-`);

beforeAll(async () => {
  h = e2eHome({ prefix: 'ops', user: OPERATOR });
  h.startSandbox();
  yaml = join(h.sandboxDir, 'onedeck.yaml');
  const c = loadConfigFile(yaml, { sandbox: true });
  pool = new SshPool({ user: c.ssh.user, key: c.ssh.key, knownHosts: c.ssh.known_hosts, timeoutMs: 10_000 });
  t = await openTerminal(h, { cols: 180, rows: 50 });
});

afterAll(() => {
  void pool?.close();
  t?.kill();
  h?.teardown();
});

describe('operations from the keyboard', () => {
  it('a read-only session refuses + and :remove through the executor; nothing is written', async () => {
    t.startOnedeck(['--readonly']);
    await t.until('the hosts', 20_000, (s) => hostRow(s, 'kvm-3'));
    t.keys('+');
    await t.shows('add hypervisors: not available, this session is read-only', 5_000);
    await command('remove kvm-1');
    await t.shows('remove a hypervisor: not available, this session is read-only', 5_000);
    expect(opIds()).toEqual([]);
    await t.quitOnedeck();
  }, 60_000);

  it('refuses to remove the frontend, and a host whose VMs fit nowhere, before anything changes', async () => {
    t.startOnedeck();
    await t.until('the hosts', 20_000, (s) => hostRow(s, 'kvm-3'));
    await command('remove fe');
    await t.shows('fe is the frontend: it can never be removed', 10_000);
    // no other host takes VMs: kvm-1's two VMs fit nowhere
    for (const x of ['fe', 'kvm-2', 'kvm-3']) sandbox('host', x, 'one-state', 'DISABLED');
    await command('remove kvm-1');
    await t.shows(/kvm-1 cannot be removed: VM 10 web-1 .*fit on no other enabled host/, 10_000);
    for (const x of ['fe', 'kvm-2', 'kvm-3']) sandbox('host', x, 'one-state', 'MONITORED');
    expect(opIds()).toEqual([]);
    expect((await oneHosts()).map((x) => x.hostname).sort()).toEqual(['fe', 'kvm-1', 'kvm-2', 'kvm-3']);
  }, 60_000);

  it('+ previews every step, y runs them: kvm-4 ends MONITORED and healthy', async () => {
    t.keys('Escape');
    t.keys('+');
    const q = await t.shows('run it? [y/N]', 10_000);
    expect(q).toContain('add kvm-4: 8 steps');
    expect(q).toMatch(/1\. add kvm-4 to onedeck\.yaml[\s\S]*6\. OneDeploy on the frontend and kvm-4[\s\S]*8\. wait for OpenNebula to show kvm-4 MONITORED/);
    t.keys('y');
    await t.shows(opState('add kvm-4', 'running'), 10_000);
    await t.shows(opState('add kvm-4', 'done'), 120_000);
    t.keys('Escape');
    await t.until('kvm-4 MONITORED and healthy', 30_000, (s) => {
      const r = hostRow(s, 'kvm-4');
      return r?.OPENNEBULA.startsWith('MONITORED') && r.kind === 'healthy';
    });
  }, 180_000);

  it('- on kvm-2 (it runs VM 13), its name typed: the VM moves, no orphan host, hooks deploy, the others keep their ids', async () => {
    const one0 = await oneHosts();
    const kvm2 = one0.find((x) => x.hostname === 'kvm-2')!;
    expect(kvm2.vms).toContain('13');
    const scw0 = servers();
    const ids0 = Object.fromEntries(one0.filter((x) => x.hostname !== 'kvm-2').map((x) => [x.hostname, x.id]));
    // hosts sorted by name: fe, kvm-1, kvm-2
    t.keys('g');
    t.keys('j');
    t.keys('j');
    await t.until('kvm-2 selected', 5_000, (s) => s.includes('│▸ kvm-2'));
    t.keys('-');
    const q = await t.shows('Type kvm-2 to confirm', 15_000);
    expect(q).toMatch(/VM 13 \S+ \([^)]*\) → kvm-\d/);
    expect(q).toContain('4. onehost delete kvm-2');
    t.type('kvm-2');
    t.keys('Enter');
    await t.shows(opState('remove kvm-2', 'done'), 120_000);
    const one1 = await oneHosts();
    expect(one1.some((x) => x.hostname === 'kvm-2' || x.id === kvm2.id)).toBe(false);
    const holder = one1.find((x) => x.vms.includes('13'));
    expect(holder && holder.hostname).toMatch(/^(fe|kvm-\d)$/);
    expect(Object.fromEntries(one1.map((x) => [x.hostname, x.id]))).toEqual(ids0);
    const scw1 = servers();
    expect(scw1['kvm-2']).toBeUndefined();
    for (const [name, id] of Object.entries(scw0)) if (name !== 'kvm-2') expect(scw1[name]).toBe(id);
    const hooks = h.onedeck(['run', 'hooks', '--yes']);
    expect(hooks.status, hooks.stderr).toBe(0);
  }, 180_000);

  it('onedeck killed mid-operation: the next onedeck shows it running (the lock names it) and follows it to the end', async () => {
    sandbox('knob', 'delivery-scale', '8'); // the apply waits for the server's delivery
    await ensureOnedeck();
    t.keys('Escape');
    await command('add kvm-5');
    await t.shows('run it? [y/N]', 10_000);
    t.keys('y');
    await t.shows(/add kvm-5 · running · op-[\s\S]*▶ running\s+\S+\s+apply/, 60_000);
    t.kill();
    t = await openTerminal(h, { cols: 180, rows: 50 });
    t.startOnedeck();
    // the header shows it at once; another mutating job is refused in its name
    await t.shows(/add kvm-5: \d\/8/, 20_000);
    t.keys('p');
    await t.shows(/operation add kvm-5 is running \(op-\S+, e2e-ops\)/, 5_000);
    await command('ops');
    await t.shows(/op-\S+-add-kvm-5-\S+\s+running/, 5_000);
    // now its runner dies too (the apply job it waits for goes on): the operation shows interrupted
    const id = opIds().find((x) => x.includes('add-kvm-5'))!;
    const run = readFileSync(join(opsDir(), id, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: string; pid?: number }).filter((r) => r.t === 'run').at(-1)!;
    process.kill(run.pid!, 'SIGKILL');
    await t.shows(/op-\S+-add-kvm-5-\S+\s+interrupted/, 10_000);
    t.keys('Enter');
    t.keys('R');
    await t.shows(/resume add kvm-5 from apply\?/, 5_000);
    t.keys('y');
    sandbox('knob', 'delivery-scale', '1');
    await t.shows(opState('add kvm-5', 'done'), 120_000);
    // the apply job that outlived its runner was waited for, not started again
    const jobs = readFileSync(join(opsDir(), id, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: string; step?: string }).filter((r) => r.t === 'job' && r.step === 'apply');
    expect(jobs).toHaveLength(1);
  }, 240_000);

  it('a failure injected at deploy shows the failed step and its log; fail clear, :resume finishes it', async () => {
    sandbox('fail', 'deploy');
    await ensureOnedeck();
    t.keys('Escape');
    t.keys('Escape');
    await command('add kvm-6');
    await t.shows('run it? [y/N]', 10_000);
    t.keys('y');
    const failed = await t.shows(opState('add kvm-6', 'failed'), 120_000);
    expect(failed).toMatch(/✗ failed .*OneDeploy on the frontend and kvm-6/);
    await t.shows('ERROR! deploy failed (injected: onedeck sandbox fail deploy)', 10_000);
    sandbox('fail', 'clear');
    const id = opIds().find((x) => x.includes('add-kvm-6'))!;
    await command(`resume ${id}`);
    await t.shows(/resume add kvm-6 from OneDeploy/, 5_000);
    t.keys('y');
    await t.shows(opState('add kvm-6', 'done'), 120_000);
  }, 240_000);

  it('the headless twins: remove with --yes --confirm exits 0, printing each step; a refusal and a failure exit 1', async () => {
    const refused = h.onedeck(['remove', 'fe', '--yes', '--confirm', 'fe']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('fe is the frontend: it can never be removed');
    const unconfirmed = h.onedeck(['remove', 'kvm-6', '--yes']);
    expect(unconfirmed.status).toBe(1);
    expect(unconfirmed.stderr).toContain('pass --yes --confirm kvm-6');
    const r = h.onedeck(['remove', 'kvm-6', '--yes', '--confirm', 'kvm-6', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const recs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { t?: string; type?: string; state?: string; step?: string });
    expect(recs.filter((x) => x.t === 'step' && x.state === 'done').map((x) => x.step)).toEqual(['onehost-disable', 'onehost-flush', 'drain', 'onehost-delete', 'plan', 'apply', 'config', 'inventory', 'known-hosts']);
    expect(recs.at(-1)).toMatchObject({ t: 'end', state: 'done' });
    yamlBeforeKvm7 = readFileSync(yaml, 'utf8');
    sandbox('fail', 'network');
    const f = h.onedeck(['add', 'kvm-7', '--yes']);
    expect(f.status).toBe(1);
    expect(f.stdout).toMatch(/host network \(network\.yml\) on kvm-7: failed/);
    expect(f.stdout).toMatch(/failed at host network/);
    // `onedeck run add|remove` is the same twin: it follows the operation, one line per step
    // event, exit 1 when it failed (Scaleway refused kvm-9's server) and 0 when it is done (kvm-9
    // removed: its private-network IPs, made before the refusal, destroyed with it)
    sandbox('fail', 'apply');
    const ra = h.onedeck(['run', 'add', 'kvm-9', '--yes']);
    expect(ra.status, ra.stderr).toBe(1);
    expect(ra.stdout).toMatch(/quota\(s\) exceeded|apply: failed/);
    expect(ra.stdout).toMatch(/failed at apply/);
    const rr = h.onedeck(['run', 'remove', 'kvm-9', '--yes', '--confirm', 'kvm-9']);
    expect(rr.status, rr.stderr).toBe(0);
    expect(rr.stdout).toMatch(/plan: exactly kvm-9's server and Flexible IP destroyed: done — plan \S+: 2 to destroy/);
    expect(rr.stdout).toMatch(/drop kvm-9's known_hosts entries: done/);
    expect(servers()['kvm-9']).toBeUndefined();
    // read-only from the environment (as for onedeck run and the TUI): refused, nothing started
    const n = opIds().length;
    const ro = spawnSync(process.execPath, [CLI, 'add', '--yes'], { cwd: h.home, env: { ...process.env, ...h.env, ONEDECK_READONLY: '1' }, encoding: 'utf8', timeout: 60_000 });
    expect(ro.status).toBe(1);
    expect(ro.stderr).toContain('add hypervisors: not available, this session is read-only');
    const rro = spawnSync(process.execPath, [CLI, 'run', 'remove', 'kvm-6', '--yes', '--confirm', 'kvm-6'], { cwd: h.home, env: { ...process.env, ...h.env, ONEDECK_READONLY: '1' }, encoding: 'utf8', timeout: 60_000 });
    expect(rro.status).toBe(1);
    expect(rro.stderr).toContain('remove a hypervisor: not available, this session is read-only');
    expect(opIds()).toHaveLength(n);
  }, 300_000);

  it(':rollback of the add that failed before OneDeploy, its name typed: only what it made goes, onedeck.yaml is as before', async () => {
    const one0 = await oneHosts();
    const scw0 = servers();
    expect(scw0['kvm-7']).toBeDefined();
    await ensureOnedeck();
    const id = opIds().find((x) => x.includes('add-kvm-7'))!;
    await command(`rollback ${id}`);
    const q = await t.shows('Type kvm-7 to confirm', 15_000);
    expect(q).toContain('roll back: remove kvm-7:');
    expect(q).toMatch(/undo add kvm-7: destroy kvm-7's server and Flexible IP/);
    t.type('kvm-7');
    t.keys('Enter');
    await t.shows(opState('remove kvm-7', 'done'), 120_000);
    const scw1 = servers();
    expect(scw1['kvm-7']).toBeUndefined();
    for (const [name, sid] of Object.entries(scw0)) if (name !== 'kvm-7') expect(scw1[name], name).toBe(sid);
    expect((await oneHosts()).map((x) => [x.hostname, x.id])).toEqual(one0.map((x) => [x.hostname, x.id]));
    expect(readFileSync(yaml, 'utf8')).toBe(yamlBeforeKvm7);
    // the add it undid can no longer be resumed
    expect(readFileSync(join(opsDir(), id, 'journal.jsonl'), 'utf8')).toMatch(/"t":"end"[^\n]*"state":"abandoned"/);
    t.keys('Escape');
  }, 180_000);

  it('x while an operation runs cancels it at that step (its job cancelled); R resumes it to the end', async () => {
    sandbox('knob', 'delivery-scale', '8');
    await ensureOnedeck();
    await command('add kvm-8');
    await t.shows('run it? [y/N]', 10_000);
    t.keys('y');
    await t.shows(/add kvm-8 · running · op-[\s\S]*▶ running\s+\S+\s+apply/, 60_000);
    // cancel once terraform has created the server and waits for its delivery: its provider then
    // gets Terraform's stop, returns the id and the server is tainted in the state. (An interrupt
    // that lands before Terraform's walk began is ignored by Terraform, which then creates the
    // server anyway; the SIGKILL after the grace loses it, and resume rightly refuses.)
    await until('kvm-8 delivering', () => serverStatuses('kvm-8').includes('delivering'), { timeoutMs: 60_000, everyMs: 100 });
    t.keys('x');
    await t.shows(/cancel operation add kvm-8 at apply\?/, 5_000);
    t.keys('y');
    const cancelled = await t.shows(opState('add kvm-8', 'cancelled'), 60_000);
    expect(cancelled).toMatch(/■ cancelled .*apply/);
    sandbox('knob', 'delivery-scale', '1');
    t.keys('R');
    await t.shows(/resume add kvm-8 from apply\?/, 5_000);
    t.keys('y');
    await t.shows(opState('add kvm-8', 'done'), 120_000);
  }, 240_000);

  it('onedeck.yaml edited by hand shows without a keypress; a broken one changes nothing and says why in full', async () => {
    await ensureOnedeck();
    const good = readFileSync(yaml, 'utf8');
    writeFileSync(yaml, good.replace(/^hypervisors:/m, 'hypervisors: [oops'));
    const d = await t.shows('onedeck.yaml not reloaded: nothing changed', 10_000);
    expect(d).toMatch(/onedeck\.yaml:\d+:\d+: this is not valid YAML/);
    // the fix, whole: for this edit, the mis-indented line and how to indent it
    expect(d).toMatch(/Indent line \d+ like line \d+|Fix the YAML syntax at that position/);
    expect(readFileSync(join(h.state, 'onedeck', 'onedeck.log'), 'utf8')).toMatch(/not reloaded[\s\S]*onedeck\.yaml:\d+:\d+: this is not valid YAML[\s\S]*(Indent line \d+ like line|Fix the YAML syntax)/);
    expect(hostRow(d, 'kvm-8')).toBeDefined();
    t.keys('j'); // any key closes the dialog
    await t.until('the dialog to close', 5_000, (s) => !s.includes('not reloaded: nothing changed'));
    // a hand edit: kvm-8 taken out of the list shows at once (its row goes)
    writeFileSync(yaml, good.replace(/^\s*- name: kvm-8\n(?:\s{4,}\S.*\n)*/m, ''));
    await t.until('kvm-8 gone from the table', 15_000, (s) => hostRow(s, 'kvm-3') && !hostRow(s, 'kvm-8'));
  }, 60_000);
});
