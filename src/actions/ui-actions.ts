// The actions that only move the operator around: quit, help, screens, selection, filter, sort
// (the log-pane keys live in log-actions.ts). Pure state changes on the session's UI store (no
// React, no I/O), so the footer, help and `:` completion come from the same registry as the rest.
import { currentScreen, type Screen, type UiState, type UiStore } from '../store/ui-store.js';
import type { ActionContext, ActionDef } from './types.js';
import { flash, logActions, scrollLog, type Move } from './log-actions.js';
import { SORT_KEYS, activeLogId, paneJobId, paneOf, visibleHosts, visibleJobs } from './ui-lists.js';

type Ctx = ActionContext;

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

function move(ctx: Ctx, m: Move): void {
  const s = ctx.ui.getState();
  const log = activeLogId(ctx.cluster.getState(), s);
  if (log) scrollLog(ctx, log, m);
  else moveSelection(ctx, m);
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

const LISTS: UiState['stack'][number]['id'][] = ['hosts', 'jobs', 'host', 'help', 'plan', 'logs', 'hooklog'];

export function uiActions(): ActionDef[] {
  const nav = (id: string, title: string, keys: string[], m: Move): ActionDef => ({
    id, title, keys, scope: LISTS, mutating: false, run: (ctx) => move(ctx, m),
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
    ...logActions(),
  ];
}

