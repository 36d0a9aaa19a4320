// `onedeck info`: every path onedeck uses, so an operator knows where to look.
import { join } from 'node:path';
import { findConfig } from '../config/load.js';
import type { Paths } from '../paths.js';
import type { CliArgs } from './args.js';
import { forcedReadonly, loadSystemConfigs, processAccount, systemConfigFiles } from '../config/system.js';

export function printInfo(args: CliArgs, paths: Paths, cwd = process.cwd(), env = process.env): string {
  const rows = infoRows(args, paths, cwd, env);
  // --json: the same rows as one object, keyed by their names
  if (args.json) return `${JSON.stringify(Object.fromEntries(rows.map(([k, v]) => [k.replace(/ /g, '_'), v])), null, 2)}\n`;
  const w = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n')}\n`;
}

export function infoRows(args: CliArgs, paths: Paths, cwd = process.cwd(), env = process.env): [string, string][] {
  let configLine: string;
  if (args.sandbox) configLine = `sandbox (--sandbox): ${paths.sandboxDir}/onedeck.yaml`;
  else {
    try {
      const found = findConfig(args.config, cwd, env);
      configLine = found.file ?? `none found (looked at ${found.searched.join(', ')}): onedeck starts the sandbox cluster`;
    } catch (err) {
      configLine = (err as Error).message;
    }
  }
  let system: string;
  try {
    const files = systemConfigFiles(env);
    const forced = forcedReadonly(loadSystemConfigs(files), processAccount());
    system = `${files.join(', ')}: ${forced ? `read-only ${forced}` : 'read-only not forced for this user'}`;
  } catch (err) {
    system = (err as Error).message;
  }
  const rows: [string, string][] = [
    ['config', configLine],
    ['system config', system],
    ['user config', paths.userConfig],
    ['state', paths.stateDir],
    ['log', paths.logFile],
    ['audit log', `${paths.stateDir}/audit.log`],
    ['jobs', paths.jobsDir],
    ['saved logs', join(paths.stateDir, 'saved')],
    ['job lock', paths.lockFile],
    ['sandbox', paths.sandboxDir],
    ['code cache', paths.cacheDir],
    ['credentials', 'SCW_* variables, else the scw CLI profile ($SCW_CONFIG_PATH, ~/.config/scw/config.yaml)'],
  ];
  return rows;
}
