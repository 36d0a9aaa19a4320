// Where onedeck keeps its files (XDG base directories), in one place so `onedeck info` can print them.
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Paths {
  configHome: string;
  stateHome: string;
  /** $XDG_CONFIG_HOME/onedeck/config.yaml */
  userConfig: string;
  /** $XDG_STATE_HOME/onedeck */
  stateDir: string;
  /** onedeck's own log: nothing is ever printed while the full-screen UI is up */
  logFile: string;
  /** job logs and status files */
  jobsDir: string;
  /** the machine-wide lock for mutating jobs */
  lockFile: string;
  /** the built-in sandbox cluster */
  sandboxDir: string;
  /** $XDG_CACHE_HOME/onedeck: V8's code cache of the CLI (src/cli/boot.ts) */
  cacheDir: string;
}

export function resolvePaths(env: NodeJS.ProcessEnv = process.env): Paths {
  const home = env.HOME || homedir();
  const configHome = env.XDG_CONFIG_HOME || join(home, '.config');
  const stateHome = env.XDG_STATE_HOME || join(home, '.local', 'state');
  const stateDir = join(stateHome, 'onedeck');
  return {
    configHome,
    stateHome,
    userConfig: join(configHome, 'onedeck', 'config.yaml'),
    stateDir,
    logFile: join(stateDir, 'onedeck.log'),
    jobsDir: join(stateDir, 'jobs'),
    lockFile: join(stateDir, 'mutating-job.lock'),
    sandboxDir: env.ONEDECK_SANDBOX_DIR || join(stateDir, 'sandbox'),
    cacheDir: join(env.XDG_CACHE_HOME || join(home, '.cache'), 'onedeck'),
  };
}
