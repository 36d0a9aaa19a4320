// Entry point of dist/job-runner.js: `node job-runner.js <jobDir>`. Started detached (own
// session) by the job service, so the job survives the TUI and the operator's SSH session.
import { runJob } from './runner.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: job-runner <job-dir>\n');
  process.exit(64);
}
runJob(dir).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`job-runner: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
