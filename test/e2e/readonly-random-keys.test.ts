// Issue 11, Tests: a thousand random keys in a read-only session on the sandbox, in a real
// terminal (tmux), spawn no process and write no file. onedeck runs under `strace -f -e
// trace=execve`, which records every program it or any descendant executes; the files are
// snapshotted (path, size, mtime, mode) before it starts and after it quits: HOME with the config
// and state (onedeck.log, onedeck's own log, excepted; the sandbox daemon's own files too, as
// another process writes them), the sandbox's onedeck.yaml, terraform/ and inventory, and ansible/.
// Then `onedeck run` of every mutating action the registry lists is refused, with no job started.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, e2eHome, openTerminal, REPO, type E2eHome, type Terminal } from '../harness/e2e.js';

let h: E2eHome;
let t: Terminal;
let trace: string;

/** every file and directory under `root` as path → size, mtime, mode (symlinks not followed) */
function walk(root: string, skip: (rel: string) => boolean, out = new Map<string, string>(), dir = root): Map<string, string> {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const rel = relative(root, p);
    if (skip(rel)) continue;
    const st = lstatSync(p);
    // a directory's entries are listed one by one; its own mtime moves when onedeck.log is created in it
    out.set(p, e.isDirectory() ? `dir ${st.mode}` : `${st.size} ${st.mtimeMs} ${st.mode}`);
    if (e.isDirectory()) walk(root, skip, out, p);
  }
  return out;
}

function snapshot(): Map<string, string> {
  const sandbox = join('state', 'onedeck', 'sandbox');
  const s = walk(h.home, (rel) => {
    if (rel === join('state', 'onedeck', 'onedeck.log')) return true;
    if (rel === trace.slice(h.home.length + 1)) return true;
    // the sandbox daemon's own files (its state, logs, simulated hosts) are written by that daemon;
    // what onedeck could write there is kept: its onedeck.yaml, terraform/ and inventory
    if (rel.startsWith(`${sandbox}/`)) {
      const r = rel.slice(sandbox.length + 1);
      return !(r === 'onedeck.yaml' || r === 'inventory.yml' || r === 'terraform' || r.startsWith('terraform/'));
    }
    return false;
  });
  walk(join(REPO, 'ansible'), () => false, s);
  return s;
}

/** a seeded random: the same thousand keys every run */
function prng(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

// every key a colleague could press but q and ctrl-c (which quit) and ctrl-z (suspend); no `;`
// (tmux reads a lone one as a command separator)
const PRINTABLE = 'abcdefghijklmnoprstuvwxyzABCDEFGHIJKLMNOPRSTUVWXYZ0123456789:/?!-_.,+*=<>[]{}()@#%&|~ ';
const SPECIAL = ['Enter', 'Escape', 'Tab', 'BTab', 'Up', 'Down', 'Left', 'Right', 'PageUp', 'PageDown', 'Home', 'End', 'BSpace', 'C-s', 'C-d', 'C-u', 'C-l'];

beforeAll(async () => {
  h = e2eHome({ prefix: 'rokeys', user: 'colleague' });
  h.startSandbox();
  trace = join(h.home, 'execve.trace');
  t = await openTerminal(h, { cols: 150, rows: 40 });
}, 90_000);

afterAll(() => {
  t?.kill();
  h?.teardown();
});

describe('a thousand random keys in a read-only session', () => {
  let before: Map<string, string>;

  it('starts read-only under strace', async () => {
    before = snapshot();
    rmSync(trace, { force: true });
    t.run(`strace -f -qq -s 4096 -e trace=execve -o ${trace} ${process.execPath} ${CLI} --readonly --refresh 2; echo "EXIT=$?"`);
    const s = await t.shows(/kvm-3/, 60_000);
    expect(s).toContain('READ-ONLY');
  }, 90_000);

  it('takes 1000 random keys, stays up, and quits on q', async () => {
    const rnd = prng(11);
    let sent = 0;
    while (sent < 1000) {
      // a batch of printable keys typed at once, or one special key
      const r = rnd();
      if (r < 0.15) {
        // Escape is what a colleague presses most: it leaves prompts, so keys reach the screens
        t.keys('Escape');
        sent++;
      } else if (r < 0.75) {
        let text = '';
        const n = r < 0.6 ? 1 : 1 + Math.floor(rnd() * 8);
        for (let i = 0; i < n; i++) text += PRINTABLE[Math.floor(rnd() * PRINTABLE.length)];
        // tmux would read a leading "-" as one of its options
        if (text.startsWith('-')) text = `_${text.slice(1)}`;
        t.type(text);
        sent += n;
      } else {
        t.keys(SPECIAL[Math.floor(rnd() * SPECIAL.length)]);
        sent++;
      }
      // now and then, let it draw (and check it is still onedeck)
      if (sent % 100 < 8) await t.shows(/READ-ONLY|RO /, 15_000);
    }
    // leave whatever prompt or screen the keys left open, then quit
    for (let i = 0; i < 6; i++) t.keys('Escape');
    await t.shows(/kvm-3/, 15_000);
    t.keys('q');
    await t.shows(/EXIT=0/, 20_000);
  }, 240_000);

  it('no process was spawned by the keys: the only programs run are the health sweep\'s `ssh -G` lookups, none repeated', () => {
    const lines = readFileSync(trace, 'utf8').split('\n').filter((l) => /execve\(/.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toContain(CLI);
    // the health sweep (which runs with or without keys) resolves each host's ssh_config with
    // `ssh -G` (src/adapters/ssh/ssh-config.ts), a read-only lookup; nothing else may run: no job
    // runner, no tofu, no ansible-playbook, no shell
    const others = lines.slice(1).filter((l) => !/execve\("[^"]*\/ssh", \["ssh", "-G", /.test(l));
    expect(others).toEqual([]);
    // and those answers are cached until ssh_config changes (it does not here): the sweeps every
    // 2 s during the keys resolve no host a second time, so nothing runs after the first sweeps
    // (one spawn tries each PATH directory in turn: only the execve that succeeded counts)
    const ran = lines.slice(1).filter((l) => /\) = 0$/.test(l));
    const lookups = ran.map((l) => /\["ssh", "-G", (.*?)\]/.exec(l)?.[1]).filter((a): a is string => !!a);
    expect(lookups.length).toBeGreaterThanOrEqual(1);
    expect(lookups.filter((a, i) => lookups.indexOf(a) !== i)).toEqual([]);
  });

  it('no file was written but onedeck.log', () => {
    const after = snapshot();
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((p) => before.get(p) !== after.get(p));
    expect(changed).toEqual([]);
    const log = readFileSync(join(h.state, 'onedeck', 'onedeck.log'), 'utf8');
    expect(log).toContain('read-only session: --readonly');
    // the keys did reach mutating actions (refused, and logged as such), not only a text prompt
    const refusals = [...log.matchAll(/refused \(read-only session [^)]*\): (\S+)/g)].map((m) => m[1]);
    expect(refusals.length, log.slice(-3000)).toBeGreaterThanOrEqual(10);
    expect(new Set(refusals).size, log.slice(-3000)).toBeGreaterThanOrEqual(3);
  });

  it('onedeck run: every mutating action of the registry is refused, and no job starts', () => {
    const list = JSON.parse(h.onedeck(['run', '--list', '--json']).stdout) as { id: string; mutating: boolean; headless: boolean }[];
    const mutating = list.filter((a) => a.mutating && a.headless).map((a) => a.id);
    expect(mutating).toEqual(expect.arrayContaining(['plan', 'apply', 'deploy', 'hooks', 'validate', 'network', 'cancel', 'init']));
    const jobsDir = join(h.state, 'onedeck', 'jobs');
    const jobs = () => (existsSync(jobsDir) ? readdirSync(jobsDir) : []);
    const before = jobs();
    const ro = { ...h.env, ONEDECK_READONLY: '1' };
    for (const id of mutating) {
      const refused = spawnRo(id, ro);
      expect(refused.status, `${id}: ${refused.stderr}`).toBe(1);
      expect(JSON.parse(refused.stdout.trim().split('\n').pop()!), id).toMatchObject({ type: 'refused', reason: 'readonly' });
    }
    expect(jobs()).toEqual(before);
  }, 180_000);
});

function spawnRo(id: string, env: Record<string, string>) {
  // ONEDECK_READONLY=1, no flag: the environment alone makes it read-only
  return spawnSync(process.execPath, [CLI, 'run', id, '--yes', '--json'], { cwd: h.home, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
}
