// Entry point of dist/operation-runner.js: `node operation-runner.js <operation dir>`. Started
// detached (own session) by startDetached, so the operation goes on when the TUI or the
// operator's SSH session goes. SIGTERM/SIGINT cancel the running step; SIGHUP is ignored.
import { appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeError } from '../errors.js';
import { resolvePaths } from '../paths.js';
import { addSteps } from './add-steps.js';
import { readSummary, runOperation } from './engine.js';
import { machineLock } from './operations.js';
import { removeSteps } from './remove-steps.js';
import { createRunnerDeps } from './runner-deps.js';

async function main(dir: string): Promise<number> {
  const before = readSummary(dir);
  if (!before) throw new Error(`${dir} holds no operation`);
  const spec = before.spec;
  const paths = resolvePaths();
  const here = dirname(fileURLToPath(import.meta.url));
  const deps = createRunnerDeps({
    spec,
    paths,
    jobRunnerScript: process.env.ONEDECK_JOB_RUNNER ?? join(here, 'job-runner.js'),
    jobLockFile: join(dir, 'jobs.lock'),
    log: (l) => appendFileSync(join(dir, 'runner.log'), `${new Date().toISOString()} ${l}\n`),
  });
  const ac = new AbortController();
  process.on('SIGTERM', () => ac.abort());
  process.on('SIGINT', () => ac.abort());
  process.on('SIGHUP', () => {});
  try {
    const steps = spec.kind === 'add' ? addSteps(spec.hosts, deps) : removeSteps(spec.hosts[0], deps);
    // for tests that kill the runner at a given step: it stops itself (SIGSTOP) once that step's
    // start is in the journal, so the kill lands there and nowhere else
    const stopAt = process.env.ONEDECK_TEST_STOP_AT_STEP;
    const onStepStart = stopAt ? (id: string) => void (id === stopAt && process.kill(process.pid, 'SIGSTOP')) : undefined;
    const s = await runOperation({ dir, steps, jobs: deps.jobs, lock: machineLock(paths.lockFile, spec), signal: ac.signal, onStepStart });
    return s.state === 'done' ? 0 : 1;
  } finally {
    deps.close();
  }
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: operation-runner <operation-dir>\n');
  process.exit(64);
}
main(dir).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`operation-runner: ${describeError(err)}\n`);
    process.exit(1);
  },
);
