// The session's options and theme, and a one-second clock, handed down through React context.
import React, { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ClusterState } from '../../src/store/cluster-store.js';
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

const ClockContext = createContext<number>(0);

/** The session's clock (TuiOptions.clock, else Date.now), read once a second; only the components that show an age read it. */
export function ClockProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const clock = useContext(TuiContext)?.clock ?? Date.now;
  const [now, setNow] = useState(clock);
  useEffect(() => {
    setNow(clock());
    const t = setInterval(() => setNow(clock()), 1000);
    t.unref?.();
    return () => clearInterval(t);
  }, [clock]);
  return <ClockContext.Provider value={now}>{children}</ClockContext.Provider>;
}

export const useNow = (): number => useContext(ClockContext);
