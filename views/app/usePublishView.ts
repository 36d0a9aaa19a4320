// Screens tell the core how many rows they show, so paging and clamping in the actions match.
import { useEffect } from 'react';
import { useTui } from './context.js';

export function usePublishView(listRows: number, logRows: number, helpLines = 0): void {
  const { ui } = useTui();
  useEffect(() => {
    const v = ui.getState().view;
    if (v && v.listRows === listRows && v.logRows === logRows && v.helpLines === helpLines) return;
    ui.setState({ view: { listRows, logRows, helpLines } });
  }, [ui, listRows, logRows, helpLines]);
}
