// The CLI entry: parses arguments, loads the config (or the sandbox), and either runs a headless
// command or opens the full-screen UI. The only file of src/ that loads views/.
import { join } from 'node:path';
import { startTui } from '../views/index.js';
import pkg from '../package.json' with { type: 'json' };
import { parseCli, USAGE, type CliArgs } from './cli/args.js';
import { printInfo } from './cli/info.js';
import { installLocation } from './cli/install-location.js';
import { resolveConfig } from './cli/resolve-config.js';
import { composeCore, type Core } from './compose.js';
import type { Config } from './config/schema.js';
import { describeError, exitCodeOf, ExitCode, OnedeckError } from './errors.js';
import { collectStatus, formatStatus } from './cli/status.js';
import { operatorFromEnv } from './jobs/job-service.js';
import { createAppLog } from './logs/app-log.js';
import { resolvePaths, type Paths } from './paths.js';
import { runSandboxCommand } from './sandbox/cli.js';
import { createUiStore } from './store/ui-store.js';

async function main(argv: string[]): Promise<number> {
  const args = parseCli(argv);
  const paths = resolvePaths();
  switch (args.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return ExitCode.ok;
    case 'version':
      process.stdout.write(`onedeck ${pkg.version}\n`);
      return ExitCode.ok;
    case 'info':
      process.stdout.write(printInfo(args, paths));
      return ExitCode.ok;
    case 'sandbox':
      return runSandboxCommand(args.rest, { dir: paths.sandboxDir, ...installLocation(), out: (s) => process.stdout.write(`${s}\n`) });
    case 'status': {
      const config = await resolveConfig(args, paths);
      const result = await collectStatus(config);
      process.stdout.write(formatStatus(result, { json: args.json, now: Date.now(), refreshSeconds: config.refresh_seconds }));
      return result.exitCode;
    }
    case 'tui':
      return runTui(args, paths);
  }
}

async function runTui(args: CliArgs, paths: Paths): Promise<number> {
  // a broken config is reported (and exits 78) whether or not there is a terminal
  const config = await resolveConfig(args, paths);
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
  const compose = (c: Config) => composeCore({ config: c, paths, log, operator, refreshSeconds: args.refresh, runnerScript });
  let core = compose(config);
  const session = { id: 'local', readonly: args.readonly || config.readonly, ...operator };
  const ui = createUiStore();
  const coreOf = (c: Core) => ({ cluster: c.cluster, registry: c.registry, executor: c.executor, logs: c.services.logs! });
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
      if (cfg.readonly) session.readonly = true; // a reload can make a session read-only, never writable
    } catch (err) {
      throw new Error(describeError(err).replace(/\n/g, ' — '));
    }
    wire(next);
    const old = core;
    core = next;
    await old.stop();
    tui.replaceCore(coreOf(next));
    next.start();
    log.info(`reload: config ${next.config.source.file}`);
    return `reloaded ${next.config.source.file}: ${next.config.hypervisors.length + 1} hosts`;
  };
  const wire = (c: Core) => {
    c.services.quit = () => tui.restore();
    c.services.reload = reload;
  };
  wire(core);

  // whatever ends this process gives the terminal back first
  const onSignal = (sig: NodeJS.Signals) => {
    tui.restore();
    log.info(`stop: ${sig}`);
    void core.stop().finally(() => process.exit(128 + (sig === 'SIGHUP' ? 1 : sig === 'SIGINT' ? 2 : 15)));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  process.once('SIGINT', onSignal);
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

  core.start();
  // a component that threw ends the UI: reported and logged like any crash, never a silent exit 0
  await tui.waitUntilExit().catch(onCrash);
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
    process.stderr.write(`onedeck: ${describeError(err)}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exit(exitCodeOf(err));
  },
);
