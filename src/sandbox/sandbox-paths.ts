// Where a sandbox directory keeps the daemon's coordinates (shared by the daemon and its clients).
import { join } from 'node:path';

export interface SandboxInfo {
  pid: number;
  apiUrl: string;
  controlUrl: string;
  token: string;
  startedAt: string;
}

export const infoPath = (dir: string) => join(dir, 'sandbox.json');
export const pidPath = (dir: string) => join(dir, 'daemon.pid');
export const logPath = (dir: string) => join(dir, 'daemon.log');
/** the onedeck.yaml the daemon writes for its clients */
export const configPath = (dir: string) => join(dir, 'onedeck.yaml');

/** the daemon's exit code when it could not write its directory (full disk): the starter says so */
export const NO_SPACE_EXIT = 74;
