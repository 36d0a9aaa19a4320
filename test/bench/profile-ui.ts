// Profiling the UI as the bench drives it (not part of `npm run bench`): the sandbox, onedeck at
// 200x50 in a pseudo-terminal, one scenario, then q. Node flags after `--` go to onedeck's node:
//   node --import tsx test/bench/profile-ui.ts start|keys|idle|stream -- --cpu-prof --cpu-prof-dir=/tmp/p
// Prints the times it saw (first frame, host data, per key) on stderr.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfigFile } from '../../src/config/load.js';
import { clusterIdentity } from '../../src/jobs/cluster-identity.js';
import { startJob } from './jobs.js';
import { cpuTicks, rssBytes, selectedIn, stripAnsi } from './lib.js';
import { startPty } from './pty.js';

const scenario = process.argv[2] ?? 'start';
const dash = process.argv.indexOf('--');
const nodeFlags = dash > 0 ? process.argv.slice(dash + 1) : [];
const repo = resolve(import.meta.dirname, '../..');
const cli = join(repo, 'dist/onedeck.js');
const home = mkdtempSync(join(tmpdir(), 'onedeck-prof-'));
const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), USER: 'bench', NO_COLOR: '' };
delete env.CI;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (s: string) => process.stderr.write(`profile: ${s}\n`);

let last: ReturnType<typeof startPty> | undefined;
async function main(): Promise<void> {
  const sb = spawnSync(process.execPath, [cli, 'sandbox', 'start'], { env, cwd: home, encoding: 'utf8', timeout: 120_000 });
  const cfg = /config (\S+onedeck\.yaml)/.exec(sb.stdout)?.[1];
  if (sb.status !== 0 || !cfg) throw new Error(`sandbox start failed: ${sb.stdout}${sb.stderr}`);
  const cluster = clusterIdentity(loadConfigFile(cfg, { sandbox: true }));
  const ui = (last = startPty([process.execPath, ...nodeFlags, cli], { cols: 200, rows: 50, env, cwd: home }));
  const pid = await ui.pid;
  const cpu = () => (cpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) * 1000) / 100;
  const first = await ui.waitFor((t) => stripAnsi(t).includes('SANDBOX'), { what: 'the first frame' });
  const cpuFirst = cpu();
  const data = await ui.waitFor((t) => /degraded/.test(stripAnsi(t)), { what: 'host data' });
  const cpuData = cpu();
  say(readFileSync(join(home, "state/onedeck/onedeck.log"), "utf8").match(/start: first frame.*/)?.[0] ?? "");
  say(`first frame ${Math.round(first - (await ui.forkedAt))} ms (${cpuFirst} ms CPU), host data ${Math.round(data - (await ui.forkedAt))} ms (${cpuData} ms CPU)`);
  const presses = async (n: number) => {
    const ms: number[] = [];
    let was = selectedIn(ui.output());
    for (let i = 0; i < n; i++) {
      const from = ui.chunks.length;
      const at = ui.write(i % 2 ? 'k' : 'j');
      const seen = await ui.waitFor((t) => {
        const s = selectedIn(t);
        return s !== undefined && s !== was;
      }, { from, timeoutMs: 5000 });
      was = selectedIn(ui.since(from));
      ms.push(Math.round(seen - at));
      await sleep(100);
    }
    say(`keys: ${ms.join(' ')}`);
  };
  if (scenario === 'keys') {
    await sleep(1000);
    await presses(40);
  } else if (scenario === 'idle') {
    await sleep(20_000);
  } else if (scenario === 'stream') {
    const job = startJob({ jobsDir: join(home, 'state', 'onedeck', 'jobs'), runner: join(repo, 'dist/job-runner.js'), title: 'profile stream', cluster, command: process.execPath, args: [join(import.meta.dirname, 'tools/flood.mjs'), '150000', '10000'], cwd: home });
    await ui.waitFor((t) => /flood \d+/.test(stripAnsi(t)), { from: ui.chunks.length, what: 'the streaming job' });
    await presses(40);
    job.cancel();
    await job.done;
  }
  if (scenario === 'flood') {
    const rssMb = () => Math.round(rssBytes(readFileSync(`/proc/${pid}/status`, 'utf8')) / 1024 / 1024);
    say(`RSS before the flood ${rssMb()} MB`);
    const cpu0 = cpu();
    const job = startJob({ jobsDir: join(home, 'state', 'onedeck', 'jobs'), runner: join(repo, 'dist/job-runner.js'), title: 'profile flood', cluster, command: process.execPath, args: [join(import.meta.dirname, 'tools/flood.mjs'), process.env.LINES ?? '200000'], cwd: home });
    const wall = await job.done;
    const cpu1 = cpu();
    await sleep(3000);
    say(`the job took ${Math.round(wall)} ms; the UI's CPU meanwhile ${cpu1 - cpu0} ms, in the 3 s after ${cpu() - cpu1} ms`);
    say(`RSS after the flood ${rssMb()} MB`);
  }
  ui.write('q');
  await Promise.race([ui.exited, sleep(10_000)]);
}

main()
  .catch((err: unknown) => say(`failed: ${err instanceof Error ? err.stack : String(err)}\n${stripAnsi(last?.output() ?? '').slice(-600)}`))
  .finally(() => {
    spawnSync(process.execPath, [cli, 'sandbox', 'stop'], { env, cwd: home, timeout: 30_000 });
    if (!process.env.KEEP) rmSync(home, { recursive: true, force: true });
    else say(`kept ${home}`);
    process.exit();
  });
