// Every signal that can end onedeck gives the terminal back (main screen, cursor shown, cooked
// input), and SIGTSTP/SIGCONT leave and re-enter the full screen properly. The built CLI runs in
// a real terminal (tmux); signals go to its PID. Needs `npm run build`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTmux, type TmuxSession } from '../harness/tmux.js';
import { showsOn } from '../harness/wait.js';
import { fakeAccessKey, fakeSecretKey } from '../harness/fake-credentials.js';

const repo = resolve(import.meta.dirname, '../..');
const cli = join(repo, 'dist/onedeck.js');
let home: string;
let env: Record<string, string>;

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  home = mkdtempSync(join(tmpdir(), 'onedeck-signals-'));
  // a cluster nothing answers for (loopback port 9): the UI comes up, sweeps fail quietly
  writeFileSync(
    join(home, 'onedeck.yaml'),
    [
      'cluster: sig',
      'scaleway: { zone: fr-par-2, project_id: 11111111-2222-3333-4444-555555555555 }',
      'frontend: { name: fe, ssh: { host: 127.0.0.1, port: 9 } }',
      'hypervisors: [{ name: kvm-1, ssh: { host: 127.0.0.1, port: 9 } }]',
      'refresh_seconds: 3600',
      '',
    ].join('\n'),
  );
  env = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_STATE_HOME: join(home, 'state'),
    USER: 'e2e',
    SCW_ACCESS_KEY: fakeAccessKey('X'),
    SCW_SECRET_KEY: fakeSecretKey('2'),
    SCW_API_URL: 'http://127.0.0.1:9',
    NO_COLOR: '',
  };
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

function fmt(t: TmuxSession, f: string): string {
  return execFileSync('tmux', ['-S', t.socket, 'display-message', '-p', '-t', '0', f], { encoding: 'utf8' }).trim();
}
/** the pane's terminal: alternate screen on?, cursor shown?, canonical (line) input? */
function term(t: TmuxSession) {
  const tty = fmt(t, '#{pane_tty}');
  const stty = spawnSync('stty', ['-F', tty, '-a'], { encoding: 'utf8' }).stdout;
  return { alternate: fmt(t, '#{alternate_on}') === '1', cursor: fmt(t, '#{cursor_flag}') === '1', canonical: /(^|\s)icanon\b/.test(stty) };
}
/** the onedeck process: the only child of the pane's shell */
function onedeckPid(t: TmuxSession): number {
  const sh = t.panePid()!;
  const kids = spawnSync('ps', ['-o', 'pid=', '--ppid', String(sh)], { encoding: 'utf8' }).stdout.trim().split(/\s+/).filter(Boolean).map(Number);
  expect(kids).toHaveLength(1);
  return kids[0];
}
async function until(what: string, pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function start(): TmuxSession {
  const cmd = `sh -c 'until [ "$(stty size)" = "24 100" ]; do sleep 0.05; done; node ${cli} --config ${home}/onedeck.yaml; echo "EXIT=$?"; exec sleep 120'`;
  return startTmux(cmd, { cols: 100, rows: 24, env, cwd: home });
}

describe('signals give the terminal back', () => {
  for (const [sig, code] of [['QUIT', 131], ['USR2', 140], ['TERM', 143], ['HUP', 129], ['INT', 130]] as const) {
    it(`SIG${sig}: main screen, cursor shown, line input; exit ${code}`, async () => {
      const t = start();
      try {
        await showsOn(() => t.screen())(/kvm-1/, 30_000);
        await until('the full screen', () => term(t).alternate && !term(t).canonical);
        process.kill(onedeckPid(t), `SIG${sig}`);
        await showsOn(() => t.screen())(`EXIT=${code}`, 15_000);
        expect(term(t)).toEqual({ alternate: false, cursor: true, canonical: true });
      } finally {
        t.kill();
      }
    }, 60_000);
  }

  it('SIGTSTP leaves the full screen and stops; SIGCONT comes back drawn anew with raw input', async () => {
    const t = start();
    try {
      await showsOn(() => t.screen())(/kvm-1/, 30_000);
      await until('the full screen', () => term(t).alternate && !term(t).canonical);
      const pid = onedeckPid(t);
      process.kill(pid, 'SIGTSTP');
      await until('onedeck to stop', () => /^T/.test(spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim()));
      expect(term(t)).toEqual({ alternate: false, cursor: true, canonical: true });
      process.kill(pid, 'SIGCONT');
      await until('the full screen again', () => term(t).alternate && !term(t).canonical);
      const screen = await showsOn(() => t.screen())(/kvm-1/);
      expect(screen).toContain('fe');
      expect(term(t).cursor).toBe(false);
      // keys work again: q quits with the terminal restored
      t.keys('q');
      await showsOn(() => t.screen())('EXIT=0', 15_000);
      expect(term(t)).toEqual({ alternate: false, cursor: true, canonical: true });
    } finally {
      t.kill();
    }
  }, 60_000);

  it('SIGSTOP (not asked for) then SIGCONT: drawn anew with raw input, even after the shell set line input', async () => {
    const t = start();
    try {
      await showsOn(() => t.screen())(/kvm-1/, 30_000);
      await until('the full screen', () => term(t).alternate && !term(t).canonical);
      const pid = onedeckPid(t);
      process.kill(pid, 'SIGSTOP');
      await until('onedeck to stop', () => /^T/.test(spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim()));
      // what a shell does when it takes the terminal back
      spawnSync('stty', ['-F', fmt(t, '#{pane_tty}'), 'sane']);
      expect(term(t).canonical).toBe(true);
      process.kill(pid, 'SIGCONT');
      await until('raw input again', () => term(t).alternate && !term(t).canonical);
      expect(await showsOn(() => t.screen())(/kvm-1/)).toContain('fe');
      t.keys('q');
      await showsOn(() => t.screen())('EXIT=0', 15_000);
      expect(term(t)).toEqual({ alternate: false, cursor: true, canonical: true });
    } finally {
      t.kill();
    }
  }, 60_000);
});
