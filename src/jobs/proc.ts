// Process facts from /proc. PID 1 here does not reap orphans, so a killed process may linger as
// a zombie: a 'Z' (or 'X') state counts as dead.
import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
  state: string;
  pgid: number;
  /** start time in clock ticks since boot: tells a reused pid apart */
  start: number;
}

export function procStat(pid: number): ProcStat | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // fields after the name: state(3) ppid(4) pgrp(5) ... starttime(22)
    return { state: rest[0], pgid: Number(rest[2]), start: Number(rest[19]) };
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number | undefined, start?: number): boolean {
  if (!pid) return false;
  const st = procStat(pid);
  if (!st || st.state === 'Z' || st.state === 'X') return false;
  return start === undefined || st.start === start;
}

/** Living (non-zombie) processes of a process group. */
export function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(Number(name));
    if (st && st.pgid === pgid && st.state !== 'Z' && st.state !== 'X') out.push(Number(name));
  }
  return out;
}

/** Send a signal to a whole process group; false when it is already gone. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Is process group `pgid` still the job's tool group? Its leader with the recorded start time, or,
 * leader gone, members left over (Linux gives no new process a pid still in use as a group id). */
export function toolGroupAlive(pgid: number, leaderStart: number | undefined): boolean {
  const lead = procStat(pgid);
  if (lead && lead.state !== 'Z' && lead.state !== 'X') return leaderStart === undefined || lead.start === leaderStart;
  return groupMembers(pgid).length > 0;
}
