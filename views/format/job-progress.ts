// A running job's progress after its title in the job pane and the log screen ("· 3/5 resources");
// the words come from the core (src/domain/job-progress.ts).
import type { JobRecord } from '../../src/domain/job.js';
import { progressText, shortJobId } from '../../src/domain/job-progress.js';
import type { Seg } from './text.js';

export function progressSegs(job: JobRecord): Seg[] {
  const p = job.state === 'running' ? progressText(job.progress) : undefined;
  return p ? [{ text: ` · ${p}`, tone: 'accent' }] : [];
}


const STATE_TONE = { running: 'accent', succeeded: 'ok', failed: 'bad', cancelled: 'warn', lost: 'bad' } as const;

/** a job pane's title, the state first so a narrow pane still says whether the job failed */
export function jobTitleSegs(job: JobRecord, duration: string): Seg[] {
  return [
    { text: job.state.toUpperCase(), tone: STATE_TONE[job.state] },
    { text: ` · ${job.kind} · ${duration} · ${job.title}`, tone: 'title' },
    ...progressSegs(job),
    // the id last: a narrow pane cuts it before the progress
    { text: ` · ${shortJobId(job.id)}`, tone: 'dim' },
  ];
}
