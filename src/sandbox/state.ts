// The sandbox state store: one JSON file `<dir>/state.json`, written atomically (temp + rename).
// All changes go through the daemon process that owns the store; readers call get().
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { advanceLifecycle } from './lifecycle.js';
import type { SandboxState } from './state-types.js';

export type { SandboxState } from './state-types.js';

export const stateFile = (dir: string) => join(dir, 'state.json');

export function writeFileAtomic(file: string, data: string, mode = 0o600): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data, { mode });
    renameSync(tmp, file);
  } catch (err) {
    // a full disk leaves no half-written temp file behind
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function readStateFile(dir: string): SandboxState | null {
  const f = stateFile(dir);
  if (!existsSync(f)) return null;
  return JSON.parse(readFileSync(f, 'utf8')) as SandboxState;
}

type Listener = (s: SandboxState) => void;

export class SandboxStateStore {
  private listeners = new Set<Listener>();
  private state: SandboxState;

  constructor(
    readonly dir: string,
    initial: SandboxState,
    private readonly clock: () => number = Date.now,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.state = initial;
    this.save();
  }

  /** The saved state, or a fresh one when there is none or it is from another format. */
  static open(dir: string, fallback: () => SandboxState, clock?: () => number): SandboxStateStore {
    let saved: SandboxState | null = null;
    try {
      saved = readStateFile(dir);
    } catch {
      saved = null;
    }
    const usable = saved && saved.version === 1 && Array.isArray(saved.simHosts) && saved.one && Array.isArray(saved.servers);
    return new SandboxStateStore(dir, usable ? saved! : fallback(), clock);
  }

  now(): number {
    return this.clock();
  }

  /** The current state, with time-driven transitions (server delivery, FIP moves) applied. */
  get(): SandboxState {
    if (advanceLifecycle(this.state, this.clock())) this.commit();
    return this.state;
  }

  /** Change the state; saved and announced afterwards. */
  update<T>(fn: (s: SandboxState) => T): T {
    advanceLifecycle(this.state, this.clock());
    const r = fn(this.state);
    this.commit();
    return r;
  }

  replace(next: SandboxState): void {
    this.state = next;
    this.commit();
  }

  onChange(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private commit(): void {
    this.save();
    for (const l of this.listeners) l(this.state);
  }

  private save(): void {
    writeFileAtomic(stateFile(this.dir), JSON.stringify(this.state, null, 1));
  }
}
