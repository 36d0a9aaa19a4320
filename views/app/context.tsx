// The session's options and theme, and a one-second clock, handed down through React context.
import React, { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { ClusterState } from '../../src/store/cluster-store.js';
import { ageClock } from '../../src/domain/time-format.js';
import type { UiState } from '../../src/store/ui-store.js';
import type { Viewport } from '../../src/store/viewport.js';
import type { Theme } from '../theme/theme.js';
import type { TuiOptions } from './options.js';

export interface TuiCtx extends TuiOptions {
  theme: Theme;
  /** what the focused list, log or document shows, as last drawn; the key router passes it with the action */
  viewport: { current?: Viewport };
}

/** Say what the move keys act on (the focused list, log pane or document): its rows, its lines. */
export function useViewport(vp: Viewport | undefined): void {
  const ref = useTui().viewport;
  if (vp) ref.current = vp;
}

export const TuiContext = createContext<TuiCtx | null>(null);

export function useTui(): TuiCtx {
  const c = useContext(TuiContext);
  if (!c) throw new Error('useTui outside <TuiContext.Provider>');
  return c;
}

export function useUi<T>(select: (s: UiState) => T): T {
  return useStore(useTui().ui, select);
}

export function useCluster<T>(select: (s: ClusterState) => T): T {
  return useStore(useTui().cluster, select);
}

/** The session's clock, read once a second: a store of its own, so that a tick re-renders only the
 * components whose time-dependent text moved (most seconds: none, and no frame at all). */
type ClockStore = StoreApi<{ now: number }>;
const ClockContext = createContext<ClockStore | null>(null);

/** The session's clock (TuiOptions.clock, else Date.now), read once a second; only the components that show an age read it. */
export function ClockProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const clock = useContext(TuiContext)?.clock ?? Date.now;
  const [store] = useState<ClockStore>(() => createStore(() => ({ now: clock() })));
  useEffect(() => {
    store.setState({ now: clock() });
    const t = setInterval(() => store.setState({ now: clock() }), 1000);
    t.unref?.();
    return () => clearInterval(t);
  }, [clock, store]);
  return <ClockContext.Provider value={store}>{children}</ClockContext.Provider>;
}

/**
 * The time, for a component that shows something derived from it. `shows(now)` returns what the
 * component draws from the time (the age texts, a stale flag: a string or a number): the clock's
 * tick re-renders the component only when that changed. Without it the component re-renders on
 * every tick. Either way the component draws with the `now` returned here.
 */
export function useNow(shows?: (now: number) => string | number | boolean | undefined): number {
  const store = useContext(ClockContext);
  if (!store) throw new Error('useNow outside <ClockProvider>');
  useStore(store, (s) => (shows ? shows(s.now) : s.now));
  return store.getState().now;
}

/**
 * `useNow` for ages: the session's age clock (`ageClock` of the time, in steps of the cluster's
 * refresh interval), given to `shows` and returned, so that every age on screen moves at once.
 */
export function useAgeNow(shows: (ageNow: number) => string | number | boolean | undefined): number {
  const refreshSeconds = useCluster((s) => s.info.refreshSeconds);
  return ageClock(useNow((t) => shows(ageClock(t, refreshSeconds))), refreshSeconds);
}
