// The detached job runner: runs one job's tool in its own process group, writes the masked
// readable log, the raw events and the status file, holds the machine-wide lock of a mutating
// job, and turns SIGINT/SIGTERM into "SIGINT to the group, wait, SIGKILL". It runs in its own
// session, so it outlives the TUI and the operator's SSH connection.
import { closeSync, openSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { JobRecord } from '../domain/job.js';
import { describeError } from '../errors.js';
import { batchedWriter } from './batched-log.js';
import { BlockSplitter } from './block-splitter.js';
import { capture } from './capture.js';
import { FILES, readJson, writeJsonAtomic, type CommandStep, type InventoryStep, type JobSpec } from './job-store.js';
import { acquireLock, noteLockTool, releaseLock } from './lock.js';
import { createMasker, secretEnvValues } from './mask.js';
import { groupMembers, killGroup, procStat } from './proc.js';
import { createProcessor } from './progress.js';
import { formatDuration as duration } from '../domain/time-format.js';

/** a longer output line keeps its first 256 KiB */
const MAX_LINE = 256 * 1024;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run the job in `dir`; resolves with the runner's exit code once everything is recorded. */
export async function runJob(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const spec = readJson<JobSpec>(join(dir, FILES.spec));
  if (!spec) return 2;
  const mask = createMasker(secretEnvValues(spec.secretEnv, env));
  const logFd = openSync(join(dir, FILES.log), 'a', 0o600);
  let eventsFd: number | undefined;
  let events: ReturnType<typeof batchedWriter> | undefined;
  // one write(2) per batch of lines, not one per line; save() flushes it before each status
  const logBatch = batchedWriter(logFd);
  const write = (text: string) => logBatch.write(`${mask(text)}\n`);
  const statusFile = join(dir, FILES.status);
  const record: JobRecord = {
    id: spec.id,
    kind: spec.kind,
    title: spec.title,
    command: spec.display,
    mutating: spec.mutating,
    user: spec.user,
    ...(spec.from ? { from: spec.from } : {}),
    pid: process.pid,
    pidStart: procStat(process.pid)?.start,
    startedAt: Date.now(),
    state: 'running',
    logFile: join(dir, FILES.log),
    host: spec.host,
    ...(spec.planJobId ? { planJobId: spec.planJobId } : {}),
    ...(spec.cluster ? { cluster: spec.cluster } : {}),
  };
  const save = () => {
    logBatch.flush();
    events?.flush();
    writeJsonAtomic(statusFile, record);
  };

  write(`$ ${spec.display}`);
  write(`# job ${spec.id} (${spec.title}) started by ${spec.user}${spec.from ? ` from ${spec.from}` : ''} on ${spec.host} at ${new Date(record.startedAt).toISOString()}`);

  if (spec.mutating && spec.lockFile) {
    try {
      const got = acquireLock(spec.lockFile, {
        jobId: spec.id,
        kind: spec.kind,
        pid: process.pid,
        user: spec.user,
        from: spec.from,
        host: spec.host,
        startedAt: record.startedAt,
        command: spec.display,
      });
      if (got.tookOver) write(`# note: took over the stale lock of job ${got.tookOver.jobId} (its runner, pid ${got.tookOver.pid}, is dead)`);
    } catch (err) {
      const msg = describeError(err).split('\n')[0];
      write(`# not started: ${msg}`);
      Object.assign(record, { state: 'failed', endedAt: Date.now(), exitCode: null, summary: `not started: ${msg}` });
      save();
      closeSync(logFd);
      return 1;
    }
  }

  const proc = createProcessor(spec.format, spec.kind, spec.toolName);
  let cancelled = false; // asked to stop
  let toolExited = false; // its result is in: a cancel now changes nothing
  let signalled = false; // the group got its SIGINT
  let killTimer: NodeJS.Timeout | undefined;
  let sub: ChildProcess | undefined;
  const cancel = (signal: string) => {
    if (toolExited) {
      // the tool finished (an apply completed): recording "cancelled" would hide what it did
      write(`# ${signal}: the tool has already exited, finishing up`);
      return;
    }
    cancelled = true;
    const pgid = record.pgid;
    if (!pgid) return; // not started yet: done once it is
    if (signalled) {
      write(`# ${signal} again: SIGKILL to process group ${pgid}`);
      killGroup(pgid, 'SIGKILL');
      return;
    }
    signalled = true;
    write(`# cancel requested (${signal}): SIGINT to process group ${pgid}, SIGKILL in ${duration(spec.killGraceMs)}`);
    killGroup(pgid, 'SIGINT');
    killTimer = setTimeout(() => {
      write(`# still running after ${duration(spec.killGraceMs)}: SIGKILL to process group ${pgid}`);
      killGroup(pgid, 'SIGKILL');
    }, spec.killGraceMs);
  };
  process.on('SIGINT', () => cancel('SIGINT'));
  process.on('SIGTERM', () => cancel('SIGTERM'));
  process.on('SIGHUP', () => {}); // the terminal going away is not a reason to stop

  let exitCode: number | null = null;
  let signal: string | null = null;
  try {
    let spawnError: Error | undefined;
    sub = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...env, ...spec.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = sub;
    child.once('error', (err) => {
      spawnError = err;
    });
    record.pgid = child.pid;
    if (record.pgid === undefined) {
      // the 'error' event (ENOENT, EACCES) comes on the next tick
      await new Promise((r) => setImmediate(r));
      throw new Error(spawnError?.message ?? `cannot run ${spec.command}`);
    }
    record.pgidStart = procStat(record.pgid)?.start;
    // if this runner is killed outright, the lock stays held while its tool still runs
    if (spec.mutating && spec.lockFile) noteLockTool(spec.lockFile, spec.id, record.pgid, record.pgidStart);
    save();
    if (cancelled) cancel('SIGINT'); // a signal arrived before the tool started

    let dirty = false;
    const cutNote = (head: string, dropped: number) => `${mask.partial(head)} … [${dropped} more characters cut by onedeck]`;
    // a line the processor passed on as is was masked already: only lines it made are masked again
    const emit = (line: string) => {
      const out = proc.line(line);
      if (out.event !== undefined) {
        eventsFd ??= openSync(join(dir, FILES.events), 'a', 0o600);
        events ??= batchedWriter(eventsFd);
        events.write(`${out.event}\n`);
      }
      for (const l of out.lines) {
        if (l === line) logBatch.write(`${l}\n`);
        else write(l);
      }
    };
    // a whole chunk of lines is masked at once; plain output is then written as is, structured
    // output (tofu/ansible events) goes through the processor line by line
    const sink = {
      lines(text: string) {
        const masked = mask(text);
        dirty = true;
        if (proc.block) {
          proc.block(masked);
          logBatch.write(masked);
          return;
        }
        let start = 0;
        while (start < masked.length) {
          const nl = masked.indexOf('\n', start);
          emit(masked.slice(start, nl));
          start = nl + 1;
        }
      },
      cut(head: string, dropped: number) {
        dirty = true;
        const line = cutNote(head, dropped);
        if (proc.block) {
          proc.block(`${line}\n`);
          logBatch.write(`${line}\n`);
        } else emit(line);
      },
    };
    const streams = [child.stdout, child.stderr].filter((s): s is NonNullable<typeof s> => !!s);
    const closed = streams.map(
      (s) =>
        new Promise<void>((resolve) => {
          // bounded memory whatever the line length (readline holds a whole line)
          const lines = new BlockSplitter(sink, MAX_LINE);
          s.setEncoding('utf8');
          s.on('data', (chunk: string) => lines.write(chunk));
          let ended = false;
          const done = () => {
            if (ended) return;
            ended = true;
            lines.end();
            resolve();
          };
          s.once('end', done);
          s.once('close', done);
        }),
    );
    const ticker = setInterval(() => {
      if (!dirty) return;
      dirty = false;
      const progress = proc.progress();
      if (progress) {
        record.progress = progress;
        save();
      }
    }, 1000);
    const exited = new Promise<{ code: number | null; sig: string | null }>((resolve) => {
      child.once('exit', (code, sig) => resolve({ code, sig }));
      child.once('error', () => resolve({ code: null, sig: null }));
    });
    const result = await exited;
    toolExited = true;
    exitCode = result.code;
    signal = result.sig;
    // grandchildren may still hold the pipes: give them a moment, then end the group
    const drained = await Promise.race([Promise.all(closed).then(() => true), sleep(2000).then(() => false)]);
    const pgid = record.pgid;
    if (groupMembers(pgid).length > 0) {
      write(`# processes of group ${pgid} outlived the tool: SIGKILL`);
      killGroup(pgid, 'SIGKILL');
      for (let i = 0; i < 40 && groupMembers(pgid).length > 0; i++) await sleep(50);
    }
    if (!drained) await Promise.race([Promise.all(closed), sleep(1000)]);
    clearInterval(ticker);
    if (spawnError && exitCode === null && !signal && !cancelled) {
      write(`# cannot run ${spec.command}: ${spawnError.message}`);
    }
  } catch (err) {
    write(`# cannot run ${spec.command}: ${describeError(err)}`);
  }
  if (killTimer) clearTimeout(killTimer);
  await closeSshMasters(spec.env.ANSIBLE_SSH_CONTROL_PATH_DIR);

  const ok = exitCode === 0 && !cancelled;
  const warnings: string[] = [];
  if (ok) {
    for (const step of spec.post ?? []) {
      const problem = 'renderInventory' in step ? await renderStep(step.renderInventory, write) : await runPost(step, spec, env, write);
      if (problem) {
        warnings.push(problem); // the next steps build on this one
        break;
      }
    }
  }
  const plan = proc.plan();
  if (plan) writeJsonAtomic(join(dir, FILES.plan), plan);
  // the tool did its work: a post step that failed is said in the summary, the job still succeeded
  const summary = [proc.summary(exitCode, cancelled), ...warnings].join(' — ');
  Object.assign(record, {
    state: cancelled ? 'cancelled' : ok ? 'succeeded' : 'failed',
    exitCode,
    signal,
    endedAt: Date.now(),
    summary: mask(summary),
  });
  const progress = proc.progress();
  if (progress) record.progress = progress;
  write(`# ${record.state}: exit ${exitCode ?? signal ?? '?'} after ${duration(record.endedAt! - record.startedAt)} — ${record.summary}`);
  // free the lock first: whoever sees the final status may start the next job at once
  if (spec.mutating && spec.lockFile) releaseLock(spec.lockFile, spec.id);
  save();
  closeSync(logFd);
  if (eventsFd !== undefined) closeSync(eventsFd);
  return 0;
}

/** Render the inventory from the outputs; resolves with a problem to report, or undefined. */
async function renderStep(step: InventoryStep['renderInventory'], write: (t: string) => void): Promise<string | undefined> {
  write(`# rendering the Ansible inventory ${step.inventoryFile} from ${step.outputsFile}`);
  try {
    // loaded when needed: its YAML library would slow every runner's start
    const { renderInventoryFromOutputs } = await import('./inventory-refresh.js');
    await renderInventoryFromOutputs(step.outputsFile, step.config, step.inventoryFile);
    return undefined;
  } catch (err) {
    const msg = `inventory not rendered: ${describeError(err).split('\n')[0]}`;
    write(`# ${msg}`);
    return msg;
  }
}

async function runPost(step: CommandStep, spec: JobSpec, env: NodeJS.ProcessEnv, write: (t: string) => void): Promise<string | undefined> {
  write(`$ ${[step.command, ...step.args].join(' ')} > ${step.stdoutFile}`);
  const r = await capture(step.command, step.args, { cwd: spec.cwd, env: { ...env, ...spec.env } });
  if (r.exitCode === 0) {
    // whole or not at all (the health sweep reads this file at any time), and 0600 even if an
    // older copy had another mode
    const tmp = `${step.stdoutFile}.${process.pid}.tmp`;
    writeFileSync(tmp, String(r.stdout), { mode: 0o600 });
    renameSync(tmp, step.stdoutFile);
    return undefined;
  }
  write(`# ${step.command} ${step.args.join(' ')} failed (exit ${r.exitCode}): ${(r.error ?? r.stderr).split('\n').slice(-3).join(' ')}`);
  return `${step.args.join(' ')} failed (exit ${r.exitCode})`;
}

/** ssh ControlPersist masters detach into their own session: ask each one to exit. */
async function closeSshMasters(dir: string | undefined): Promise<void> {
  if (!dir) return;
  let socks: string[];
  try {
    socks = readdirSync(dir).map((n) => join(dir, n));
  } catch {
    return;
  }
  await Promise.all(
    socks.map((s) => capture('ssh', ['-O', 'exit', '-o', `ControlPath=${s}`, 'onedeck-job'], { timeoutMs: 5000 })),
  );
}
