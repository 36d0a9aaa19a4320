// Ansible's output, as ansible-core 2.14 prints it: the default callback (banners, per-host
// result lines, PLAY RECAP) or ansible.posix.jsonl (one sorted, compact JSON event per line).

export type HostStatus = 'ok' | 'changed' | 'failed' | 'unreachable' | 'skipped';

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failures: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

/** Python's json.dumps(sort_keys=True) with its default separators (", ", ": "), ensure_ascii. */
export function pyJson(v: unknown, compact = false): string {
  const [item, kv] = compact ? [',', ':'] : [', ', ': '];
  const str = (s: string) => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const enc = (x: unknown): string => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'string') return str(x);
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    if (Array.isArray(x)) return `[${x.map(enc).join(item)}]`;
    const o = x as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${str(k)}${kv}${enc(o[k])}`).join(item)}}`;
  };
  return enc(v);
}

/** "2026-11-27T14:34:45.195506Z" as the jsonl callback writes it (utcnow().isoformat() + Z). */
export function pyUtcNow(): string {
  return new Date().toISOString().replace(/\.(\d{3})Z$/, (_m, f: string) => `.${f}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}Z`);
}

export function banner(msg: string): string {
  const stars = Math.max(3, 79 - msg.length);
  return `\n${msg} ${'*'.repeat(stars)}`;
}

export interface Reporter {
  playStart(name: string, id: string, path: string): void;
  taskStart(name: string, id: string, path: string): void;
  result(host: string, status: HostStatus, result: Record<string, unknown>, action: string, delegate?: string): void;
  stats(stats: Record<string, HostStats>): void;
}

export function defaultReporter(write: (s: string) => void): Reporter {
  return {
    playStart: (name) => write(banner(`PLAY [${name}]`) + '\n'),
    taskStart: (name) => write(banner(`TASK [${name}]`) + '\n'),
    result(host, status, result, _action, delegate) {
      const label = delegate ? `${host} -> ${delegate}` : host;
      const clean = Object.fromEntries(Object.entries(result).filter(([k]) => !k.startsWith('_') && k !== 'invocation'));
      if (status === 'failed') write(`fatal: [${label}]: FAILED! => ${pyJson(clean)}\n`);
      else if (status === 'unreachable') write(`fatal: [${label}]: UNREACHABLE! => ${pyJson(clean)}\n`);
      else if (status === 'skipped') write(`skipping: [${label}]\n`);
      else write(`${status}: [${label}]\n`);
    },
    stats(stats) {
      write(banner('PLAY RECAP') + '\n');
      for (const h of Object.keys(stats).sort()) {
        const s = stats[h];
        const f = (k: string, n: number) => `${k}=${String(n).padEnd(4)}`;
        write(`${h.padEnd(26)} : ${f('ok', s.ok)} ${f('changed', s.changed)} ${f('unreachable', s.unreachable)} ${f('failed', s.failures)} ${f('skipped', s.skipped)} ${f('rescued', s.rescued)} ${f('ignored', s.ignored)}\n`);
      }
      write('\n');
    },
  };
}

export function jsonlReporter(write: (s: string) => void): Reporter {
  let play: { name: string; id: string; path: string; duration: { start: string; end?: string } } | null = null;
  let task: { name: string; id: string; path: string; duration: { start: string; end?: string } } | null = null;
  const event = (name: string, body: Record<string, unknown>) => write(pyJson({ ...body, _event: name, _timestamp: pyUtcNow() }, true) + '\n');
  return {
    playStart(name, id, path) {
      play = { name, id, path, duration: { start: pyUtcNow() } };
      event('v2_playbook_on_play_start', { play, tasks: [] });
    },
    taskStart(name, id, path) {
      task = { name, id, path, duration: { start: pyUtcNow() } };
      event('v2_playbook_on_task_start', { hosts: {}, task });
    },
    result(host, status, result, action) {
      const end = pyUtcNow();
      if (play) play.duration.end = end;
      const t = { ...task!, duration: { ...task!.duration, end } };
      const extra = status === 'failed' ? { failed: true } : status === 'skipped' ? { skipped: true } : {};
      const ev = status === 'changed' ? 'ok' : status;
      event(`v2_runner_on_${ev}`, { hosts: { [host]: { ...result, ...extra, action } }, task: t });
    },
    stats(stats) {
      event('v2_playbook_on_stats', { custom_stats: {}, global_custom_stats: {}, stats });
    },
  };
}
