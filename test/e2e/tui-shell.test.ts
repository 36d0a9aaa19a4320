// End to end, as an operator: the built CLI in a real terminal (tmux) on the sandbox cluster.
// One small scenario per `it`, through the shared driver (test/harness/e2e.ts).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, e2eHome, openTerminal, type E2eHome, type Terminal } from '../harness/e2e.js';

let h: E2eHome;

beforeAll(() => {
  // CI=true makes a stock Ink print only its last frame; onedeck must draw live regardless
  h = e2eHome({ prefix: 'shell', user: 'e2e', env: { CI: 'true' } });
});

afterAll(() => h?.teardown());

describe.each([
  [80, 24],
  [200, 50],
])('onedeck in a real terminal at %ix%i', (cols, rows) => {
  let t: Terminal;

  beforeAll(async () => {
    // wait until tmux has given the pane its final size, so nothing printed before onedeck scrolls away
    const cmd = `sh -c 'until [ "$(stty size)" = "${rows} ${cols}" ]; do sleep 0.05; done; echo BEFORE-ONEDECK; stty -a | grep -o -- "-\\?icanon" | head -1; node ${CLI} --refresh 2; echo "EXIT=$?"; stty -a | grep -o -- "-\\?icanon" | head -1; exec sleep 120'`;
    t = await openTerminal(h, { cols, rows, command: cmd });
  });

  afterAll(() => t?.kill());

  it('shows the sandbox cluster full-screen', async () => {
    const first = await t.shows(/kvm-3/, 30_000);
    expect(first).toContain('SANDBOX');
    expect(first).toMatch(/fe\b/);
    expect(first).toContain('kvm-1');
    expect(first).toContain('kvm-2');
  }, 45_000);

  it('says the degraded hypervisor is degraded, and nothing spills past the terminal', async () => {
    const withHealth = await t.shows(/degraded/, 20_000);
    expect(withHealth.split('\n').find((l) => l.includes('kvm-2'))).toMatch(/degraded|down/);
    // the screen has exactly `rows` lines and none wider
    const lines = withHealth.replace(/\n$/, '').split('\n');
    expect(lines.length).toBe(rows);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(cols);
  });

  it('? shows the help, esc goes back', async () => {
    t.keys('?');
    const help = await t.shows(/[Hh]elp/);
    expect(help).toMatch(/quit/i);
    expect(help).toMatch(/filter/i);
    t.keys('Escape');
    await t.shows(/kvm-3/);
  });

  it('q gives the terminal back as it was: the text before, the cursor, cooked mode', async () => {
    t.keys('q');
    // the line discipline is printed after EXIT: wait for both
    const after = await t.shows(/EXIT=0\n-?icanon/, 15_000);
    // (tmux 3.3a moves the top line into its history when any program leaves the alternate screen,
    // even a bare printf '\e[?1049h\e[?1049l', so the text is looked for with a little history.)
    expect(t.tmux.withHistory(3)).toMatch(/BEFORE-ONEDECK\n-?icanon\nEXIT=0\n-?icanon\n/);
    expect(after).not.toContain('SANDBOX');
    expect(after).not.toMatch(/[┌└│]/);
    const modes = t.tmux.withHistory(3).match(/-?icanon/g) ?? [];
    expect(modes).toEqual(['icanon', 'icanon']);
    expect(execFileSync('tmux', ['-S', t.tmux.socket, 'display-message', '-p', '#{cursor_flag} #{alternate_on}'], { encoding: 'utf8' }).trim()).toBe('1 0');
  });
});

describe('onedeck without a terminal', () => {
  it('explains a broken onedeck.yaml in one paragraph, without a stack trace', () => {
    const bad = join(h.home, 'bad.yaml');
    writeFileSync(bad, 'cluster: prod\nscaleway:\n  zone: paris\n  project_id: 11111111-2222-3333-4444-555555555555\nfrontend: { name: fe }\n');
    const r = h.onedeck(['--config', bad]);
    expect(r.status).toBe(78);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${bad}:3:9: scaleway.zone must be a Scaleway zone such as fr-par-2, got "paris".`);
    expect(r.stderr).toContain('zone: fr-par-2');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
  });

  it('prints help and version', () => {
    expect(h.onedeck(['--help']).stdout).toContain('onedeck status');
    expect(h.onedeck(['--version']).stdout).toMatch(/^onedeck \d+\.\d+\.\d+/);
  });

  it('info names the jobs directory', () => {
    const info = h.onedeck(['info']);
    expect(info.status).toBe(0);
    expect(info.stdout).toContain(join(h.home, 'state', 'onedeck', 'jobs'));
  });

  it('an unknown flag is a usage error naming it', () => {
    const bad = h.onedeck(['--frobnicate']);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toContain('--frobnicate');
  });
});
