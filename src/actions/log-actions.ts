// The log-pane keys: follow, scroll, wrap, timestamps, search with n/N, save. Pure state changes
// on the session's UI store; lines are read through the log service (ring buffers, no I/O).
import type { UiState } from '../store/ui-store.js';
import type { Move } from '../store/viewport.js';
import type { ActionContext, ActionDef } from './types.js';
import { activeLogId, paneOf, searchLog } from './ui-lists.js';
import { jobOfLog } from '../logs/log-id.js';
import { moveLog, type LogLayout } from '../logs/log-window.js';
import { screensWhere } from './screens.js';

type Ctx = ActionContext;
export type { Move };

const LOG_SCREENS = screensWhere((d) => !!d.logKeys);

export function flash(ctx: Ctx, level: 'info' | 'warn' | 'error', text: string): void {
  ctx.ui.setState({ flash: { level, text, at: Date.now() } });
}

function setPane(ctx: Ctx, id: string, patch: Partial<UiState['panes'][string]>): void {
  const s = ctx.ui.getState();
  ctx.ui.setState({ panes: { ...s.panes, [id]: { ...paneOf(s, id), ...patch } } });
}

/** the pane's layout: the viewport the key router passed, the pane's wrap and timestamps */
function layout(ctx: Ctx, id: string): LogLayout {
  const pane = paneOf(ctx.ui.getState(), id);
  const vp = ctx.viewport;
  return { rows: Math.max(1, vp?.rows ?? 10), width: Math.max(1, vp?.width ?? 80), wrap: pane.wrap, timestamps: pane.timestamps };
}

const EMPTY = { first: () => 0, total: () => 0, get: () => undefined };

/** Scroll a log: moving up pauses the follow, reaching the bottom resumes it (log-window.ts computes where). */
export function scrollLog(ctx: Ctx, id: string, move: Move): void {
  const pane = paneOf(ctx.ui.getState(), id);
  const buf = ctx.services.logs?.buffer(id) ?? EMPTY;
  const total = buf.total();
  const next = moveLog(buf, pane, layout(ctx, id), move);
  if (next.follow) return setPane(ctx, id, { follow: true, top: next.top, seenTotal: total });
  setPane(ctx, id, { follow: false, top: next.top, seenTotal: pane.follow ? total : pane.seenTotal });
}

/** Set a log pane's search and jump to the newest match. */
export function applySearch(ctx: Ctx, id: string, query: string): void {
  setPane(ctx, id, { search: query || undefined, matchIndex: undefined });
  if (query) jumpMatch(ctx, id, -1, true);
}

function jumpMatch(ctx: Ctx, id: string, dir: 1 | -1, fromEnd = false): void {
  const s = ctx.ui.getState();
  const pane = paneOf(s, id);
  const buf = ctx.services.logs?.buffer(id);
  if (!pane.search) return flash(ctx, 'info', `no search yet: press ${ctx.keyOf('filter')} to search this log`);
  if (!buf) return flash(ctx, 'warn', 'this log is not loaded');
  const matches = searchLog(buf, pane.search);
  if (matches.length === 0) return flash(ctx, 'warn', `no line matches "${pane.search}"`);
  const cur = fromEnd ? Number.POSITIVE_INFINITY : pane.matchIndex ?? (dir > 0 ? -1 : Number.POSITIVE_INFINITY);
  const next = dir > 0 ? matches.find((m) => m > cur) : [...matches].reverse().find((m) => m < cur);
  const found = next ?? (dir > 0 ? matches[0] : matches[matches.length - 1]);
  // going past the last match (or before the first) starts over, and says so
  if (next === undefined && pane.matchIndex !== undefined && !fromEnd) {
    flash(ctx, 'info', dir > 0 ? `search wrapped to the first match of "${pane.search}"` : `search wrapped to the last match of "${pane.search}"`);
  }
  const rows = layout(ctx, id).rows;
  const top = Math.max(buf.first(), found - Math.floor(rows / 2));
  setPane(ctx, id, { matchIndex: found, follow: false, top, seenTotal: pane.follow ? buf.total() : pane.seenTotal });
}

function needLog(ctx: Ctx): string | undefined {
  return activeLogId(ctx.cluster.getState(), ctx.ui.getState()) ? undefined : `no log pane is focused (press ${ctx.keyOf('focus')} on the hosts screen)`;
}

function withLog(fn: (ctx: Ctx, id: string) => void): (ctx: Ctx) => void {
  return (ctx) => {
    const id = activeLogId(ctx.cluster.getState(), ctx.ui.getState());
    if (id) fn(ctx, id);
  };
}

function withLogArgs(fn: (ctx: Ctx, id: string, args: string[]) => void): (ctx: Ctx, args: string[]) => void {
  return (ctx, args) => {
    const id = activeLogId(ctx.cluster.getState(), ctx.ui.getState());
    if (id) fn(ctx, id, args);
  };
}

export function logActions(): ActionDef[] {
  const logKey = (id: string, title: string, keys: string[], fn: (ctx: Ctx, log: string) => void, footer = false, short?: string): ActionDef => ({
    id, title, short, keys, scope: LOG_SCREENS, mutating: false, footer, disabledReason: needLog, run: withLog(fn),
  });
  return [
    logKey('follow', 'follow on/off', ['f'], (ctx, id) => {
      const p = paneOf(ctx.ui.getState(), id);
      if (p.follow) scrollLog(ctx, id, 0);
      else setPane(ctx, id, { follow: true });
    }, true, 'follow'),
    logKey('wrap', 'wrap lines', ['w'], (ctx, id) => setPane(ctx, id, { wrap: !paneOf(ctx.ui.getState(), id).wrap }), true, 'wrap'),
    logKey('timestamps', 'timestamps', ['t'], (ctx, id) => setPane(ctx, id, { timestamps: !paneOf(ctx.ui.getState(), id).timestamps }), true, 'time'),
    {
      id: 'search', title: 'search the log (/ or :search <text>)', keys: [], scope: LOG_SCREENS, mutating: false, disabledReason: needLog,
      run: withLogArgs((ctx, id, args) => applySearch(ctx, id, args.join(' '))),
    },
    logKey('search-next', 'next match', ['n'], (ctx, id) => jumpMatch(ctx, id, 1)),
    logKey('search-prev', 'previous match', ['N'], (ctx, id) => jumpMatch(ctx, id, -1)),
    {
      id: 'save-log', title: 'save log', short: 'save', keys: ['ctrl+s'], scope: LOG_SCREENS, mutating: false, footer: true,
      disabledReason: (ctx) => {
        const id = activeLogId(ctx.cluster.getState(), ctx.ui.getState());
        if (!id) return needLog(ctx);
        if (!jobOfLog(id)) return 'only job logs can be saved (hook logs stay on the host)';
        if (ctx.session.readonly) return 'read-only session: it writes no file';
        return ctx.services.jobs ? undefined : 'jobs are not available in this build';
      },
      run: async (ctx) => {
        const id = activeLogId(ctx.cluster.getState(), ctx.ui.getState())!;
        const path = await ctx.services.jobs!.saveLog(ctx.session, jobOfLog(id)!);
        flash(ctx, 'info', `log saved to ${path}`);
      },
    },
  ];
}
