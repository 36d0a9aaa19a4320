// not part of the bench: the 1M-line job through onedeck (the UI following it) against the runner
// alone and the tool writing to a file, interleaved N times, with the UI's CPU during each job
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfigFile } from '../../../src/config/load.js';
import { clusterIdentity } from '../../../src/jobs/cluster-identity.js';
import { startJob } from '../jobs.js';
import { cpuTicks, median, stripAnsi } from '../lib.js';
import { startPty } from '../pty.js';

const repo = resolve(import.meta.dirname, '../../..');
const cli = join(repo, 'dist/onedeck.js');
const runner = join(repo, 'dist/job-runner.js');
const flood = join(import.meta.dirname, 'flood.mjs');
const lines = Number(process.env.LINES ?? 1_000_000);
const rounds = Number(process.env.ROUNDS ?? 4);
const home = mkdtempSync(join(tmpdir(), 'onedeck-fc-'));
const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), USER: 'bench', NO_COLOR: '' };
delete env.CI;
const jobsDir = join(home, 'state', 'onedeck', 'jobs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nodeArgs = (process.env.UI_NODE_ARGS ?? '').split(' ').filter(Boolean);
async function main() {
  const sb = spawnSync(process.execPath, [cli, 'sandbox', 'start'], { env, cwd: home, encoding: 'utf8' });
  const cluster = clusterIdentity(loadConfigFile(/config (\S+onedeck\.yaml)/.exec(sb.stdout)![1], { sandbox: true }));
  for (let i = 0; i < 2; i++) {
    const ui = startPty([process.execPath, ...nodeArgs, cli], { cols: 200, rows: 50, env, cwd: home });
    await ui.waitFor((t) => /degraded/.test(stripAnsi(t)), { what: 'host data' });
    if (i === 0) { await sleep(2500); ui.write('q'); await ui.exited; continue; }
    const pid = await ui.pid;
    const cpu = () => (cpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) * 1000) / 100;
    const stream = startJob({ jobsDir, runner, title: 's', cluster, command: process.execPath, args: [flood, '30000', '10000'], cwd: home });
    await ui.waitFor((t) => /flood \d+/.test(stripAnsi(t)), { from: ui.chunks.length, what: 'stream' });
    await stream.done;
    await sleep(2000);
    const r = { file: [] as number[], ui: [] as number[], uiCpu: [] as number[], alone: [] as number[] };
    for (let k = 0; k < rounds; k++) {
      const t = performance.now();
      await new Promise<void>((res) => { const out = createWriteStream(join(home, 'f.out')); out.on('open', () => spawn(process.execPath, [flood, String(lines)], { stdio: ['ignore', out, 'ignore'] }).once('exit', () => res())); });
      r.file.push(performance.now() - t);
      await sleep(1000);
      const c0 = cpu();
      r.ui.push(await startJob({ jobsDir, runner, title: 'big', cluster, command: process.execPath, args: [flood, String(lines)], cwd: home }).done);
      r.uiCpu.push(cpu() - c0);
      await sleep(3000);
      // unseen by this UI: another cluster's job
      r.alone.push(await startJob({ jobsDir, runner, title: 'alone', command: process.execPath, args: [flood, String(lines)], cwd: home }).done);
      await sleep(1000);
    }
    const f = (a: number[]) => a.map((x) => Math.round(x)).join(' ');
    console.log(`file ${f(r.file)}\nui   ${f(r.ui)}  (UI CPU ${f(r.uiCpu)})\nalone ${f(r.alone)}\nratios: ui ${(median(r.ui) / median(r.file)).toFixed(2)} alone ${(median(r.alone) / median(r.file)).toFixed(2)}`);
    ui.write('q'); await ui.exited;
  }
}
main().finally(() => { spawnSync(process.execPath, [cli, 'sandbox', 'stop'], { env, cwd: home }); rmSync(home, { recursive: true, force: true }); process.exit(); });
