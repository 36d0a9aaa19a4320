// The bench's operation figure (issue 9): the sandbox's time from `+` to MONITORED, through the
// pseudo-terminal as an operator has it. onedeck opens on the hosts screen; `+` asks its preview,
// `y` starts the add of the next free kvm-N, and the clock stops on the first frame whose
// operation title says done (its last step is "wait for OpenNebula to show kvm-N MONITORED").
// The note gives each step's time, read from the operation's journal afterwards.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Figure } from './lib.js';
import { stripAnsi } from './lib.js';
import { startPty } from './pty.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** the add's end record in its journal (epoch ms and state), waited for */
async function journalEnd(opsDir: string, host: string, timeoutMs: number): Promise<{ at: number; state: string }> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const id = readdirSync(opsDir).find((x) => x.includes(`-add-${host}-`));
      if (id) {
        const lines = readFileSync(join(opsDir, id, 'journal.jsonl'), 'utf8').trim().split('\n');
        for (const l of lines) {
          const r = JSON.parse(l) as { t: string; at: number; state?: string };
          if (r.t === 'end') return { at: r.at, state: r.state ?? '?' };
        }
      }
    } catch {
      /* not written yet */
    }
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for the add of ${host} to end`);
}

/** each step's seconds (started → ended), from the journal of the add that ran */
function stepTimes(opsDir: string, host: string): string {
  const id = readdirSync(opsDir).find((x) => x.includes(`-add-${host}-`));
  if (!id) return 'no journal';
  const recs = readFileSync(join(opsDir, id, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { t: string; at: number; step?: string; state?: string });
  const started: Record<string, number> = {};
  const out: string[] = [];
  for (const r of recs) {
    if (r.t !== 'step' || !r.step) continue;
    if (r.state === 'running') started[r.step] = r.at;
    else if (started[r.step] !== undefined) out.push(`${r.step} ${((r.at - started[r.step]) / 1000).toFixed(1)}`);
  }
  return out.join(', ');
}

/** `+`, `y`, then the frame that shows the add done; onedeck quits afterwards. */
export async function plusToMonitored(o: { cli: string; env: NodeJS.ProcessEnv; cwd: string; cols: number; rows: number }): Promise<Figure> {
  const ui = startPty([process.execPath, o.cli], { cols: o.cols, rows: o.rows, env: o.env, cwd: o.cwd });
  try {
    await ui.waitFor((t) => /degraded/.test(stripAnsi(t)), { timeoutMs: 60_000, what: 'the hosts with their data' });
    await sleep(1000);
    let from = ui.chunks.length;
    ui.write('+');
    let host = '';
    await ui.waitFor(
      (t) => {
        const m = /add (kvm-\d+): \d+ steps[\s\S]*run it\? \[y\/N\]/.exec(stripAnsi(t));
        if (m) host = m[1];
        return !!m;
      },
      { from, timeoutMs: 30_000, what: 'the preview of the add' },
    );
    from = ui.chunks.length;
    const at = ui.write('y');
    // onedeck writes only a row's changed columns, so the title's whole text never passes by in one
    // piece: the journal says when the add ended, and the clock stops on the first frame from then on
    // that writes its outcome (a step's or the title's "done")
    const opsDir = join(String(o.env.XDG_STATE_HOME), 'onedeck', 'operations');
    const end = await journalEnd(opsDir, host, 300_000);
    const endPerf = performance.now() - (Date.now() - end.at);
    await sleep(1500);
    const shown = ui.chunks.find((c, i) => i >= from && c.at >= endPerf - 50 && /\b(done|failed|cancelled)\b/.test(stripAnsi(c.data)));
    const failed = end.state !== 'done' || !shown;
    const done = shown?.at ?? NaN;
    return {
      name: 'the sandbox\'s time from + to MONITORED',
      value: failed ? NaN : (done - at) / 1000,
      unit: 's',
      bound: Infinity,
      note: `${host}, through the pty (y pressed → the frame saying done); steps (s): ${stepTimes(opsDir, host)}${end.state !== 'done' ? `; the add ended ${end.state}` : shown ? '' : '; no frame showed its end'}`,
    };
  } finally {
    ui.write('\x1b');
    await sleep(300);
    ui.write('q');
    await Promise.race([ui.exited, sleep(10_000).then(() => ui.kill('SIGKILL'))]);
  }
}
