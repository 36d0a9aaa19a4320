// End to end, as an operator: the built CLI in a real terminal (tmux) on the sandbox cluster.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTmux, type TmuxSession } from '../harness/tmux.js';

const repo = resolve(import.meta.dirname, '../..');
const cli = join(repo, 'dist/onedeck.js');

let home: string;
let env: Record<string, string>;

function onedeck(args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: home, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'onedeck-e2e-'));
  env = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_STATE_HOME: join(home, 'state'),
    USER: 'e2e',
    // CI=true makes a stock Ink print only its last frame; onedeck must draw live regardless
    CI: 'true',
    NO_COLOR: '',
  };
});

afterAll(() => {
  onedeck(['sandbox', 'stop']);
  rmSync(home, { recursive: true, force: true });
});

async function openAndQuit(cols: number, rows: number): Promise<void> {
  // wait until tmux has given the pane its final size, so nothing printed before onedeck scrolls away
  const cmd = `sh -c 'until [ "$(stty size)" = "${rows} ${cols}" ]; do sleep 0.05; done; echo BEFORE-ONEDECK; stty -a | grep -o -- "-\\?icanon" | head -1; node ${cli} --refresh 2; echo "EXIT=$?"; stty -a | grep -o -- "-\\?icanon" | head -1; exec sleep 120'`;
  const t: TmuxSession = startTmux(cmd, { cols, rows, env, cwd: home });
  try {
    const first = await t.waitFor(/kvm-3/, 30_000);
    expect(first).toContain('SANDBOX');
    expect(first).toMatch(/fe\b/);
    expect(first).toContain('kvm-1');
    expect(first).toContain('kvm-2');
    // the degraded hypervisor says so, with a reason
    const withHealth = await t.waitFor(/degraded/, 20_000);
    expect(withHealth.split('\n').find((l) => l.includes('kvm-2'))).toMatch(/degraded|down/);
    // nothing spills past the terminal: the screen has exactly `rows` lines and none wider
    const lines = withHealth.replace(/\n$/, '').split('\n');
    expect(lines.length).toBe(rows);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(cols);

    t.keys('?');
    const help = await t.waitFor(/[Hh]elp/);
    expect(help).toMatch(/quit/i);
    expect(help).toMatch(/filter/i);
    t.keys('Escape');
    await t.waitFor(/kvm-3/);

    t.keys('q');
    // the line discipline is printed after EXIT: wait for both
    const after = await t.waitFor(/EXIT=0\n-?icanon/, 15_000);
    // the terminal is as it was: the pre-start text is back, the UI is gone, the line discipline is cooked.
    // (tmux 3.3a moves the top line into its history when any program leaves the alternate screen,
    // even a bare printf '\e[?1049h\e[?1049l', so the text is looked for with a little history.)
    expect(t.withHistory(3)).toMatch(/BEFORE-ONEDECK\n-?icanon\nEXIT=0\n-?icanon\n/);
    expect(after).not.toContain('SANDBOX');
    expect(after).not.toMatch(/[┌└│]/);
    const modes = t.withHistory(3).match(/-?icanon/g) ?? [];
    expect(modes).toEqual(['icanon', 'icanon']);
    expect(execFileSync('tmux', ['-S', t.socket, 'display-message', '-p', '#{cursor_flag} #{alternate_on}'], { encoding: 'utf8' }).trim()).toBe('1 0');
  } finally {
    t.kill();
  }
}

describe('onedeck in a real terminal', () => {
  it('shows the sandbox cluster full-screen at 80x24, shows help, and q restores the terminal', async () => {
    await openAndQuit(80, 24);
  }, 90_000);

  it('does the same at 200x50', async () => {
    await openAndQuit(200, 50);
  }, 90_000);

  it('explains a broken onedeck.yaml in one paragraph, without a stack trace', () => {
    const bad = join(home, 'bad.yaml');
    writeFileSync(bad, 'cluster: prod\nscaleway:\n  zone: paris\n  project_id: 11111111-2222-3333-4444-555555555555\nfrontend: { name: fe }\n');
    const r = onedeck(['--config', bad]);
    expect(r.status).toBe(78);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${bad}:3:9: scaleway.zone must be a Scaleway zone such as fr-par-2, got "paris".`);
    expect(r.stderr).toContain('zone: fr-par-2');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
  });

  it('prints help, version and info without a terminal', () => {
    expect(onedeck(['--help']).stdout).toContain('onedeck status');
    expect(onedeck(['--version']).stdout).toMatch(/^onedeck \d+\.\d+\.\d+/);
    const info = onedeck(['info']);
    expect(info.status).toBe(0);
    expect(info.stdout).toContain(join(home, 'state', 'onedeck', 'jobs'));
    const bad = onedeck(['--frobnicate']);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toContain('--frobnicate');
  });
});
