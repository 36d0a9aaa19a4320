// The actions that only move the operator around: quit, help, screens, selection, filter, sort
// (the log-pane keys live in log-actions.ts). Pure state changes on the session's UI store (no
// React, no I/O), so the footer, help and `:` completion come from the same registry as the rest.
import { currentScreen, type Screen, type UiState } from '../store/ui-store.js';
import { popScreen, pushScreen, replaceScreen, resetToRoot } from '../store/screen-stack.js';
import { documentPositions, moveIndex, type Move } from '../store/viewport.js';
import { hookLogId } from '../logs/log-id.js';
import { findJobId } from '../domain/job-progress.js';
import type { ActionContext, ActionDef } from './types.js';
import { flash, logActions, scrollLog } from './log-actions.js';
import { SORT_KEYS, activeLogId, paneJobId, paneOf, visibleHosts, visibleJobs } from './ui-lists.js';
import { SCREENS, screensWhere } from './screens.js';

type Ctx = ActionContext;

/** Go to a screen from anywhere: the root screen resets the stack, another screen of the same kind is replaced, others are pushed. */
function goTo(ctx: Ctx, screen: Screen): void {
  const ui = ctx.ui;
  if (screen.id === 'hosts') return resetToRoot(ui);
  if (currentScreen(ui.getState()).id === screen.id) replaceScreen(ui, screen);
  else pushScreen(ui, screen);
}

/** How many positions the move keys have on this screen: items of a list, scroll positions of a document. */
function positions(ctx: Ctx, s: UiState): number {
  const def = SCREENS[currentScreen(s).id];
  if (def.length) return def.length(ctx.cluster.getState(), s);
  const vp = ctx.viewport;
  return vp?.lines !== undefined ? documentPositions(vp.lines, vp.rows) : 0;
}

function moveSelection(ctx: Ctx, m: Move): void {
  const s = ctx.ui.getState();
  const n = positions(ctx, s);
  ctx.ui.setState({ selected: moveIndex(s.selected, m, n, ctx.viewport?.rows ?? 10) });
}

function move(ctx: Ctx, m: Move): void {
  const s = ctx.ui.getState();
  const log = activeLogId(ctx.cluster.getState(), s);
  if (log) scrollLog(ctx, log, m);
  else moveSelection(ctx, m);
}

/** a counter for the ids of hook-log tails: each :hooklog opens a tail of its own */
let hookSeq = 0;

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

/** change the order of the hosts table; the cursor stays on the same host, wherever it moved */
function followSelection(ctx: Ctx, patch: Partial<UiState>): void {
  const key = selectedHostKey(ctx);
  ctx.ui.setState(patch);
  const at = key ? visibleHosts(ctx.cluster.getState(), ctx.ui.getState()).findIndex((h) => h.key === key) : -1;
  if (at >= 0) ctx.ui.setState({ selected: at });
}

function cycleJob(ctx: Ctx, dir: 1 | -1): void {
  const c = ctx.cluster.getState();
  if (c.jobs.length === 0) return flash(ctx, 'info', 'no jobs yet');
  const cur = c.jobs.findIndex((j) => j.id === paneJobId(c, ctx.ui.getState()));
  const next = c.jobs[(cur + dir + c.jobs.length) % c.jobs.length];
  ctx.ui.setState({ focusedJob: next.id });
}

export function uiActions(): ActionDef[] {
  const moving = screensWhere(() => true);
  const filtering = screensWhere((d) => !!d.filter);
  const lists = screensWhere((d) => !!d.filter && d.scroll === 'list');
  const nav = (id: string, title: string, keys: string[], m: Move): ActionDef => ({
    id, title, keys, scope: moving, mutating: false, run: (ctx) => move(ctx, m),
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
      run: (ctx) => (currentScreen(ctx.ui.getState()).id === 'help' ? void popScreen(ctx.ui) : pushScreen(ctx.ui, { id: 'help' })),
    },
    { id: 'command', title: 'command', short: 'cmd', keys: [':'], scope: 'global', mutating: false, footer: true, run: (ctx) => ctx.ui.setState({ prompt: { kind: 'command', text: '' } }) },
    {
      id: 'filter', title: 'filter the list (in a log: search)', short: 'filter', keys: ['/'], scope: filtering, mutating: false, footer: true,
      run: (ctx) => {
        const s = ctx.ui.getState();
        const log = activeLogId(ctx.cluster.getState(), s);
        if (log) ctx.ui.setState({ prompt: { kind: 'search', text: paneOf(s, log).search ?? '' } });
        else ctx.ui.setState({ prompt: { kind: 'filter', text: s.filter } });
      },
    },
    {
      id: 'invert', title: 'invert filter', keys: ['!'], scope: lists, mutating: false,
      run: (ctx) => ctx.ui.setState({ filterInverted: !ctx.ui.getState().filterInverted, selected: 0 }),
    },
    {
      id: 'back', title: 'back', keys: ['escape'], scope: 'global', mutating: false,
      run: (ctx) => {
        if (popScreen(ctx.ui)) return;
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
          if (key) pushScreen(ctx.ui, { id: 'host', arg: key });
          return;
        }
        const job = visibleJobs(c, s)[s.selected];
        if (!job) return;
        ctx.ui.setState({ focusedJob: job.id });
        pushScreen(ctx.ui, { id: 'logs', arg: job.id });
      },
    },
    {
      id: 'sort', title: 'sort by next column', keys: ['s'], scope: ['hosts'], mutating: false,
      run: (ctx) => {
        const s = ctx.ui.getState();
        followSelection(ctx, { sort: SORT_KEYS[(SORT_KEYS.indexOf(s.sort) + 1) % SORT_KEYS.length] });
      },
    },
    { id: 'sort-reverse', title: 'reverse sort', keys: ['S'], scope: ['hosts'], mutating: false, run: (ctx) => followSelection(ctx, { sortDesc: !ctx.ui.getState().sortDesc }) },
    { id: 'hosts', title: 'hosts table', keys: [], scope: 'global', mutating: false, run: (ctx) => goTo(ctx, { id: 'hosts' }) },
    {
      id: 'host', title: 'host detail (:host <name>)', keys: [], scope: 'global', mutating: false, complete: 'hosts',
      run: (ctx, args) => goTo(ctx, { id: 'host', arg: requireHost(ctx, args[0]) }),
    },
    {
      // --all: the other clusters' jobs on this machine too, marked and read-only (this session acts on its own cluster's only)
      id: 'jobs', title: 'command log (:jobs [--all])', keys: [], scope: 'global', mutating: false,
      run: (ctx, args) => goTo(ctx, args.includes('--all') || args.includes('all') ? { id: 'jobs', arg: 'all' } : { id: 'jobs' }),
    },
    {
      id: 'logs', title: 'job logs (:logs [job])', keys: [], scope: 'global', mutating: false, complete: 'jobs',
      run: (ctx, args) => {
        if (args[0]) {
          const id = findJobId(ctx.cluster.getState().jobs.map((j) => j.id), args[0]);
          if (!id) throw new Error(`no job ${args[0]}`);
          ctx.ui.setState({ focusedJob: id });
        }
        goTo(ctx, { id: 'logs' });
      },
    },
    {
      id: 'hooklog', title: 'hook logs of a host (:hooklog <name>)', keys: [], scope: 'global', mutating: false, complete: 'hosts',
      disabledReason: (ctx) => (ctx.services.logs?.supports('hooklog') ? undefined : 'hook logs are not available in this build'),
      // the tail starts when the screen arrives on the stack and stops when it leaves (navigation.ts)
      run: (ctx, args) => {
        const key = requireHost(ctx, args[0]);
        goTo(ctx, { id: 'hooklog', arg: key, logId: hookLogId(key, ++hookSeq) });
      },
    },
    {
      id: 'review', title: 'plan review (:review [job])', short: 'review', complete: 'jobs', keys: ['o'], scope: ['jobs', 'hosts', 'host', 'logs', 'hooklog'], mutating: false, footer: true,
      disabledReason: (ctx) => (ctx.cluster.getState().jobs.some((j) => j.kind === 'plan') ? undefined : `no plan yet: press ${ctx.keyOf('plan')} first`),
      run: (ctx, args) => {
        const c = ctx.cluster.getState();
        const s = ctx.ui.getState();
        const selected = currentScreen(s).id === 'jobs' ? visibleJobs(c, s)[s.selected] : undefined;
        const ref = args[0] ? findJobId(c.jobs.map((j) => j.id), args[0]) : undefined;
        const job = args[0] ? c.jobs.find((j) => j.id === ref) : selected?.plan ? selected : c.jobs.find((j) => j.plan);
        if (!job) throw new Error(args[0] ? `no job ${args[0]}` : `no plan yet: press ${ctx.keyOf('plan')} to run one first`);
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

