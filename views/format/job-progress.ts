// A running job's progress after its title in the job pane and the log screen ("· 3/5 resources");
// the words come from the core (src/domain/job-progress.ts).
import type { JobRecord } from '../../src/domain/job.js';
import { progressText } from '../../src/domain/job-progress.js';
import type { Seg } from './text.js';

export function progressSegs(job: JobRecord): Seg[] {
  const p = job.state === 'running' ? progressText(job.progress) : undefined;
  return p ? [{ text: ` · ${p}`, tone: 'accent' }] : [];
}
