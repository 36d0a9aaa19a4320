// Publishes the operations on this machine into the cluster store (`operations`), from their
// journals under <state dir>/operations/, the way the job watcher publishes the jobs: a poll
// (4 times a second while one runs, else once a second) that re-reads only the journals that
// grew, and a store write only when what it publishes changed. It only reads: an operation
// started by another onedeck, or before a restart, shows up and is followed.
import { existsSync, statSync } from 'node:fs';
import { journalFile, operationDir, operationIds } from './journal.js';
import { readSummary } from './engine.js';
import type { OperationSummary } from './types.js';
import { notify, type ClusterStore, type OperationBrief } from '../store/cluster-store.js';
import type { Activity } from '../idle.js';
import { busyPoll } from '../jobs/busy-poll.js';

const LOG_LINES = 50;

export function briefOf(s: OperationSummary): OperationBrief {
  return {
    id: s.id,
    kind: s.spec.kind,
    title: s.spec.title,
    hosts: s.spec.hosts,
    state: s.state,
    user: s.spec.operator.user,
    ...(s.spec.operator.from ? { from: s.spec.operator.from } : {}),
    createdAt: s.createdAt,
    ...(s.startedAt !== undefined ? { startedAt: s.startedAt } : {}),
    ...(s.endedAt !== undefined ? { endedAt: s.endedAt } : {}),
    ...(s.step ? { step: s.step } : {}),
    ...(s.message !== undefined ? { message: s.message } : {}),
    details: s.spec.details ?? [],
    steps: s.steps.map((x) => ({
      id: x.id,
      title: x.title,
      state: x.state,
      attempts: x.attempts,
      ...(x.startedAt !== undefined ? { startedAt: x.startedAt } : {}),
      ...(x.endedAt !== undefined ? { endedAt: x.endedAt } : {}),
      jobIds: x.jobIds,
      ...(x.message !== undefined ? { message: x.message } : {}),
      log: x.log.slice(-LOG_LINES),
    })),
  };
}

export interface OperationWatcherOptions {
  stateDir: string;
  cluster: ClusterStore;
  pollMs?: number;
  activity?: Activity;
}

export class OperationWatcher {
  private stopPoll: (() => void) | undefined;
  /** per operation: the journal size it was read at, and what it said */
  private readonly cache = new Map<string, { size: number; brief: OperationBrief }>();
  private readonly seenRunning = new Set<string>();

  constructor(private readonly o: OperationWatcherOptions) {}

  start(): void {
    this.refresh();
    this.stopPoll = busyPoll({
      tick: () => this.refresh(),
      busy: () => this.o.cluster.getState().operations.some((x) => x.state === 'running'),
      idleMs: this.o.pollMs ?? 1000,
    });
  }

  stop(): void {
    this.stopPoll?.();
    this.stopPoll = undefined;
  }

  refresh(): void {
    const ids = operationIds(this.o.stateDir);
    const out: OperationBrief[] = [];
    for (const id of ids) {
      const dir = operationDir(this.o.stateDir, id);
      const file = journalFile(dir);
      const size = existsSync(file) ? statSync(file).size : 0;
      const hit = this.cache.get(id);
      // a running operation is read again even when its journal did not grow: its runner may have died
      if (hit && hit.size === size && hit.brief.state !== 'running') {
        out.push(hit.brief);
        continue;
      }
      const s = readSummary(dir);
      if (!s) continue;
      const brief = briefOf(s);
      this.cache.set(id, { size, brief });
      out.push(brief);
    }
    const cur = this.o.cluster.getState().operations;
    if (JSON.stringify(cur) !== JSON.stringify(out)) this.o.cluster.setState({ operations: out });
    for (const b of out) {
      if (b.state === 'running') this.seenRunning.add(b.id);
      else if (this.seenRunning.delete(b.id)) {
        notify(this.o.cluster, b.state === 'done' ? 'info' : 'error', `operation ${b.title} ${b.state}${b.message ? `: ${b.message.split('\n')[0]}` : ''}`);
      }
    }
  }
}

