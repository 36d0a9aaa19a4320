// The cluster model: what is true about the cloud, shared by every screen (and, later, by every
// client of `onedeck serve`). Small serialisable data only; log lines live in ring buffers.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ClusterDrift, HostRow } from '../domain/host.js';
import type { JobRecord } from '../domain/job.js';

export interface ClusterInfo {
  name: string;
  zone: string;
  region: string;
  opennebulaVersion: string;
  sandbox: boolean;
  configFile: string | null;
  refreshSeconds: number;
}

export interface Notice {
  id: number;
  level: 'info' | 'warn' | 'error';
  text: string;
  at: number;
}

export interface ClusterState {
  info: ClusterInfo;
  hosts: HostRow[];
  drift: ClusterDrift[];
  /** epoch ms of the last completed sweep, and whether one is in flight */
  refreshedAt?: number;
  refreshing: boolean;
  /** errors of a whole source for the last sweep ("scaleway: bad credentials (401)") */
  sourceErrors: Record<string, string>;
  jobs: JobRecord[];
  /** per job id: number of lines appended so far (the pane re-renders when it moves) */
  logVersions: Record<string, number>;
  notices: Notice[];
}

export type ClusterStore = StoreApi<ClusterState>;

export function createClusterStore(info: ClusterInfo): ClusterStore {
  return createStore<ClusterState>()(() => ({
    info,
    hosts: [],
    drift: [],
    refreshing: false,
    sourceErrors: {},
    jobs: [],
    logVersions: {},
    notices: [],
  }));
}

let noticeSeq = 0;
/** Record a message for the operator (shown in the status line, kept in a short history). */
export function notify(store: ClusterStore, level: Notice['level'], text: string, now = Date.now()): void {
  const notices = [...store.getState().notices, { id: ++noticeSeq, level, text, at: now }].slice(-50);
  store.setState({ notices });
}
