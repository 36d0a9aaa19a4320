// `npm run bench [-- --quick]`: every figure of issue 13 in one run on the sandbox, at 200x50,
// through a pseudo-terminal, printed one line per figure (value, bound, ok/OVER) and written to
// test/bench/results.json. Times are also given as ratios to a bare `node -e 0` measured here.
import { spawnSync, spawn } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { countClears, countFloodLines, cpuTicks, figureLine, median, ok, percentile, rssBytes, selectedIn, stripAnsi, type Figure } from './lib.js';
import { startPty, type PtyRun } from './pty.js';
import { killJob, startJob } from './jobs.js';
import { plusToMonitored } from './operations.js';
import { build } from 'esbuild';
import { inkOutputCache } from '../../scripts/ink-output-cache.mjs';
import { loadConfigFile } from '../../src/config/load.js';
import { clusterIdentity } from '../../src/jobs/cluster-identity.js';

/** CPU per Ink frame of 200x50 (nothing changed / one row changed), stock Ink or the build's. */
async function frameCost(dir: string, cached: boolean): Promise<{ unchanged: { ms: number; bytes: number }; oneRow: { ms: number; bytes: number } }> {
  const file = join(dir, `frame-cost-${cached ? 'cached' : 'stock'}.mjs`);
  await build({
    entryPoints: [join(import.meta.dirname, 'frame-cost.tsx')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    alias: { 'react-devtools-core': join(repo, 'scripts/stubs/react-devtools-core.js'), 'is-in-ci': join(repo, 'scripts/stubs/is-in-ci.js') },
    define: { 'process.env.NODE_ENV': '"production"' },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    plugins: cached ? [inkOutputCache] : [],
    logLevel: 'error',
  });
  const r = spawnSync(process.execPath, [file, quick ? '30' : '80'], { encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(r.stdout.trim().split('\n').pop() || '{}');
}

const quick = process.argv.includes('--quick');
const repo = resolve(import.meta.dirname, '../..');
const cli = join(repo, 'dist/onedeck.js');
const runner = join(repo, 'dist/job-runner.js');
const tools = join(import.meta.dirname, 'tools');
const COLS = 200;
const ROWS = 50;
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

const home = mkdtempSync(join(tmpdir(), 'onedeck-bench-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  HOME: home,
  XDG_CONFIG_HOME: join(home, 'config'),
  XDG_STATE_HOME: join(home, 'state'),
  USER: 'bench',
  NO_COLOR: '',
};
delete env.CI; // Ink prints only its last frame under CI
const jobsDir = join(home, 'state', 'onedeck', 'jobs');
const figures: Figure[] = [];
const add = (f: Figure) => {
  figures.push(f);
  console.log(figureLine(f));
};

function nodeStart(): number {
  const t = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - t;
}

const stat = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8');
const rss = (pid: number) => rssBytes(readFileSync(`/proc/${pid}/status`, 'utf8'));

// the product's refresh interval (refresh_seconds' default in src/config/schema.ts); the sandbox's
// onedeck.yaml says 5 s, measured too, on a UI of its own
const DEFAULT_REFRESH_S = 10;

function openUi(refreshS: number | undefined = DEFAULT_REFRESH_S): PtyRun {
  return startPty([process.execPath, cli, ...(refreshS ? ['--refresh', String(refreshS)] : [])], { cols: COLS, rows: ROWS, env, cwd: home });
}

/** CPU of the UI over a window with nothing pressed (all its threads, from /proc), and the frames it drew */
async function idleCpu(ui: PtyRun, pid: number, windowS: number): Promise<{ cpu: number; frames: number }> {
  const t0 = cpuTicks(stat(pid));
  const w0 = performance.now();
  const from = ui.chunks.length;
  await sleep(windowS * 1000);
  const cpu = ((cpuTicks(stat(pid)) - t0) / CLK_TCK / ((performance.now() - w0) / 1000)) * 100;
  return { cpu, frames: (ui.since(from).match(/\x1b\[\?2026l/g) ?? []).length };
}

async function quit(ui: PtyRun): Promise<void> {
  ui.write('q');
  const gone = await Promise.race([ui.exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!gone) ui.kill('SIGKILL');
}

/** Press j/k `n` times; per press, ms until a frame moved the `▸` marker, and its bytes. */
async function presses(ui: PtyRun, n: number): Promise<{ ms: number[]; bytes: number[] }> {
  const ms: number[] = [];
  const bytes: number[] = [];
  let current = selectedIn(ui.output());
  for (let i = 0; i < n; i++) {
    const key = i % 2 === 0 ? 'j' : 'k';
    const from = ui.chunks.length;
    const at = ui.write(key);
    const was = current;
    let frame = '';
    const seen = await ui.waitFor(
      (text) => {
        const s = selectedIn(text);
        if (s !== undefined && s !== was) {
          frame = text;
          current = s;
          return true;
        }
        return false;
      },
      { from, timeoutMs: 5000, what: `the selection to move on ${key}` },
    );
    ms.push(seen - at);
    bytes.push(Buffer.byteLength(frame));
    await sleep(80 + Math.random() * 80);
  }
  return { ms, bytes };
}

async function main(): Promise<void> {
  const started = performance.now();
  const machine = {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? '?',
    loadBefore: loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    quick,
  };
  log(`machine: ${machine.nproc} x ${machine.cpu}, load ${machine.loadBefore.join(' ')}${quick ? ', --quick' : ''}`);

  // the unit of the ratios: bare node starts here, and two before each start of the UI below (the
  // machine's speed drifts: bare node took 43-110 ms from one run to the next)
  const bares = Array.from({ length: quick ? 3 : 7 }, nodeStart);
  let bare = median(bares);
  const r = (ms: number) => ms / bare;

  log('starting the sandbox');
  const sb = spawnSync(process.execPath, [cli, 'sandbox', 'start'], { env, cwd: home, encoding: 'utf8', timeout: 120_000 });
  if (sb.status !== 0) throw new Error(`sandbox start failed: ${sb.stdout}${sb.stderr}`);
  // the bench's jobs are the sandbox cluster's, so the UI shows them (a session shows its own cluster's jobs)
  const sandboxConfig = /config (\S+onedeck\.yaml)/.exec(sb.stdout)?.[1];
  if (!sandboxConfig) throw new Error(`sandbox start did not name its config: ${sb.stdout}`);
  const sandboxCfg = loadConfigFile(sandboxConfig, { sandbox: true });
  const cluster = clusterIdentity(sandboxCfg);

  // first frame, and first frame with host data, over a few starts
  const firsts: number[] = [];
  const withData: number[] = [];
  const relayStarts: number[] = [];
  let ui: PtyRun | undefined;
  // the first start of a new install compiles the UI's code and leaves V8's code cache behind
  // (src/cli/boot.ts, in $HOME/.cache/onedeck/); every later start uses it. That first start is a
  // line of its own; the bound is read on the starts after it, as an operator has them all day.
  const starts = quick ? 3 : 9;
  let cold = 0;
  for (let i = 0; i < starts; i++) {
    if (ui) await quit(ui);
    bares.push(nodeStart(), nodeStart());
    ui = openUi();
    const first = await ui.waitFor((t) => stripAnsi(t).includes('SANDBOX'), { timeoutMs: 30_000, what: 'the first frame' });
    const data = await ui.waitFor((t) => /degraded/.test(stripAnsi(t)), { timeoutMs: 30_000, what: 'host data' });
    // from the fork of onedeck, as a shell starts it: the pty relay's own start (Python) is not onedeck's
    const forked = await ui.forkedAt;
    relayStarts.push(forked - ui.startedAt);
    if (i === 0) {
      cold = first - forked;
      // the cache is written 2 s after a start that had none
      await sleep(2500);
      continue;
    }
    firsts.push(first - forked);
    withData.push(data - forked);
  }
  ui = ui!;
  const pid = await ui.pid;
  bare = median(bares);
  add({ name: 'bare node -e 0 start', value: bare, unit: 'ms', bound: Infinity, note: `the unit of the ratios; median of ${bares.length}, ${Math.round(Math.min(...bares))}-${Math.round(Math.max(...bares))} ms` });
  const ff = median(firsts);
  const fd = median(withData);
  add({ name: 'first frame', value: ff, unit: 'ms', bound: 3 * bare, ratio: r(ff), note: `bound 3x node; median of the ${starts - 1} starts after the first; from onedeck's fork (the pty relay took ${Math.round(median(relayStarts))} ms more to start)` });
  add({ name: 'first frame with host data (sandbox)', value: fd, unit: 'ms', bound: 6 * bare, ratio: r(fd), note: 'bound 6x node' });
  add({ name: '  first frame, the first start of an install (no code cache yet)', value: cold, unit: 'ms', bound: Infinity, ratio: r(cold), note: 'it writes the cache the later starts use' });
  // the limits of the first frame: node's start with the UI's modules loaded (`onedeck --version`
  // loads the same static modules), and what onedeck.log says of each start (process clock)
  const version = median(Array.from({ length: quick ? 3 : 5 }, () => {
    const t = performance.now();
    spawnSync(process.execPath, [cli, '--version'], { env, cwd: home });
    return performance.now() - t;
  }));
  add({ name: '  onedeck --version (node start + the UI modules loaded)', value: version, unit: 'ms', bound: Infinity, ratio: r(version), note: 'the floor of the first frame' });
  const startLines = [...readFileSync(join(home, 'state', 'onedeck', 'onedeck.log'), 'utf8').matchAll(/start: first frame at (\d+) ms \(modules loaded at (\d+), config (\d+), core (\d+), first frame (\d+)\); code cache (\w+)/g)];
  const starts_ = startLines.map((m) => m.slice(1, 6).map(Number));
  if (starts_.length) {
    const col = (i: number) => median(starts_.map((s) => s[i]));
    add({ name: '  first frame inside onedeck (its own clock, from its start)', value: col(0), unit: 'ms', bound: Infinity, note: `modules loaded at ${col(1)} ms, config ${col(2)} ms, core ${col(3)} ms, first render ${col(4)} ms` });
  }
  // each start says whether it ran from V8's code cache: the starts after the first must (a cache V8
  // rejects, e.g. one made under other V8 flags, costs every start a second compile)
  const cacheUse = startLines.map((m) => m[6]);
  const later = cacheUse.slice(1, starts);
  add({ name: '  starts after the first not run from the code cache', value: later.length === starts - 1 ? later.filter((u) => u !== 'used').length : NaN, unit: 'starts', bound: 0, note: `each start: ${cacheUse.slice(0, starts).join(', ')}` });

  await sleep(1500);
  const idle = await presses(ui, quick ? 15 : 40);
  add({ name: 'key -> frame, idle, p50', value: percentile(idle.ms, 50), unit: 'ms', bound: 10, ratio: r(percentile(idle.ms, 50)) });
  add({ name: 'key -> frame, idle, p95', value: percentile(idle.ms, 95), unit: 'ms', bound: 20, ratio: r(percentile(idle.ms, 95)) });
  add({ name: 'bytes written for a one-row change (selection move)', value: median(idle.bytes), unit: 'B', bound: 1024 });

  // idle CPU with refresh on (the default 10 s): first right after the start and the key presses,
  // while V8 still optimises the UI's code on its worker threads (~10 TurboFan compiles per 10 s,
  // fewer each minute), then as an operator's UI open all day: once it has run WARM_S
  const windowS = quick ? 10 : 30;
  const early = await idleCpu(ui, pid, windowS);
  add({ name: '  CPU while idle, the first seconds after start and keys', value: early.cpu, unit: '%', bound: Infinity, note: `${windowS} s window, ${early.frames} frames; V8 still compiling` });
  const WARM_S = quick ? 45 : 150;
  await sleep(Math.max(0, WARM_S * 1000 - (performance.now() - ui.startedAt)));
  const { cpu: cpuIdle, frames: idleFrames } = await idleCpu(ui, pid, windowS);
  const rssIdle = rss(pid);
  add({ name: `CPU while idle with refresh on (default ${DEFAULT_REFRESH_S} s)`, value: cpuIdle, unit: '%', bound: 0.5, note: `${windowS} s window from ${WARM_S} s after start, ${idleFrames} frames` });
  // the limit: what one frame costs (the idle CPU divided by the frames drawn in that window)
  const perFrame = idleFrames ? ((cpuIdle / 100) * windowS * 1000) / idleFrames : NaN;
  add({ name: '  CPU per idle frame (200x50, a few rows changed)', value: perFrame, unit: 'ms', bound: Infinity, note: 'upper bound: includes the sweeps' });

  // the limit: one Ink frame of 200x50, stock and with the build's caches
  for (const cached of [false, true]) {
    const fc = await frameCost(home, cached);
    const which = cached ? 'onedeck build' : 'stock Ink 6.8';
    add({ name: `  one Ink frame 200x50, nothing changed (${which})`, value: fc.unchanged.ms, unit: 'ms', bound: Infinity, note: `CPU; ${fc.unchanged.bytes} B written` });
    add({ name: `  one Ink frame 200x50, one row changed (${which})`, value: fc.oneRow.ms, unit: 'ms', bound: Infinity, note: `CPU; ${fc.oneRow.bytes} B written` });
  }

  // the same with the sandbox's own refresh (5 s): twice the sweeps, in a UI of its own
  {
    const ui5 = openUi(undefined);
    await ui5.waitFor((t) => /degraded/.test(stripAnsi(t)), { timeoutMs: 30_000, what: 'host data (refresh 5 s)' });
    await sleep(quick ? 3000 : 8000);
    const five = await idleCpu(ui5, await ui5.pid, windowS);
    add({ name: '  CPU while idle, refresh 5 s (the sandbox onedeck.yaml)', value: five.cpu, unit: '%', bound: Infinity, note: `${windowS} s window soon after start, ${five.frames} frames` });
    await quit(ui5);
  }

  // issue 9: + to MONITORED on the sandbox, in a UI of its own (test/bench/operations.ts)
  add(await plusToMonitored({ cli, env, cwd: home, cols: COLS, rows: ROWS }));

  // key latency while a job streams 10 000 lines/s (the hosts screen shows its log)
  const streamS = quick ? 12 : 25;
  const stream = startJob({ jobsDir, runner, title: 'bench stream', cluster, command: process.execPath, args: [join(tools, 'flood.mjs'), String(streamS * 10_000), '10000'], cwd: home });
  // if the log pane does not show the job, the figures below are still measured (and say so)
  const shown = await ui.waitFor((t) => /flood \d+/.test(stripAnsi(t)), { from: ui.chunks.length, timeoutMs: 20_000, what: 'the streaming job in the log pane' }).then(
    () => true,
    (err: Error) => (log(`${err.message}: the key figures below are taken with the job running unseen`), false),
  );
  await sleep(500);
  const busy = await presses(ui, quick ? 15 : 40);
  const unseen = shown ? {} : { note: 'the log pane did not show the job' };
  add({ name: 'key -> frame while a job streams 10 000 lines/s, p50', value: percentile(busy.ms, 50), unit: 'ms', bound: 25, ratio: r(percentile(busy.ms, 50)), ...unseen });
  add({ name: 'key -> frame while a job streams 10 000 lines/s, p95', value: percentile(busy.ms, 95), unit: 'ms', bound: 50, ratio: r(percentile(busy.ms, 95)) });
  stream.cancel();
  await stream.done;

  // a big job: the tool alone writing to a file, against the same job through onedeck's runner
  // while the UI follows it; interleaved, a few rounds, medians (this machine's speed drifts from
  // second to second: the tool alone took 370-890 ms for 1M lines in one minute)
  const lines = quick ? 200_000 : 1_000_000;
  const rounds = quick ? 2 : 3;
  const floodArgs = [join(tools, 'flood.mjs'), String(lines)];
  const toFile = () => {
    const t = performance.now();
    return new Promise<number>((res) => {
      const out = createWriteStream(join(home, 'flood.out'));
      out.on('open', () => spawn(process.execPath, floodArgs, { stdio: ['ignore', out, 'ignore'] }).once('exit', () => res(performance.now() - t)));
    });
  };
  const baseMs: number[] = [];
  const bigMs: number[] = [];
  const uiCpuMs: number[] = [];
  let lost = 0;
  let clears = 0;
  for (let i = 0; i < rounds; i++) {
    baseMs.push(await toFile());
    await sleep(500);
    const floodFrom = ui.chunks.length;
    const uiCpu0 = cpuTicks(stat(pid));
    const big = startJob({ jobsDir, runner, title: 'bench flood', cluster, command: process.execPath, args: floodArgs, cwd: home });
    bigMs.push(await big.done);
    uiCpuMs.push(((cpuTicks(stat(pid)) - uiCpu0) * 1000) / CLK_TCK);
    lost += countFloodLines(readFileSync(join(big.dir, 'output.log'), 'utf8'), lines).missing;
    await sleep(2000); // the UI catches up with the end of the log
    clears += countClears(ui.since(floodFrom));
  }
  const through = median(bigMs) / median(baseMs);
  const each = (ms: number[]) => ms.map((m) => Math.round(m)).join(', ');
  add({ name: `a ${lines.toLocaleString('en')}-line job: through onedeck / to a file`, value: through, unit: 'x', bound: 1.1, note: `medians of ${rounds}: ${Math.round(median(bigMs))} ms vs ${Math.round(median(baseMs))} ms (through onedeck ${each(bigMs)}; to a file ${each(baseMs)}); ${Math.round(lines / (median(bigMs) / 1000)).toLocaleString('en')} lines/s; the UI's CPU meanwhile ${each(uiCpuMs)} ms` });
  add({ name: 'lines lost on disk', value: lost, unit: 'lines', bound: 0, note: `${rounds} jobs` });
  add({ name: 'full-screen clears during the flood', value: clears, unit: 'clears', bound: 0 });
  await sleep(1000);
  add({ name: `UI RSS after the ${lines.toLocaleString('en')}-line job`, value: rss(pid), unit: 'B', bound: 150 * 1024 * 1024, note: `after ${rounds} of them` });
  add({ name: '  UI RSS idle, before any job (the floor)', value: rssIdle, unit: 'B', bound: Infinity });
  await quit(ui);

  // the runner alone (no UI running), and the limit of any runner written in node: a bare node
  // process reading the same pipe and writing it to a file (no masking); interleaved with the tool alone
  const drain = () => {
    const t = performance.now();
    const code = `const c=require('child_process').spawn(process.execPath,${JSON.stringify(floodArgs)},{stdio:['ignore','pipe','ignore']});const fs=require('fs');const fd=fs.openSync(${JSON.stringify(join(home, 'drain.out'))},'w');c.stdout.on('data',d=>fs.writeSync(fd,d));`;
    return new Promise<number>((res) => spawn(process.execPath, ['-e', code], { stdio: 'ignore' }).once('exit', () => res(performance.now() - t)));
  };
  const base2: number[] = [];
  const aloneMs: number[] = [];
  const drainMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    base2.push(await toFile());
    aloneMs.push(await startJob({ jobsDir, runner, title: 'bench flood alone', command: process.execPath, args: floodArgs, cwd: home }).done);
    drainMs.push(await drain());
  }
  add({ name: `  the same job, runner alone (no UI) / to a file`, value: median(aloneMs) / median(base2), unit: 'x', bound: 1.1, note: `medians of ${rounds}: ${Math.round(median(aloneMs))} ms vs ${Math.round(median(base2))} ms` });
  add({ name: '  a bare node pipe reader writing the file / to a file', value: median(drainMs) / median(base2), unit: 'x', bound: Infinity, note: `${Math.round(median(drainMs))} ms: the floor of any node runner (a node start before the tool's, then the pipe)` });

  // one 50 MB line, with a secret in it, through the runner
  const secret = 'bench-Secret-7f3a9c';
  const bigLine = startJob({ jobsDir, runner, title: 'bench one line', command: process.execPath, args: [join(tools, 'bigline.mjs'), '50'], cwd: home, env: { BENCH_SECRET: secret }, secretEnv: ['BENCH_SECRET'] });
  const limitMs = quick ? 20_000 : 60_000;
  const lineMs = await Promise.race([bigLine.done, sleep(limitMs).then(() => NaN)]);
  if (Number.isNaN(lineMs)) killJob(bigLine);
  const out = readFileSync(join(bigLine.dir, 'output.log'), 'utf8');
  const masked = !out.includes(secret) && out.includes('********') && out.includes('bigline done');
  add({
    name: 'one 50 MB output line through the runner',
    value: Number.isNaN(lineMs) ? NaN : lineMs / 1000,
    unit: 's',
    bound: masked ? 2 : -1,
    note: Number.isNaN(lineMs) ? `stuck: killed after ${limitMs / 1000} s` : `${masked ? 'masked' : 'NOT MASKED'}, log ${(statSync(join(bigLine.dir, 'output.log')).size / 1e6).toFixed(1)} MB`,
  });
  rmSync(join(bigLine.dir, 'output.log'), { force: true });

  // the health sweep of 200 hosts with 100 ms of injected latency
  const sw = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'sweep.ts'), '200', '100', process.env.BENCH_SSH_CONCURRENCY ?? String(sandboxCfg.ssh.concurrency)], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 240_000,
  });
  const s = JSON.parse(sw.stdout.trim().split('\n').pop() || '{}') as { oneMs: number; coldMs: number; warmMs: number; coldCpuMs: number; coldHostsCpuMs: number; coldSshG: number; warmCpuMs: number; coldReachable: number; warmReachable: number; concurrency: number };
  add({ name: 'health sweep, 200 hosts, 100 ms latency / one probe', value: s.coldMs / s.oneMs, unit: 'x', bound: 3, note: `${Math.round(s.coldMs)} ms vs ${Math.round(s.oneMs)} ms; ${s.coldReachable}/200 up; concurrency ${s.concurrency}` });
  add({ name: '  CPU per host of the cold sweep, onedeck', value: s.coldCpuMs / 200, unit: 'ms', bound: Infinity, note: `${Math.round(s.coldCpuMs)} ms CPU for 200 (SSH logins and probes); ${s.coldSshG} ssh -G spawned` });
  add({ name: '  CPU per host of the cold sweep, the simulated hosts', value: s.coldHostsCpuMs / 200, unit: 'ms', bound: Infinity, note: `${Math.round(s.coldHostsCpuMs)} ms CPU, the bench's own SSH servers, same ${cpus().length} cores` });
  add({ name: 'second sweep on warm connections / the first', value: s.warmMs / s.coldMs, unit: 'x', bound: 0.5, note: `${Math.round(s.warmMs)} ms; ${s.warmReachable}/200 up` });

  spawnSync(process.execPath, [cli, 'sandbox', 'stop'], { env, cwd: home, timeout: 30_000 });
  const total = (performance.now() - started) / 1000;
  const results = {
    at: new Date().toISOString(),
    machine: { ...machine, loadAfter: loadavg().map((l) => Number(l.toFixed(2))) },
    seconds: Math.round(total),
    figures: figures.map((f) => ({ ...f, bound: Number.isFinite(f.bound) ? f.bound : null, ok: ok(f) })),
  };
  writeFileSync(join(import.meta.dirname, 'results.json'), JSON.stringify(results, null, 1) + '\n');
  const over = figures.filter((f) => Number.isFinite(f.bound) && !ok(f)).length;
  log(`done in ${Math.round(total)} s; ${over} figure(s) over their bound; test/bench/results.json written`);
}

main()
  .catch((err: unknown) => {
    log(`failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exitCode = 1;
    spawnSync(process.execPath, [cli, 'sandbox', 'stop'], { env, cwd: home, timeout: 30_000 });
  })
  .finally(() => {
    rmSync(home, { recursive: true, force: true });
    process.exit();
  });
