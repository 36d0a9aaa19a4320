// The ansible.posix.jsonl callback: one JSON event per line. Folds events into progress (play,
// task, per-host counts, failures, recap) and renders each as readable log lines.
import { parseJsonLine } from '../json-line.js';

export interface HostProgress {
  ok: number;
  changed: number;
  failed: number;
  unreachable: number;
  skipped: number;
  /** the last task seen on this host and its outcome */
  last?: string;
  status?: 'ok' | 'changed' | 'failed' | 'unreachable' | 'skipped';
}

export interface RecapCounts {
  ok: number;
  changed: number;
  unreachable: number;
  failures: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export interface AnsibleFailure {
  host: string;
  task: string;
  msg: string;
  unreachable?: boolean;
}

export interface AnsibleProgress {
  play?: string;
  task?: string;
  plays: number;
  tasks: number;
  hosts: Record<string, HostProgress>;
  failures: AnsibleFailure[];
  recap?: Record<string, RecapCounts>;
}

export interface AnsibleEvent {
  event: string;
  play?: string;
  task?: string;
  hosts: Record<string, Record<string, unknown>>;
  stats?: Record<string, Partial<RecapCounts>>;
}

export function newAnsibleProgress(): AnsibleProgress {
  return { plays: 0, tasks: 0, hosts: {}, failures: [] };
}

export function parseAnsibleLine(line: string): AnsibleEvent | undefined {
  const o = parseJsonLine(line);
  if (!o || typeof o._event !== 'string') return undefined;
  const name = (x: unknown) => (x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string' ? (x as { name: string }).name : undefined);
  return {
    event: o._event,
    play: name(o.play),
    task: name(o.task),
    hosts: (o.hosts && typeof o.hosts === 'object' ? o.hosts : {}) as AnsibleEvent['hosts'],
    stats: o.stats as AnsibleEvent['stats'],
  };
}

const host = (p: AnsibleProgress, h: string): HostProgress =>
  (p.hosts[h] ??= { ok: 0, changed: 0, failed: 0, unreachable: 0, skipped: 0 });

/** The message of a failed result: msg, then the last stderr line, then rc. */
export function resultMessage(r: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof r.msg === 'string' && r.msg.trim()) parts.push(r.msg.trim().replace(/\s*\r?\n\s*/g, ' '));
  const stderr = typeof r.stderr === 'string' ? r.stderr.trim().split('\n').pop() : undefined;
  if (stderr && !parts.some((p) => p.includes(stderr))) parts.push(stderr);
  if (!parts.length && typeof r.rc === 'number') parts.push(`rc=${r.rc}`);
  return parts.join(': ') || 'failed';
}

const pad = (s: string, n: number) => (s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length));

/** Fold an event into the progress and return the readable lines for the log. */
export function foldAnsibleEvent(p: AnsibleProgress, ev: AnsibleEvent): string[] {
  switch (ev.event) {
    case 'v2_playbook_on_play_start':
      p.play = ev.play;
      p.plays++;
      return ['', `PLAY [${ev.play ?? ''}]`];
    case 'v2_playbook_on_task_start':
    case 'v2_playbook_on_handler_task_start':
      p.task = ev.task;
      p.tasks++;
      return [`TASK [${ev.task ?? ''}]`];
    case 'v2_runner_on_start':
      // free strategy: one start per host; show the task once
      if (ev.task && ev.task !== p.task) {
        p.task = ev.task;
        p.tasks++;
        return [`TASK [${ev.task}]`];
      }
      return [];
    case 'v2_runner_on_ok':
    case 'v2_runner_on_failed':
    case 'v2_runner_on_skipped':
    case 'v2_runner_on_unreachable':
      return Object.entries(ev.hosts).flatMap(([h, r]) => foldResult(p, ev.event, ev.task ?? p.task ?? '', h, r));
    case 'v2_playbook_on_stats':
      return foldStats(p, ev.stats ?? {});
    default:
      return [];
  }
}

function foldResult(p: AnsibleProgress, event: string, task: string, h: string, r: Record<string, unknown>): string[] {
  const hp = host(p, h);
  hp.last = task;
  if (event === 'v2_runner_on_ok') {
    const changed = r.changed === true;
    if (changed) hp.changed++;
    hp.ok++;
    hp.status = changed ? 'changed' : 'ok';
    const msg = r._ansible_verbose_always && typeof r.msg === 'string' ? `  ${r.msg}` : '';
    return [`  ${pad(changed ? 'changed' : 'ok', 9)}${h}${msg}`];
  }
  if (event === 'v2_runner_on_skipped') {
    hp.skipped++;
    hp.status = 'skipped';
    return [`  ${pad('skipping', 9)}${h}`];
  }
  const unreachable = event === 'v2_runner_on_unreachable';
  const msg = resultMessage(r);
  if (unreachable) hp.unreachable++;
  else hp.failed++;
  hp.status = unreachable ? 'unreachable' : 'failed';
  p.failures.push({ host: h, task, msg, ...(unreachable ? { unreachable: true } : {}) });
  const lines = [`  ${pad(unreachable ? 'unreachable' : 'failed', 9)}${h}  ${msg}`];
  const out = typeof r.stdout === 'string' ? r.stdout.trim() : '';
  if (!unreachable && out) for (const l of out.split('\n').slice(-20)) lines.push(`      ${l}`);
  return lines;
}

function foldStats(p: AnsibleProgress, stats: Record<string, Partial<RecapCounts>>): string[] {
  const recap: Record<string, RecapCounts> = {};
  const lines = ['', 'PLAY RECAP'];
  const width = Math.max(0, ...Object.keys(stats).map((h) => h.length)) + 2;
  for (const [h, s] of Object.entries(stats)) {
    const c: RecapCounts = {
      ok: s.ok ?? 0,
      changed: s.changed ?? 0,
      unreachable: s.unreachable ?? 0,
      failures: s.failures ?? 0,
      skipped: s.skipped ?? 0,
      rescued: s.rescued ?? 0,
      ignored: s.ignored ?? 0,
    };
    recap[h] = c;
    lines.push(
      `${pad(h, width)}: ok=${c.ok} changed=${c.changed} unreachable=${c.unreachable} failed=${c.failures} skipped=${c.skipped} rescued=${c.rescued} ignored=${c.ignored}`,
    );
  }
  p.recap = recap;
  return lines;
}

/** The one-line result: "failed: kvm-2 TASK [Check disk] disk /dev/sdz not found". */
export function ansibleOneLine(p: AnsibleProgress, exitCode: number | null | undefined): string {
  // failures under ignore_errors are still events; the recap tells which hosts really failed
  const real = p.failures.filter((f) => !p.recap || f.unreachable || (p.recap[f.host]?.failures ?? 0) > 0);
  const first = real.find((f) => !f.unreachable) ?? real[0];
  const more = real.length > 1 ? ` (+${real.length - 1} more)` : '';
  if (first) return `${first.unreachable ? 'unreachable' : 'failed'}: ${first.host} TASK [${first.task}] ${first.msg}${more}`;
  const hosts = Object.keys(p.recap ?? p.hosts);
  if (exitCode && exitCode !== 0) return `ansible-playbook exited with ${exitCode}`;
  const changed = Object.values(p.recap ?? {}).reduce((n, c) => n + (c.changed > 0 ? 1 : 0), 0);
  return `ok: ${hosts.length} host${hosts.length === 1 ? '' : 's'}, ${changed} changed`;
}
