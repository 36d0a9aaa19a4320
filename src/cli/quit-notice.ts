// What `q` leaves running: jobs are detached, so quitting the UI never stops them. Said on the
// terminal once the UI is gone, with how to find the job again.
import type { JobRecord } from '../domain/job.js';

export function quitNotice(jobs: Pick<JobRecord, 'id' | 'state' | 'title' | 'kind'>[]): string {
  const running = jobs.filter((j) => j.state === 'running');
  if (!running.length) return '';
  const lines = running.map((j) => `onedeck: job ${j.id} (${j.title}) goes on in the background.`);
  lines.push('Open onedeck again to watch it (:logs, or :jobs for the command log); `onedeck run --list` lists what runs headless; `x` or :cancel stops a job.');
  return `${lines.join('\n')}\n`;
}
