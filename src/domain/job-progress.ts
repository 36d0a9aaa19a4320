// A running job's live progress (JobRecord.progress, rewritten by the runner about once a second)
// and the cluster's notices, in the few words the job pane title, the command log and the footer
// show. Pure: the views call these on what the stores hold.
import type { JobProgress } from './job.js';

/** "3/5 resources · creating scaleway_baremetal_server.host["kvm-4"]", "TASK [kvm : Install] · 4 hosts · 1 failed" */
export function progressText(p: JobProgress | undefined): string | undefined {
  if (!p) return undefined;
  if (p.kind === 'tofu') {
    if (p.total === 0) return undefined;
    const errored = p.resources.filter((r) => r.state === 'errored').length;
    const now = p.resources.find((r) => r.state === 'running');
    const verb = now ? `${now.action === 'delete' ? 'destroying' : now.action === 'create' ? 'creating' : 'changing'} ${now.addr}` : '';
    return [`${p.done}/${p.total} resources`, errored ? `${errored} errored` : '', verb].filter(Boolean).join(' · ');
  }
  const hosts = Object.values(p.hosts);
  const failed = hosts.filter((h) => h.failed > 0 || h.unreachable > 0).length;
  const parts = [
    p.task ? `TASK [${p.task}]` : p.play ? `PLAY [${p.play}]` : '',
    hosts.length ? `${hosts.length} host${hosts.length === 1 ? '' : 's'}` : '',
    failed ? `${failed} failed` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

export interface NoticeLike {
  level: 'info' | 'warn' | 'error';
  text: string;
  at: number;
}

/** how long the footer shows a new notice */
export const NOTICE_MS = 8000;

/** the newest notice while it is recent (the footer shows it when no flash is up) */
export function currentNotice<N extends NoticeLike>(notices: readonly N[], now: number, ms = NOTICE_MS): N | undefined {
  const n = notices[notices.length - 1];
  return n && now - n.at < ms && now - n.at >= -ms ? n : undefined;
}

/** a job id in a title: its time and random tail ("20261201-193509-hooks-442b" → "193509-442b"); :logs takes it */
export function shortJobId(id: string): string {
  const m = /^\d{8}-(\d{6})-[a-z-]+-([0-9a-z]+)$/i.exec(id);
  return m ? `${m[1]}-${m[2]}` : id;
}

/** the job an id names: the whole id, else its short form or its unique tail */
export function findJobId(ids: string[], ref: string): string | undefined {
  if (ids.includes(ref)) return ref;
  const hits = ids.filter((id) => shortJobId(id) === ref || id.endsWith(`-${ref}`));
  return hits.length === 1 ? hits[0] : undefined;
}
