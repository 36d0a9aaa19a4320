// Which cluster onedeck runs against: the config file found (or given), else the sandbox.
import { findConfig, loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Paths } from '../paths.js';
import { ensureSandbox } from '../sandbox/config.js';
import type { CliArgs } from './args.js';
import { installLocation } from './install-location.js';

export async function resolveConfig(args: Pick<CliArgs, 'config' | 'sandbox'>, paths: Paths): Promise<Config> {
  if (!args.sandbox) {
    const found = findConfig(args.config);
    if (found.file) return loadConfigFile(found.file);
  }
  const sandbox = await ensureSandbox({ dir: paths.sandboxDir, ...installLocation() });
  return loadConfigFile(sandbox.configFile, { sandbox: true });
}
