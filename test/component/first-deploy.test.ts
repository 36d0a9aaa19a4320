// After `onedeck init` the main screen shows the first-deployment steps, each with its state from
// the jobs in the store and its key; the host summary comes back once every step is done.
import { afterEach, expect, it } from 'vitest';
import { firstDeploySteps } from '../../src/domain/first-deploy.js';
import { addJob, makeJob, startRig, type Rig } from './tui-setup.js';

let rig: Rig | undefined;
afterEach(() => {
  rig?.tui.restore();
  rig = undefined;
});

it('the steps follow the jobs: to do, running, done, failed', () => {
  expect(firstDeploySteps([]).map((s) => [s.id, s.state, s.action])).toEqual([
    ['infrastructure', 'todo', 'plan'], ['network', 'todo', 'network'], ['opennebula', 'todo', 'deploy'], ['hooks', 'todo', 'hooks'], ['validation', 'todo', 'validate'],
  ]);
  const jobs = [makeJob('3', { kind: 'deploy', state: 'running' }), makeJob('2', { kind: 'network', state: 'failed' }), makeJob('1', { kind: 'apply', state: 'succeeded' })];
  expect(firstDeploySteps(jobs).map((s) => s.state)).toEqual(['done', 'failed', 'running', 'todo', 'todo']);
  expect(firstDeploySteps([makeJob('p', { kind: 'plan', state: 'succeeded' })])[0].action).toBe('apply');
});

it('the panel on the main screen, then the host summary once all are done', async () => {
  rig = startRig({ columns: 100, rows: 30 });
  rig.ui.setState({ firstDeploy: true });
  await rig.shows('first deployment');
  expect(rig.screen()).toMatch(/1\. infrastructure \(plan, then apply\) +to do +p, then :apply/);
  expect(rig.screen()).toMatch(/3\. OpenNebula \(OneDeploy\) +to do/);
  for (const [i, kind] of ['apply', 'network', 'deploy', 'hooks', 'validate'].entries()) addJob(rig.cluster, makeJob(String(i), { kind: kind as never, state: 'succeeded', startedAt: rig.clock() - 60_000 + i }));
  await rig.gone('first deployment');
  await rig.shows('SUCCEEDED · validate');
});
