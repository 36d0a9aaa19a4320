// The actions that only move the operator around: quit, help, screens, selection, filter, sort,
// and the log-pane keys. Pure state changes on the session's UI store (no React, no I/O), so the
// footer, help and `:` completion are generated from the same registry as the cluster actions.
import { currentScreen, type Screen, type UiState, type UiStore } from '../store/ui-store.js';
import type { ActionContext, ActionDef } from './types.js';
import {
  SORT_KEYS, activeLogId, jobLogId, paneJobId, paneOf, searchLog, visibleHosts, visibleJobs,
} from './ui-lists.js';

type Ctx = ActionContext;

function flash(ctx: Ctx, level: 'info' | 'warn' | 'error', text: string): void {
  ctx.ui.setState({ flash: { level, text, at: Date.now() } });
}

/** Push a screen, saving the current screen's selection and filter so `escape` restores them. */
export function openScreen(ui: UiStore, screen: Screen): void {
  const s = ui.getState();
  const stack = s.stack.slice();
  stack[stack.length - 1] = { ...stack[stack.length - 1], selected: s.selected, filter: s.filter, filterInverted: s.filterInverted };
  ui.setState({ stack: [...stack, screen], selected: 0, filter: '', filterInverted: false, prompt: undefined });
}

/** Pop the top screen; returns false on the root screen. */
export function closeScreen(ui: UiStore): boolean {
  const s = ui.getState();
  if (s.stack.length <= 1) return false;
  const stack = s.stack.slice(0, -1);
  const back = stack[stack.length - 1];
  ui.setState({ stack, selected: back.selected ?? 0, filter: back.filter ?? '', filterInverted: back.filterInverted ?? false });
  return true;
}

/** Stop the hook-log tails of the screens that are about to go away. */
function closeTails(ctx: Ctx, screens: Screen[]): void {
  for (const sc of screens) if (sc.id === 'hooklog' && sc.logId) ctx.services.hookLog?.close?.(sc.logId);
}

/** Go to a screen from anywhere: the root screen resets the stack, others are pushed (replacing the same kind). */
function goTo(ctx: Ctx, screen: Screen): void {
  const ui = ctx.ui;
  const s = ui.getState();
  if (screen.id === 'hosts') closeTails(ctx, s.stack.slice(1));
  else if (currentScreen(s).id === screen.id) closeTails(ctx, [currentScreen(s)]);
  if (screen.id === 'hosts') {
    const root = s.stack[0];
    ui.setState({ stack: [root], selected: root.selected ?? s.selected, filter: root.filter ?? '', filterInverted: root.filterInverted ?? false });
    return;
  }
  if (currentScreen(s).id === screen.id) closeScreen(ui);
  openScreen(ui, screen);
}

function listLength(ctx: Ctx, s: UiState): number {
  const c = ctx.cluster.getState();
  switch (currentScreen(s).id) {
    case 'hosts':
      return visibleHosts(c, s).length;
    case 'jobs':
      return visibleJobs(c, s).length;
    default:
      // help, host detail and plan review scroll a document; the view publishes its length
      return Math.max(0, (s.view?.helpLines ?? 0) - (s.view?.listRows ?? 0) + 1);
  }
}

type Move = number | 'top' | 'bottom' | 'pageUp' | 'pageDown';

function moveSelection(ctx: Ctx, move: Move): void {
  const s = ctx.ui.getState();
  const n = listLength(ctx, s);
  const page = Math.max(1, (s.view?.listRows ?? 10) - 1);
  let next = s.selected;
  if (move === 'top') next = 0;
  else if (move === 'bottom') next = n - 1;
  else if (move === 'pageUp') next -= page;
  else if (move === 'pageDown') next += page;
  else next += move;
  ctx.ui.setState({ selected: Math.max(0, Math.min(next, n - 1)) });
}

function logBounds(ctx: Ctx, id: string): { total: number; first: number } {
  const logs = ctx.services.logs;
  if (logs?.has(id)) {
    const b = logs.buffer(id);
    return { total: b.total(), first: b.first() };
  }
  return { total: ctx.cluster.getState().logVersions[id] ?? 0, first: 0 };
}

function setPane(ctx: Ctx, id: string, patch: Partial<UiState['panes'][string]>): void {
  const s = ctx.ui.getState();
  ctx.ui.setState({ panes: { ...s.panes, [id]: { ...paneOf(s, id), ...patch } } });
}

/** Scroll a log: moving up pauses the follow, reaching the bottom resumes it. */
function scrollLog(ctx: Ctx, id: string, move: Move): void {
  const s = ctx.ui.getState();
  const pane = paneOf(s, id);
  const { total, first } = logBounds(ctx, id);
  const rows = Math.max(1, s.view?.logRows ?? 10);
  const maxTop = Math.max(first, total - rows);
  const cur = pane.follow ? maxTop : Math.max(first, Math.min(pane.top, maxTop));
  let top = cur;
  if (move === 'top') top = first;
  else if (move === 'bottom') top = maxTop;
  else if (move === 'pageUp') top -= rows - 1;
  else if (move === 'pageDown') top += rows - 1;
  else top += move;
  if (top >= maxTop && move !== 'top' && (move === 'bottom' || move === 'pageDown' || (typeof move === 'number' && move > 0))) {
    setPane(ctx, id, { follow: true, top: maxTop, seenTotal: total });
    return;
  }
  setPane(ctx, id, { follow: false, top: Math.max(first, Math.min(top, maxTop)), seenTotal: pane.follow ? total : pane.seenTotal });
}

function move(ctx: Ctx, m: Move): void {
  const s = ctx.ui.getState();
  const log = activeLogId(ctx.cluster.getState(), s);
  if (log) scrollLog(ctx, log, m);
  else moveSelection(ctx, m);
}

/** Set a log pane's search and jump to the newest match. */
export function applySearch(ctx: Ctx, id: string, query: string): void {
  setPane(ctx, id, { search: query || undefined, matchIndex: undefined });
  if (query) jumpMatch(ctx, id, -1, true);
}

function jumpMatch(ctx: Ctx, id: string, dir: 1 | -1, fromEnd = false): void {
  const s = ctx.ui.getState();
  const pane = paneOf(s, id);
  const buf = ctx.services.logs?.has(id) ? ctx.services.logs.buffer(id) : undefined;
  if (!pane.search) return flash(ctx, 'info', 'no search yet: press / to search this log');
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
  const rows = Math.max(1, s.view?.logRows ?? 10);
  const top = Math.max(buf.first(), found - Math.floor(rows / 2));
  setPane(ctx, id, { matchIndex: found, follow: false, top, seenTotal: pane.follow ? buf.total() : pane.seenTotal });
}

function needLog(ctx: Ctx): string | undefined {
  return activeLogId(ctx.cluster.getState(), ctx.ui.getState()) ? undefined : 'no log pane is focused (press tab on the hosts screen)';
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

function selectedHostKey(ctx: Ctx): string | undefined {
  const s = ctx.ui.getState();
  return visibleHosts(ctx.cluster.getState(), s)[s.selected]?.key;
}

function requireHost(ctx: Ctx, name: string | undefined): string {
  const key = name ?? selectedHostKey(ctx);
  if (!key) throw new Error('no host selected');
  if (!ctx.cluster.getState().hosts.some((h) => h.key === key)) throw new Error(`no host named "${key}"`);
  return key;
}

function cycleJob(ctx: Ctx, dir: 1 | -1): void {
  const c = ctx.cluster.getState();
  if (c.jobs.length === 0) return flash(ctx, 'info', 'no jobs yet');
  const cur = c.jobs.findIndex((j) => j.id === paneJobId(c, ctx.ui.getState()));
  const next = c.jobs[(cur + dir + c.jobs.length) % c.jobs.length];
  ctx.ui.setState({ focusedJob: next.id });
}

const LOG_SCREENS: UiState['stack'][number]['id'][] = ['logs', 'hooklog', 'hosts'];
const LISTS: UiState['stack'][number]['id'][] = ['hosts', 'jobs', 'host', 'help', 'plan', 'logs', 'hooklog'];

export function uiActions(): ActionDef[] {
  const nav = (id: string, title: string, keys: string[], m: Move): ActionDef => ({
    id, title, keys, scope: LISTS, mutating: false, run: (ctx) => move(ctx, m),
  });
  const logKey = (id: string, title: string, keys: string[], fn: (ctx: Ctx, log: string) => void, footer = false, short?: string): ActionDef => ({
    id, title, short, keys, scope: LOG_SCREENS, mutating: false, footer, disabledReason: needLog, run: withLog(fn),
  });
  return [
    {
      id: 'quit', title: 'quit', keys: ['q', 'ctrl+c'], aliases: ['q', 'quit'], scope: 'global', mutating: false, footer: true,
      run: (ctx) => {
        ctx.ui.setState({ quitting: true });
        ctx.services.quit?.(ctx.session);
      },
    },
    {
      id: 'help', title: 'help', keys: ['?'], scope: 'global', mutating: false, footer: true,
      run: (ctx) => (currentScreen(ctx.ui.getState()).id === 'help' ? void closeScreen(ctx.ui) : openScreen(ctx.ui, { id: 'help' })),
    },
    { id: 'command', title: 'command', short: 'cmd', keys: [':'], scope: 'global', mutating: false, footer: true, run: (ctx) => ctx.ui.setState({ prompt: { kind: 'command', text: '' } }) },
    {
      id: 'filter', title: 'filter', keys: ['/'], scope: ['hosts', 'jobs', 'logs', 'hooklog'], mutating: false, footer: true,
      run: (ctx) => {
        const s = ctx.ui.getState();
        const log = activeLogId(ctx.cluster.getState(), s);
        if (log) ctx.ui.setState({ prompt: { kind: 'search', text: paneOf(s, log).search ?? '' } });
        else ctx.ui.setState({ prompt: { kind: 'filter', text: s.filter } });
      },
    },
    {
      id: 'invert', title: 'invert filter', keys: ['!'], scope: ['hosts', 'jobs'], mutating: false,
      run: (ctx) => ctx.ui.setState({ filterInverted: !ctx.ui.getState().filterInverted, selected: 0 }),
    },
    {
      id: 'back', title: 'back', keys: ['escape'], scope: 'global', mutating: false,
      run: (ctx) => {
        const top = currentScreen(ctx.ui.getState());
        if (closeScreen(ctx.ui)) return closeTails(ctx, [top]);
        const s = ctx.ui.getState();
        if (s.focus === 'log') ctx.ui.setState({ focus: 'table' });
        else if (s.filter || s.filterInverted) ctx.ui.setState({ filter: '', filterInverted: false, selected: 0 });
      },
    },
    nav('up', 'up', ['k', 'up'], -1),
    nav('down', 'down', ['j', 'down'], 1),
    nav('page-up', 'page up', ['pageUp', 'ctrl+u'], 'pageUp'),
    nav('page-down', 'page down', ['pageDown', 'ctrl+d'], 'pageDown'),
    nav('top', 'top', ['g', 'home'], 'top'),
    nav('bottom', 'bottom / resume follow', ['G', 'end'], 'bottom'),
    {
      id: 'open', title: 'details', keys: ['enter'], scope: ['hosts', 'jobs'], mutating: false, footer: true,
      run: (ctx) => {
        const s = ctx.ui.getState();
        const c = ctx.cluster.getState();
        const screen = currentScreen(s).id;
        if (screen === 'hosts' && s.focus === 'log') return goTo(ctx, { id: 'logs' });
        if (screen === 'hosts') {
          const key = selectedHostKey(ctx);
          if (key) openScreen(ctx.ui, { id: 'host', arg: key });
          return;
        }
        const job = visibleJobs(c, s)[s.selected];
        if (!job) return;
        ctx.ui.setState({ focusedJob: job.id });
        openScreen(ctx.ui, { id: 'logs', arg: job.id });
      },
    },
    {
      id: 'sort', title: 'sort by next column', keys: ['s'], scope: ['hosts'], mutating: false,
      run: (ctx) => {
        const s = ctx.ui.getState();
        ctx.ui.setState({ sort: SORT_KEYS[(SORT_KEYS.indexOf(s.sort) + 1) % SORT_KEYS.length] });
      },
    },
    { id: 'sort-reverse', title: 'reverse sort', keys: ['S'], scope: ['hosts'], mutating: false, run: (ctx) => ctx.ui.setState({ sortDesc: !ctx.ui.getState().sortDesc }) },
    { id: 'hosts', title: 'hosts table', keys: [], scope: 'global', mutating: false, run: (ctx) => goTo(ctx, { id: 'hosts' }) },
    {
      id: 'host', title: 'host detail (:host <name>)', keys: [], scope: 'global', mutating: false,
      run: (ctx, args) => goTo(ctx, { id: 'host', arg: requireHost(ctx, args[0]) }),
    },
    { id: 'jobs', title: 'command log', keys: [], scope: 'global', mutating: false, run: (ctx) => goTo(ctx, { id: 'jobs' }) },
    {
      id: 'logs', title: 'job logs (:logs [job])', keys: [], scope: 'global', mutating: false,
      run: (ctx, args) => {
        if (args[0]) {
          if (!ctx.cluster.getState().jobs.some((j) => j.id === args[0])) throw new Error(`no job ${args[0]}`);
          ctx.ui.setState({ focusedJob: args[0] });
        }
        goTo(ctx, { id: 'logs' });
      },
    },
    {
      id: 'hooklog', title: 'hook logs of a host (:hooklog <name>)', keys: [], scope: 'global', mutating: false,
      disabledReason: (ctx) => (ctx.services.hookLog ? undefined : 'hook logs are not available in this build'),
      run: async (ctx, args) => {
        const key = requireHost(ctx, args[0]);
        const logId = await ctx.services.hookLog!.open(key);
        goTo(ctx, { id: 'hooklog', arg: key, logId });
      },
    },
    {
      id: 'review', title: 'plan review (:review [job])', short: 'review', keys: ['o'], scope: ['jobs', 'hosts'], mutating: false, footer: true,
      disabledReason: (ctx) => (ctx.cluster.getState().jobs.some((j) => j.kind === 'plan') ? undefined : 'no plan yet: press p first'),
      run: (ctx, args) => {
        const c = ctx.cluster.getState();
        const s = ctx.ui.getState();
        const selected = currentScreen(s).id === 'jobs' ? visibleJobs(c, s)[s.selected] : undefined;
        const job = args[0] ? c.jobs.find((j) => j.id === args[0]) : selected?.plan ? selected : c.jobs.find((j) => j.plan);
        if (!job) throw new Error(args[0] ? `no job ${args[0]}` : 'no plan yet: run a plan first');
        goTo(ctx, { id: 'plan', arg: job.id });
      },
    },
    {
      id: 'focus', title: 'switch pane', short: 'pane', keys: ['tab'], scope: ['hosts', 'logs'], mutating: false, footer: true,
      run: (ctx) => {
        const s = ctx.ui.getState();
        if (currentScreen(s).id === 'logs') return cycleJob(ctx, 1);
        if (!paneJobId(ctx.cluster.getState(), s)) return flash(ctx, 'info', 'no job log to focus yet');
        ctx.ui.setState({ focus: s.focus === 'log' ? 'table' : 'log' });
      },
    },
    { id: 'next-log', title: 'next log', short: 'next', keys: [']'], scope: ['logs'], mutating: false, footer: true, run: (ctx) => cycleJob(ctx, 1) },
    { id: 'prev-log', title: 'previous log', keys: ['['], scope: ['logs'], mutating: false, run: (ctx) => cycleJob(ctx, -1) },
    logKey('follow', 'follow on/off', ['f'], (ctx, id) => {
      const p = paneOf(ctx.ui.getState(), id);
      if (p.follow) scrollLog(ctx, id, 0);
      else setPane(ctx, id, { follow: true });
    }, true, 'follow'),
    logKey('wrap', 'wrap lines', ['w'], (ctx, id) => setPane(ctx, id, { wrap: !paneOf(ctx.ui.getState(), id).wrap }), true, 'wrap'),
    logKey('timestamps', 'timestamps', ['t'], (ctx, id) => setPane(ctx, id, { timestamps: !paneOf(ctx.ui.getState(), id).timestamps }), true, 'time'),
    {
      id: 'search', title: 'search the log (:search <text>)', keys: [], scope: LOG_SCREENS, mutating: false, disabledReason: needLog,
      run: withLogArgs((ctx, id, args) => applySearch(ctx, id, args.join(' '))),
    },
    logKey('search-next', 'next match', ['n'], (ctx, id) => jumpMatch(ctx, id, 1)),
    logKey('search-prev', 'previous match', ['N'], (ctx, id) => jumpMatch(ctx, id, -1)),
    {
      id: 'save-log', title: 'save log', short: 'save', keys: ['ctrl+s'], scope: LOG_SCREENS, mutating: false, footer: true,
      disabledReason: (ctx) => {
        const id = activeLogId(ctx.cluster.getState(), ctx.ui.getState());
        if (!id) return needLog(ctx);
        if (!id.startsWith('job:')) return 'only job logs can be saved (hook logs stay on the host)';
        return ctx.services.jobs ? undefined : 'jobs are not available in this build';
      },
      run: async (ctx) => {
        const id = activeLogId(ctx.cluster.getState(), ctx.ui.getState())!;
        const path = await ctx.services.jobs!.saveLog(id.slice('job:'.length));
        flash(ctx, 'info', `log saved to ${path}`);
      },
    },
  ];
}

export { jobLogId };
