// The headless twins of + and -: `onedeck add [NAME…] --yes` and `onedeck remove NAME --yes
// --confirm NAME`. They compose the core like the UI and run the same actions through the same
// executor (read-only, disabled reasons, the preview as the question, its answer), then follow
// the operation's journal: one line per step event (--json: the journal records as JSON lines).
// Exit 0 when the operation is done, 1 when it failed, was cancelled or was refused.
import { join } from 'node:path';
import { composeCore } from '../compose.js';
import { ExitCode } from '../errors.js';
import { createAppLog } from '../logs/app-log.js';
import { followOperation, recordLine } from '../operations/follow.js';
import { operationDir } from '../operations/journal.js';
import type { Paths } from '../paths.js';
import { operatorFromEnv, type Session } from '../session.js';
import { createUiStore } from '../store/ui-store.js';
import type { CliArgs } from './args.js';
import { installLocation } from './install-location.js';
import { readonlyVerdict } from './readonly.js';
import { resolveConfig } from './resolve-config.js';
import type { RunIo } from './run.js';

export async function runOperationCommand(kind: 'add' | 'remove', args: CliArgs, paths: Paths, io: RunIo): Promise<number> {
  const config = await resolveConfig(args, paths);
  const log = createAppLog(paths.logFile);
  const runnerScript = join(installLocation().distDir, 'job-runner.js');
  const core = composeCore({ config, paths, log, runnerScript });
  // read-only as for `onedeck run` and the TUI: --readonly, ONEDECK_READONLY, the config, or the
  // administrator's force_readonly (which nothing the user passes turns off)
  const ro = readonlyVerdict(args.readonly, config);
  const session: Session = { id: `${kind}-${process.pid}`, readonly: ro.readonly, ...(ro.reason ? { readonlyReason: ro.reason, readonlyForced: ro.forced } : {}), ...operatorFromEnv() };
  const say = (e: Record<string, unknown>, text: string) => (args.json ? io.out(JSON.stringify(e)) : text.split('\n').forEach((l) => io.err(`onedeck: ${l}`)));
  log.info(`${kind} ${args.rest.join(' ')}: config ${config.source.file}${session.readonly ? ` (read-only: ${ro.reason})` : ''}`);
  try {
    // what the disabled reasons read (the lock holder, the operations), published once
    core.refreshJobs();
    const ui = createUiStore();
    let outcome = await core.executor.run(kind, args.rest, session, ui);
    if (!outcome.ok && outcome.reason === 'needs-confirmation' && outcome.confirmation) {
      const c = outcome.confirmation;
      const text = c.expect ? args.confirm : args.yes ? 'y' : undefined;
      if (text === undefined || (c.expect && !args.yes)) {
        const how = c.expect ? `pass --yes --confirm ${c.expect} to go ahead` : 'pass --yes to go ahead';
        say({ type: 'confirm', question: c.question, expect: c.expect }, `${c.question}\nnot run: ${how}`);
        return 1;
      }
      if (!args.json) for (const l of c.question.split('\n')) io.err(`onedeck: ${l}`);
      outcome = await core.executor.run(kind, args.rest, session, ui, { token: c.token, text });
    }
    if (!outcome.ok) {
      say({ type: 'refused', reason: outcome.reason, message: outcome.message }, `not run: ${outcome.message}`);
      return outcome.reason === 'unknown' ? ExitCode.usage : 1;
    }
    const id = ui.getState().focusedOp;
    if (!id) {
      say({ type: 'refused', reason: 'failed', message: 'no operation started' }, 'not run: no operation started');
      return 1;
    }
    say({ type: 'started', operation: id }, `operation ${id} started (it runs detached: ctrl-c stops watching, :ops in onedeck shows it)`);
    const titles: Record<string, string> = {};
    const end = await followOperation(
      operationDir(paths.stateDir, id),
      (r) => {
        if (r.t === 'created') for (const s of r.spec.steps) titles[s.id] = s.title;
        if (args.json) return io.out(JSON.stringify(r));
        const line = recordLine(r, titles);
        if (line) io.out(line);
      },
      { pollMs: 200, ...(io.interrupt ? { signal: io.interrupt } : {}) },
    );
    if (!end || end.state === 'running') {
      say({ type: 'detached', operation: id }, `stopped watching: operation ${id} goes on, detached (onedeck :ops shows it)`);
      return 130;
    }
    return end.state === 'done' ? 0 : 1;
  } finally {
    await core.stop();
  }
}
