// not part of the bench: N starts of the UI on the sandbox (after one that writes the code cache),
// interleaved with bare node starts; prints the medians and what onedeck.log says of each start
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, stripAnsi } from '../lib.js';
import { startPty } from '../pty.js';

const repo = resolve(import.meta.dirname, '../../..');
const clis = (process.env.CLI ?? join(repo, 'dist/onedeck.js')).split(',');
const cli = clis[0];
const n = Number(process.env.N ?? 10);
const home = mkdtempSync(join(tmpdir(), 'onedeck-ff-'));
const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), USER: 'bench', NO_COLOR: '' };
delete env.CI;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function main() {
  spawnSync(process.execPath, [cli, 'sandbox', 'start'], { env, cwd: home });
  const bare: number[] = [];
  const ff = clis.map(() => [] as number[]);
  const fd = clis.map(() => [] as number[]);
  const render = clis.map(() => [] as number[]);
  for (let i = 0; i <= n; i++) {
    for (let c = 0; c < clis.length; c++) {
      const t = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      bare.push(performance.now() - t);
      // each build its own code cache (writing one removes the other builds')
      const ui = startPty([process.execPath, ...(process.env.NODE_ARGS ?? '').split(' ').filter(Boolean), clis[c]], { cols: 200, rows: 50, env: { ...env, XDG_CACHE_HOME: join(home, `cache-${c}`) }, cwd: home });
      const first = await ui.waitFor((t) => stripAnsi(t).includes('SANDBOX'), { timeoutMs: 30_000 });
      const data = await ui.waitFor((t) => /degraded/.test(stripAnsi(t)), { timeoutMs: 30_000 });
      const forked = await ui.forkedAt;
      if (i === 0) await sleep(2500);
      else { ff[c].push(first - forked); fd[c].push(data - forked); }
      ui.write('q');
      await ui.exited;
      const log = readFileSync(join(home, 'state/onedeck/onedeck.log'), 'utf8');
      const last = [...log.matchAll(/start: first frame at (\d+) ms \(modules loaded at (\d+), config (\d+), core (\d+), first frame (\d+)\); code cache (\w+)/g)].pop();
      if (i > 0 && last) render[c].push(Number(last[5]));
      if (i > 0 && last?.[6] !== 'used') console.log(`${clis[c]}: code cache ${last?.[6]}`);
    }
  }
  const m = (a: number[]) => Math.round(median(a));
  console.log(`bare ${m(bare)} ms`);
  clis.forEach((c, k) => console.log(`${c}: first frame ${m(ff[k])} (${(median(ff[k]) / median(bare)).toFixed(2)}x), with data ${m(fd[k])} (${(median(fd[k]) / median(bare)).toFixed(2)}x), render ${m(render[k])}`));
}
main().catch((e) => console.error(e)).finally(() => { spawnSync(process.execPath, [cli, 'sandbox', 'stop'], { env, cwd: home }); rmSync(home, { recursive: true, force: true }); process.exit(); });
