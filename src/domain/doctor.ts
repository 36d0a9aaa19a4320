// What `onedeck doctor` reports (its checks live in src/doctor/): one line per prerequisite, OK / WARN / FAIL, with the fix.

export type CheckState = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  /** stable id for scripts: node, tofu, ansible, collections, ssh, scaleway, scaleway-permissions, stock, config, disk, opennebula, sudo */
  id: string;
  /** what was checked, a few words */
  title: string;
  state: CheckState;
  /** what was found (a version, a path, the error) */
  detail: string;
  /** how to fix it (WARN/FAIL), one sentence or command */
  fix?: string;
}

export interface DoctorReport {
  checks: CheckResult[];
  /** 1 when a check failed, else 0 */
  exitCode: 0 | 1;
  at: number;
}

export const ok = (id: string, title: string, detail: string): CheckResult => ({ id, title, state: 'ok', detail });
export const warn = (id: string, title: string, detail: string, fix?: string): CheckResult => ({ id, title, state: 'warn', detail, ...(fix ? { fix } : {}) });
export const fail = (id: string, title: string, detail: string, fix?: string): CheckResult => ({ id, title, state: 'fail', detail, ...(fix ? { fix } : {}) });

export function reportOf(checks: CheckResult[], at: number): DoctorReport {
  return { checks, exitCode: checks.some((c) => c.state === 'fail') ? 1 : 0, at };
}

/** "1.8.3" → [1, 8, 3]; the first dotted number in the text */
export function parseVersion(text: string): number[] | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function versionAtLeast(v: number[], min: number[]): boolean {
  for (let i = 0; i < Math.max(v.length, min.length); i++) {
    const a = v[i] ?? 0;
    const b = min[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}
