// Drives a real terminal: a private tmux server (its own socket) running a command in a pane of
// a given size; keys go in with send-keys, the screen comes back with capture-pane. Waiting for
// the screen is the e2e driver's (test/harness/e2e.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TmuxSession {
  socket: string;
  /** the screen as text (no escapes) */
  screen(): string;
  /** the screen with colour escapes (-e) */
  screenAnsi(): string;
  /** the screen with up to `lines` lines of history above it */
  withHistory(lines: number): string;
  keys(...keys: string[]): void;
  /** literal text, typed as is */
  type(text: string): void;
  resize(cols: number, rows: number): void;
  /** the pid of the command running in the pane (undefined once it exited) */
  panePid(): number | undefined;
  paneDead(): boolean;
  kill(): void;
}

export function haveTmux(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

export function startTmux(command: string, opts: { cols: number; rows: number; env?: Record<string, string>; cwd?: string }): TmuxSession {
  const dir = mkdtempSync(join(tmpdir(), 'onedeck-tmux-'));
  const socket = join(dir, 'sock');
  const t = (...args: string[]) => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
  const envArgs = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  // options must be set before the pane starts: turning the status line off later resizes the pane
  // (and scrolls what the program printed); remain-on-exit keeps the final screen readable
  const conf = join(dir, 'tmux.conf');
  writeFileSync(conf, `set -g status off\nset -g remain-on-exit on\nset -g history-limit 1000\nset -g default-size ${opts.cols}x${opts.rows}\n`);
  execFileSync(
    'tmux',
    ['-S', socket, '-f', conf, 'new-session', '-d', '-x', String(opts.cols), '-y', String(opts.rows), ...envArgs, '-c', opts.cwd ?? process.cwd(), command],
    { encoding: 'utf8', env: { ...process.env, TERM: 'xterm-256color' } },
  );

  const screen = () => t('capture-pane', '-p', '-t', '0');
  return {
    socket,
    screen,
    screenAnsi: () => t('capture-pane', '-p', '-e', '-t', '0'),
    withHistory: (lines) => t('capture-pane', '-p', '-S', String(-lines), '-t', '0'),
    keys: (...keys) => void t('send-keys', '-t', '0', ...keys),
    type: (text) => void t('send-keys', '-t', '0', '-l', text),
    resize: (cols, rows) => void t('resize-window', '-t', '0', '-x', String(cols), '-y', String(rows)),
    panePid: () => {
      const out = t('display-message', '-p', '-t', '0', '#{pane_dead} #{pane_pid}').trim().split(' ');
      return out[0] === '1' ? undefined : Number(out[1]);
    },
    paneDead: () => t('display-message', '-p', '-t', '0', '#{pane_dead}').trim() === '1',
    kill: () => {
      spawnSync('tmux', ['-S', socket, 'kill-server']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
