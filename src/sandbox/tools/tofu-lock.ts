// The local backend's state lock: `.terraform.tfstate.lock.info` while a plan or apply runs; a
// second run gets OpenTofu's "Error acquiring the state lock" with the Lock Info.
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { TOFU_VERSION } from './tofu-ui.js';

export const LOCK_FILE = '.terraform.tfstate.lock.info';
const OWNER_FILE = '.terraform/sandbox-lock-owner';

interface LockInfo {
  ID: string;
  Operation: string;
  Info: string;
  Who: string;
  Version: string;
  Created: string;
  Path: string;
}

/** Go's time.Time.String() in UTC: "2026-11-27 14:00:00.123456789 +0000 UTC". */
function goTime(d = new Date()): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')} +0000 UTC`;
}

function ownerAlive(dir: string): boolean {
  try {
    const pid = parseInt(readFileSync(join(dir, OWNER_FILE), 'utf8'), 10);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

export interface LockError {
  summary: string;
  detail: string;
}

/** Take the lock, or describe who holds it. A lock whose process died is taken over. */
export function acquireLock(dir: string, operation: 'OperationTypePlan' | 'OperationTypeApply'): { release(): void } | LockError {
  const file = join(dir, LOCK_FILE);
  // a lock whose process is gone is stale (a fresh one may not have its owner record yet)
  if (existsSync(file) && !ownerAlive(dir) && Date.now() - statSync(file).mtimeMs > 2000) rmSync(file, { force: true });
  const info: LockInfo = {
    ID: randomUUID(),
    Operation: operation,
    Info: '',
    Who: `${userInfo().username}@${hostname()}`,
    Version: TOFU_VERSION,
    Created: goTime(),
    Path: 'terraform.tfstate',
  };
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch {
    let held: Partial<LockInfo> = {};
    try {
      held = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
    } catch {
      held = {};
    }
    return {
      summary: 'Error acquiring the state lock',
      detail:
        `Error message: resource temporarily unavailable\nLock Info:\n  ID:        ${held.ID ?? ''}\n  Path:      ${held.Path ?? ''}\n  Operation: ${held.Operation ?? ''}\n` +
        `  Who:       ${held.Who ?? ''}\n  Version:   ${held.Version ?? ''}\n  Created:   ${held.Created ?? ''}\n  Info:      ${held.Info ?? ''}\n\n\n` +
        'OpenTofu acquires a state lock to protect the state from being written\nby multiple users at the same time. Please resolve the issue above and try\n' +
        'again. For most commands, you can disable locking with the "-lock=false"\nflag, but this is not recommended.',
    };
  }
  writeSync(fd, JSON.stringify(info));
  closeSync(fd);
  try {
    openSync(join(dir, '.terraform'), 'r');
    const o = openSync(join(dir, OWNER_FILE), 'w');
    writeSync(o, String(process.pid));
    closeSync(o);
  } catch {
    /* not initialised: without an owner record a later run treats this lock as stale */
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      rmSync(file, { force: true });
      rmSync(join(dir, OWNER_FILE), { force: true });
    },
  };
}

export const isLockError = (x: unknown): x is LockError => typeof x === 'object' && x !== null && 'summary' in x;
