// The CLI entry: parses arguments, loads the config (or the sandbox), and either runs a headless
// command or opens the full-screen UI. The only file of src/ that loads views/.
// Only what the full-screen UI needs is imported here; every other command loads its modules when
// it runs (esbuild evaluates a module reached only by import() when that import runs), so the UI's
// first frame waits for less code.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { join, resolve } from 'node:path';
import { startTui } from '../views/index.js';
import pkg from '../package.json' with { type: 'json' };
import { parseCli, type CliArgs } from './cli/args.js';
import { codeCacheState } from './cli/code-cache.js';
import { quitNotice } from './cli/quit-notice.js';
import { installLocation } from './cli/install-location.js';
import { resolveConfig } from './cli/resolve-config.js';
import { composeCore, type Core } from './compose.js';
import type { Config } from './config/schema.js';
import { describeError, exitCodeOf, ExitCode, OnedeckError, outputFailure } from './errors.js';
import { constants as osConstants } from 'node:os';
import { operatorFromEnv, type Session } from './session.js';
import { readonlyNotice, readonlyVerdict, tightenOnReload } from './cli/readonly.js';
import { notify } from './store/cluster-store.js';
import { createAppLog } from './logs/app-log.js';
import { resolvePaths, type Paths } from './paths.js';
import { createUiStore } from './store/ui-store.js';

/** A headless command's stdout failed (a closed pipe, a full disk): end without a stack trace. */
function onOutputError(err: unknown): void {
  const f = outputFailure(err);
  if (!f) throw err;
  try {
    if (f.message) process.stderr.write(f.message);
  } catch {
    // stderr is gone too
  }
  process.exit(f.exitCode === ExitCode.ok ? (Number(process.exitCode) || ExitCode.ok) : f.exitCode);
}

async function main(argv: string[]): Promise<number> {
  const args = parseCli(argv);
  if (args.command !== 'tui') process.stdout.on('error', onOutputError);
  const paths = resolvePaths();
  switch (args.command) {
    case 'help': {
      const { helpFor } = await import('./cli/help.js');
      process.stdout.write(`${helpFor(args.rest[0])}\n`);
      return ExitCode.ok;
    }
    case 'completion': {
      const { completionScript } = await import('./cli/completion.js');
      process.stdout.write(completionScript(args.rest[0]));
      return ExitCode.ok;
    }
    case 'doctor': {
      const [{ runDoctor }, { formatDoctor }] = await Promise.all([import('./doctor/run-doctor.js'), import('./doctor/format.js')]);
      const report = await runDoctor({ loadConfig: () => resolveConfig(args, paths, { startSandbox: false }), stateDir: paths.stateDir, repoRoot: installLocation().repoRoot });
      process.stdout.write(formatDoctor(report, { json: args.json }));
      return report.exitCode;
    }
    case 'init':
      return runInit(args, paths);
    case 'version':
      process.stdout.write(`onedeck ${pkg.version}\n`);
      return ExitCode.ok;
    case 'info': {
      const { printInfo } = await import('./cli/info.js');
      process.stdout.write(printInfo(args, paths));
      return ExitCode.ok;
    }
    case 'sandbox': {
      const { runSandboxCommand } = await import('./sandbox/cli.js');
      return runSandboxCommand(args.rest, { dir: paths.sandboxDir, ...installLocation(), out: (s) => process.stdout.write(`${s}\n`) });
    }
    case 'status': {
      const { collectStatus, formatStatus } = await import('./cli/status.js');
      // the sandbox is used when it runs; status never starts (and leaves behind) a daemon
      const config = await resolveConfig(args, paths, { startSandbox: false });
      const result = await collectStatus(config);
      process.stdout.write(formatStatus(result, { json: args.json, now: Date.now(), refreshSeconds: config.refresh_seconds }));
      return result.exitCode;
    }
    case 'run':
    case 'add':
    case 'remove':
      return runHeadless(args, paths);
    case 'tui':
      return runTui(args, paths);
  }
}

/** `onedeck init`: the guided form, the file it writes, then the main screen on that file */
async function runInit(args: CliArgs, paths: Paths): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new OnedeckError('onedeck init is a form and needs a terminal.', { hint: 'Run it in an interactive terminal.', exitCode: ExitCode.usage });
  }
  const [{ runInitForm }, { checkInit, initDefaults, writeInitConfig }] = await Promise.all([import('../views/init/start-init.js'), import('./cli/init-config.js')]);
  const file = resolve(args.config ?? 'onedeck.yaml');
  const values = await runInitForm({ stdout: process.stdout, stdin: process.stdin, file, exists: existsSync(file), defaults: initDefaults(), check: (v) => checkInit(v, file) });
  if (!values) {
    process.stdout.write(`onedeck init: nothing written.\n`);
    return ExitCode.ok;
  }
  writeInitConfig(file, values, true);
  process.stdout.write(`onedeck init: wrote ${file}. Next: onedeck doctor, then p (plan) in onedeck.\n`);
  return runTui({ ...args, config: file, sandbox: false }, paths, { firstDeploy: true });
}

/** `onedeck run`: ctrl-c stops watching the job's log; the job goes on, detached (see --help) */
async function runHeadless(args: CliArgs, paths: Paths): Promise<number> {
  const interrupt = new AbortController();
  const onInt = () => interrupt.abort();
  // the reader went away (`| head`): stop writing and watching, as on ctrl-c
  let gone = false;
  const onGone = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    gone = true;
    interrupt.abort();
  };
  process.on('SIGINT', onInt);
  process.stdout.on('error', onGone);
  try {
    const io = {
      out: (s: string) => void (gone || process.stdout.write(`${s}\n`)),
      err: (s: string) => void process.stderr.write(`${s}\n`),
      interrupt: interrupt.signal,
    };
    if (args.command === 'add' || args.command === 'remove') return await (await import('./cli/operation-cli.js')).runOperationCommand(args.command, args, paths, io);
    const { runCommand } = await import('./cli/run.js');
    return await runCommand(args, paths, {
      out: (s) => void (gone || process.stdout.write(`${s}\n`)),
      err: (s) => process.stderr.write(`${s}\n`),
      interrupt: interrupt.signal,
    });
  } finally {
    process.off('SIGINT', onInt);
  }
}

async function runTui(args: CliArgs, paths: Paths, opts: { firstDeploy?: boolean } = {}): Promise<number> {
  // a broken config is reported (and exits 78) whether or not there is a terminal
  const loadedAt = performance.now();
  const config = await resolveConfig(args, paths);
  const configAt = performance.now();
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new OnedeckError('onedeck needs a terminal for its full-screen UI, and this is not one.', {
      hint: 'Run it in an interactive terminal (ssh -t), or use `onedeck status [--json]` for a headless report.',
      exitCode: ExitCode.usage,
    });
  }
  const log = createAppLog(paths.logFile);
  log.info(`start: config ${config.source.file}${config.source.sandbox ? ' (sandbox)' : ''}`);
  const operator = operatorFromEnv();
  const runnerScript = join(installLocation().distDir, 'job-runner.js');
  const compose = (c: Config) => composeCore({ config: c, paths, log, refreshSeconds: args.refresh, runnerScript });
  let core = compose(config);
  const composedAt = performance.now();
  const ro = readonlyVerdict(args.readonly, config);
  const session: Session = { id: 'local', readonly: ro.readonly, ...(ro.reason ? { readonlyReason: ro.reason, readonlyForced: ro.forced } : {}), ...operator };
  if (ro.readonly) {
    log.info(`read-only session: ${ro.reason}`);
    // a read-only session writes no file but onedeck.log: not V8's code cache either (src/cli/boot.ts)
    process.env.ONEDECK_NO_CODE_CACHE = '1';
  }
  const sayReadonly = (c: Core) => {
    if (session.readonly) notify(c.cluster, 'info', readonlyNotice(session.readonlyReason, c.registry.all().filter((d) => d.mutating)));
  };
  const ui = createUiStore(opts.firstDeploy ? { firstDeploy: true } : {});
  const coreOf = (c: Core) => ({ cluster: c.cluster, registry: c.registry, executor: c.executor, logs: c.services.logs! });
  // the session's screens hold their logs (the focused job's, a hook-log tail) in the core it shows
  let detach = core.attach(ui);
  const tui = startTui({ stdout: process.stdout, stdin: process.stdin, ui, session, ...coreOf(core), noColor: args.noColor || (process.env.NO_COLOR ?? '') !== '' });

  // :reload reads onedeck.yaml again and swaps the core under the same screen; a broken file
  // leaves everything as it was and says why
  let reloading: Promise<string> | undefined;
  // one reload at a time: a second :reload while one runs waits for it and reports the same outcome
  const reload = (): Promise<string> => (reloading ??= reloadOnce().finally(() => (reloading = undefined)));
  const reloadOnce = async (): Promise<string> => {
    let next: Core;
    try {
      const cfg = await resolveConfig(args, paths);
      next = compose(cfg);
      // a reload can make a session read-only (the config, or the administrator's file), never writable
      if (tightenOnReload(session, readonlyVerdict(args.readonly, cfg))) {
        log.info(`reload: the session is read-only now (${session.readonlyReason})`);
        process.env.ONEDECK_NO_CODE_CACHE = '1';
      }
    } catch (err) {
      // the whole message (file:line:column, what is wrong, the fix), in a dialog and in onedeck.log
      const whole = describeError(err);
      log.error(`reload: onedeck.yaml not reloaded:\n${whole}`);
      showProblem(whole);
      throw new Error(`onedeck.yaml not reloaded, nothing changed: ${whole.split('\n')[0]}`);
    }
    wire(next);
    const old = core;
    core = next;
    detach();
    await old.stop();
    detach = next.attach(ui);
    tui.replaceCore(coreOf(next));
    next.start();
    sayReadonly(next);
    log.info(`reload: config ${next.config.source.file}`);
    return `reloaded ${next.config.source.file}: ${next.config.hypervisors.length + 1} hosts`;
  };
  const showProblem = (whole: string) => ui.setState({ dialog: { title: 'onedeck.yaml not reloaded: nothing changed', lines: whole.split('\n') } });
  const wire = (c: Core) => {
    c.services.quit = () => tui.restore();
    c.services.reload = reload;
  };
  wire(core);

  // whatever ends this process gives the terminal back first
  // every signal whose default is to end the process (SIGUSR1 starts Node's inspector instead;
  // SIGPROF is V8's profiler tick under --cpu-prof: a handler for it would end a profiled run)
  const signalExit = (sig: NodeJS.Signals) => 128 + (osConstants.signals[sig] ?? 15);
  const onSignalExit = (sig: NodeJS.Signals) => {
    tui.restore();
    log.info(`stop: ${sig}`);
    void core.stop().finally(() => process.exit(signalExit(sig)));
  };
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR2', 'SIGALRM', 'SIGVTALRM', 'SIGXCPU', 'SIGXFSZ', 'SIGPWR'] as NodeJS.Signals[]) {
    process.once(sig, onSignalExit);
  }
  // ctrl+z / SIGTSTP: give the terminal back, stop; SIGCONT (fg): full screen and raw input again
  process.on('SIGTSTP', () => {
    tui.suspend();
    log.info('stop requested: SIGTSTP');
    process.kill(process.pid, 'SIGSTOP');
  });
  process.on('SIGCONT', () => tui.resume());
  // the terminal went away (the SSH session dropped before a SIGHUP arrived): leave quietly; jobs
  // run detached and carry on
  const onTerminalGone = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EIO' && err.code !== 'EPIPE') return onCrash(err);
    log.info(`stop: terminal gone (${err.code})`);
    void core.stop().finally(() => process.exit(129));
  };
  process.stdout.on('error', onTerminalGone);
  process.stdin.on('error', onTerminalGone);
  const onCrash = (err: unknown) => {
    tui.restore();
    log.error('uncaught error', err);
    process.stderr.write(`onedeck: ${describeError(err)}\nDetails are in ${paths.logFile}.\n`);
    process.exit(1);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  // how long the first frame took, since the process started (onedeck.log; the bench reads the UI's output)
  const ms = (t: number) => Math.round(t);
  const codeCache = codeCacheState();
  log.info(`start: first frame at ${ms(performance.now())} ms (modules loaded at ${ms(loadedAt)}, config ${ms(configAt - loadedAt)}, core ${ms(composedAt - configAt)}, first frame ${ms(performance.now() - composedAt)}); code cache ${codeCache.use}`);
  core.start();
  sayReadonly(core);
  // V8 doubles its young generation while a job's log floods in (to 2 x 16 MB) and keeps it: from
  // here on it stays the size the start made it (+16 MB of RSS after a flood otherwise; V8 reads
  // this flag at each growth, unlike --max-semi-space-size). V8 stamps a code cache with a hash of
  // its flags and rejects one made under other flags: changed once this start's cache is written.
  void codeCache.written.then(() => setFlagsFromString('--semi-space-growth-factor=1'));
  // a component that threw ends the UI: reported and logged like any crash, never a silent exit 0
  await tui.waitUntilExit().catch(onCrash);
  // q while a job runs: the job goes on (detached); say so, and how to find it again
  process.stderr.write(quitNotice(core.cluster.getState().jobs));
  await core.stop();
  log.info('stop: quit');
  return ExitCode.ok;
}

const debug = process.argv.includes('--debug');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // open SSH connections or timers must not keep a finished command alive
    setTimeout(() => process.exit(code), 200).unref();
  },
  (err) => {
    // writing the output itself failed synchronously (a file on a full disk)
    if (outputFailure(err)) return onOutputError(err);
    process.stderr.write(`onedeck: ${describeError(err)}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exit(exitCodeOf(err));
  },
);
