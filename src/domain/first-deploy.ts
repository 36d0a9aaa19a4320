// The "first deployment" steps a new cluster goes through, each with its state (from the jobs in
// the cluster store) and the key that runs it. Shown on the main screen after `onedeck init`.
import type { JobRecord } from './job.js';

export interface FirstDeployStep {
  id: 'infrastructure' | 'network' | 'opennebula' | 'hooks' | 'validation';
  title: string;
  /** the action that runs it (the registry gives its key) */
  action: string;
  state: 'todo' | 'running' | 'done' | 'failed';
  jobId?: string;
}

const STEPS: { id: FirstDeployStep['id']; title: string; action: string; kinds: string[] }[] = [
  { id: 'infrastructure', title: 'infrastructure (plan, then apply)', action: 'plan', kinds: ['apply'] },
  { id: 'network', title: 'host network', action: 'network', kinds: ['network'] },
  { id: 'opennebula', title: 'OpenNebula (OneDeploy)', action: 'deploy', kinds: ['deploy'] },
  { id: 'hooks', title: 'Flexible-IP hooks', action: 'hooks', kinds: ['hooks'] },
  { id: 'validation', title: 'validation', action: 'validate', kinds: ['validate'] },
];

/** each step's state: its newest job's (jobs are newest first) */
export function firstDeploySteps(jobs: Pick<JobRecord, 'id' | 'kind' | 'state'>[]): FirstDeployStep[] {
  return STEPS.map((s) => {
    const j = jobs.find((x) => s.kinds.includes(x.kind));
    const state: FirstDeployStep['state'] = !j ? 'todo' : j.state === 'running' ? 'running' : j.state === 'succeeded' ? 'done' : 'failed';
    // infrastructure: a plan done but no apply yet → the next key is apply
    const action = s.id === 'infrastructure' && !j && jobs.some((x) => x.kind === 'plan' && x.state === 'succeeded') ? 'apply' : s.action;
    return { id: s.id, title: s.title, action, state, ...(j ? { jobId: j.id } : {}) };
  });
}
