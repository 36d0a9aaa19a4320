// Entry of the views: put one session's terminal in full-screen mode, render the app into it,
// and always give the terminal back as it was.
import React from 'react';
import { render, type Instance } from 'ink';
import { App } from './App.js';
import { inkStdout } from './app/ink-stdout.js';
import { TuiContext } from './app/context.js';
import type { TuiOptions } from './app/options.js';
import { makeTheme } from './theme/theme.js';

export type { TuiOptions } from './app/options.js';

const ENTER = '\x1b[?1049h\x1b[H\x1b[?25l\x1b[?7l';
const LEAVE = '\x1b[?7h\x1b[?25h\x1b[?1049l';

/** What a reload of the configuration swaps under a running session (its own UI state stays). */
export type TuiCore = Pick<TuiOptions, 'cluster' | 'registry' | 'executor' | 'logs'>;

export interface Tui {
  waitUntilExit(): Promise<void>;
  restore(): void;
  /** show another core (after onedeck.yaml was reloaded) without leaving the full screen */
  replaceCore(core: TuiCore): void;
  /** before the process stops (SIGTSTP): leave the full screen, the terminal as it was */
  suspend(): void;
  /** after SIGCONT: back to the full screen, raw input, everything drawn again (also after a SIGSTOP onedeck did not ask for) */
  resume(): void;
}

export function startTui(opts: TuiOptions): Tui {
  let done = false;
  let instance: Instance | undefined;
  let resolveExit!: () => void;
  let rejectExit!: (err: unknown) => void;
  const exited = new Promise<void>((res, rej) => {
    resolveExit = res;
    rejectExit = rej;
  });
  exited.catch(() => {}); // handled by whoever waits; never an unhandled rejection by itself
  // why Ink ended (a component threw): the caller reports it instead of quitting silently
  let crash: { err: unknown } | undefined;
  // with Ink unmounted and stdin paused nothing else may hold the event loop: Node would exit
  // (code 0) the moment it is continued, before SIGCONT is handled
  let keepAlive: NodeJS.Timeout | undefined;

  const restore = (): void => {
    if (done) return;
    done = true;
    clearInterval(keepAlive);
    unsubscribe();
    try {
      instance?.unmount();
    } catch {
      // the terminal matters more than a failed unmount
    }
    try {
      opts.stdout.write(LEAVE);
    } catch {
      // stream already closed
    }
    try {
      if (opts.stdin.isTTY) opts.stdin.setRawMode?.(false);
      opts.stdin.pause?.();
    } catch {
      // stdin already closed
    }
    if (crash) rejectExit(crash.err);
    else resolveExit();
  };

  // quitting (q, :q, ctrl+c) gives the terminal back even if the CLI's quit service does not
  const unsubscribe = opts.ui.subscribe((s) => {
    if (s.quitting) setImmediate(restore);
  });

  let ctx = { ...opts, theme: makeTheme(opts.noColor), viewport: {} };
  const tree = () => React.createElement(TuiContext.Provider, { value: ctx }, React.createElement(App));
  // the state lives in the stores: a suspended UI is unmounted, and mounted again on resume, so
  // Ink draws every row anew instead of diffing against a screen that is gone
  let suspended = false;
  const mount = (): void => {
    const mine = render(tree(), {
      stdout: inkStdout(opts.stdout),
      stdin: opts.stdin,
      exitOnCtrlC: false,
      patchConsole: false,
      incrementalRendering: true,
      // frames come from store changes only (a log pane at most every 80 ms): a key's frame
      // waits at most 16 ms after the frame before it
      maxFps: 60,
      onRender: ({ renderTime }) => opts.onFrame?.(renderTime),
    });
    instance = mine;
    mine.waitUntilExit().then(
      () => {
        if (instance === mine) restore();
      },
      (err: unknown) => {
        crash = { err: err ?? new Error('the UI stopped on an error') };
        restore();
      },
    );
  };
  opts.stdout.write(ENTER);
  try {
    mount();
  } catch (err) {
    restore();
    throw err;
  }
  const replaceCore = (core: TuiCore): void => {
    if (done) return;
    ctx = { ...ctx, ...core };
    if (!suspended) instance?.rerender(tree());
  };
  const suspend = (): void => {
    if (done || suspended) return;
    suspended = true;
    keepAlive = setInterval(() => {}, 1 << 30);
    const old = instance;
    instance = undefined;
    try {
      old?.unmount();
    } catch {
      // the terminal matters more
    }
    try {
      opts.stdout.write(LEAVE);
      if (opts.stdin.isTTY) opts.stdin.setRawMode?.(false);
    } catch {
      // closed
    }
  };
  const resume = (): void => {
    if (done) return;
    // continued after a stop onedeck did not ask for (SIGSTOP): the shell took the terminal
    // meanwhile, so leave and re-enter to draw everything again with raw input
    if (!suspended) suspend();
    suspended = false;
    clearInterval(keepAlive);
    opts.stdout.write(ENTER);
    mount();
  };
  return { waitUntilExit: () => exited, restore, replaceCore, suspend, resume };
}
