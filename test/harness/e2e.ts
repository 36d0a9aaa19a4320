// The one driver of the end-to-end tests: the built CLI (dist/onedeck.js) on a sandbox of its own
// (a private HOME and XDG dirs), in a real terminal (a private tmux server). Every screen capture
// goes through `capture()`, so a test can check each one (a secret must never show) and sample the
// header. Teardown stops the sandbox daemon and the tmux server by their PIDs and removes HOME.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readInfo, processAlive } from '../../src/sandbox/config.js';
import { startTmux, type TmuxSession } from './tmux.js';
import { until, type WaitOpts } from './wait.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const CLI = join(REPO, 'dist/onedeck.js');
/** tmux drops PS1 from -e variables: the prompt is set on the shell's command line */
export const PROMPT = 'e2e-shell$ ';

export interface E2eHome {
  home: string;
  state: string;
  /** $XDG_STATE_HOME/onedeck/sandbox: the sandbox's onedeck.yaml, token, daemon.log */
  sandboxDir: string;
  env: Record<string, string>;
  /** the CLI without a terminal, in HOME */
  onedeck(args: string[]): SpawnSyncReturns<string>;
  /** `onedeck sandbox start`; throws with the daemon's log when it fails */
  startSandbox(): void;
  /** stop the sandbox daemon (by the CLI, then by its PID if it is still there) and remove HOME */
  teardown(): void;
}

/** a HOME, XDG dirs and USER of their own; `env` is added to what onedeck and tmux get */
export function e2eHome(o: { prefix: string; user: string; env?: Record<string, string> }): E2eHome {
  const home = mkdtempSync(join(tmpdir(), `onedeck-e2e-${o.prefix}-`));
  const state = join(home, 'state');
  const sandboxDir = join(state, 'onedeck', 'sandbox');
  const env: Record<string, string> = {
    HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: state, USER: o.user, LOGNAME: o.user, NO_COLOR: '', ...o.env,
  };
  const onedeck = (args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { cwd: home, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  const daemonLog = () => (existsSync(join(sandboxDir, 'daemon.log')) ? readFileSync(join(sandboxDir, 'daemon.log'), 'utf8') : '(no daemon.log)');
  return {
    home, state, sandboxDir, env, onedeck,
    startSandbox() {
      const r = onedeck(['sandbox', 'start']);
      if (r.status !== 0) throw new Error(`onedeck sandbox start exited ${r.status}: ${r.stderr}\n${daemonLog()}`);
    },
    teardown() {
      const pid = readInfo(sandboxDir)?.pid;
      onedeck(['sandbox', 'stop']);
      if (pid && processAlive(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone meanwhile */
        }
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface Terminal {
  tmux: TmuxSession;
  /** the screen, through every capture hook */
  capture(): string;
  /** how many screens were captured */
  captures(): number;
  /** wait until `probe(screen)` is truthy, and return it */
  until<T>(what: string, timeoutMs: number, probe: (screen: string) => T | undefined | false): Promise<T>;
  /** wait until the screen shows `m`; resolves with the screen */
  shows(m: string | RegExp, timeoutMs?: number): Promise<string>;
  keys(...keys: string[]): void;
  type(text: string): void;
  /** type a command line into the shell and press Enter */
  run(command: string): void;
  /** start onedeck at the shell prompt (its exit code is echoed as EXIT=n) */
  startOnedeck(args?: string[]): void;
  /** q, then wait for the shell prompt after EXIT=0 */
  quitOnedeck(): Promise<string>;
  /** the tmux server stopped by its PID */
  kill(): void;
}

/**
 * A terminal of `cols`x`rows` in a private tmux server, running `command` (default: an interactive
 * bash with PROMPT). `onCapture` sees every captured screen (to check it, or sample the header).
 */
export async function openTerminal(h: E2eHome, o: { cols: number; rows: number; command?: string; onCapture?: (screen: string) => void }): Promise<Terminal> {
  const tmux = startTmux(o.command ?? `PS1='${PROMPT}' exec bash --norc --noprofile -i`, { cols: o.cols, rows: o.rows, env: h.env, cwd: h.home });
  let n = 0;
  const capture = () => {
    const s = tmux.screen();
    n++;
    o.onCapture?.(s);
    return s;
  };
  const wait = <T>(what: string, timeoutMs: number, probe: (screen: string) => T | undefined | false): Promise<T> => {
    let last = '';
    const opts: WaitOpts = { timeoutMs, everyMs: 50, seen: () => last };
    return until(what, () => probe((last = capture())), opts);
  };
  const has = (s: string, m: string | RegExp) => (typeof m === 'string' ? s.includes(m) : m.test(s));
  const shows = (m: string | RegExp, timeoutMs = 15_000) => wait(String(m), timeoutMs, (s) => (has(s, m) ? s : undefined));
  const term: Terminal = {
    tmux,
    capture,
    captures: () => n,
    until: wait,
    shows,
    keys: (...k) => tmux.keys(...k),
    type: (t) => tmux.type(t),
    run(command) {
      tmux.type(command);
      tmux.keys('Enter');
    },
    startOnedeck(args = []) {
      term.run(`node ${CLI} ${args.join(' ')}; echo "EXIT=$?"`);
    },
    async quitOnedeck() {
      const before = (tmux.withHistory(0).match(/EXIT=0/g) ?? []).length;
      tmux.keys('q');
      return wait('onedeck to exit and the shell to come back', 10_000, (s) =>
        (s.match(/EXIT=0/g) ?? []).length > before && /EXIT=0\s*\n\s*e2e-shell\$/.test(s) && !s.includes('SANDBOX') ? s : undefined);
    },
    kill() {
      let pid: number | undefined;
      try {
        pid = Number(spawnSync('tmux', ['-S', tmux.socket, 'display-message', '-p', '#{pid}'], { encoding: 'utf8' }).stdout.trim()) || undefined;
      } catch {
        /* no server */
      }
      tmux.kill();
      if (pid && processAlive(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone meanwhile */
        }
      }
    },
  };
  if (!o.command) await shows(PROMPT.trim(), 10_000);
  return term;
}

/** a table's rows as column → text, columns cut at the header's titles (`_line`, `_selected` too) */
export function tableRows(screen: string, titles: string[]): Record<string, string>[] {
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

export const HOST_COLS = ['NAME', 'SCALEWAY', 'OPENNEBULA', 'SSH', 'VERDICT'];

/** one host's row of the host table: its columns, its `name` and the verdict's `kind` */
export function hostRow(screen: string, name: string): (Record<string, string> & { name: string; kind: string }) | undefined {
  const r = tableRows(screen, HOST_COLS).find((x) => x.NAME.split(/\s/)[0] === name);
  return r ? { ...r, name: r.NAME.split(/\s/)[0], kind: r.VERDICT.split(/[:\s]/)[0] } : undefined;
}
