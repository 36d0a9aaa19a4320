// Which cluster onedeck runs against: the config file found (or given), else the sandbox.
import { findConfig, loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Paths } from '../paths.js';
import { aliveDaemon, ensureSandbox } from '../sandbox/config.js';
import { ExitCode, OnedeckError } from '../errors.js';
import type { CliArgs } from './args.js';
import { installLocation } from './install-location.js';

/** `startSandbox: false` (status, doctor): use the sandbox only when its daemon already runs, else say how to start it */
export async function resolveConfig(args: Pick<CliArgs, 'config' | 'sandbox'>, paths: Paths, opts: { startSandbox?: boolean } = {}): Promise<Config> {
  if (!args.sandbox) {
    const found = findConfig(args.config);
    if (found.file) return loadConfigFile(found.file);
  }
  if (opts.startSandbox === false && !(await aliveDaemon(paths.sandboxDir))) {
    throw new OnedeckError(`no onedeck.yaml found, and the sandbox cluster is not running${args.sandbox ? '' : ' (onedeck uses it when there is no config)'}.`, {
      hint: 'Start the sandbox with `onedeck sandbox start` (stop it with `onedeck sandbox stop`), or write a config with `onedeck init`.',
      exitCode: ExitCode.config,
    });
  }
  const sandbox = await ensureSandbox({ dir: paths.sandboxDir, ...installLocation() });
  return loadConfigFile(sandbox.configFile, { sandbox: true });
}
