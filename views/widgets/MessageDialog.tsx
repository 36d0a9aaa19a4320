// A message of several lines (a broken onedeck.yaml: file:line:column, what is wrong, the fix),
// shown whole until a key is pressed; nothing is cut to one line.
import React from 'react';
import { useUi } from '../app/context.js';
import type { UiState } from '../../src/store/ui-store.js';
import { Line } from './Line.js';
import { Panel } from './Panel.js';

export function messageHeight(d: NonNullable<UiState['dialog']>, maxRows: number): number {
  return Math.min(d.lines.length + 3, maxRows);
}

export function MessageDialog({ width, height }: { width: number; height: number }): React.JSX.Element | null {
  const d = useUi((s) => s.dialog);
  if (!d) return null;
  const inner = width - 2;
  const room = Math.max(1, height - 3);
  const lines = d.lines.length > room ? [...d.lines.slice(0, room - 1), `… ${d.lines.length - room + 1} more line(s) in onedeck.log`] : d.lines;
  return (
    <Panel title={[{ text: d.title, tone: 'bad' }]} width={width} height={height} focused>
      {lines.map((l, i) => (
        <Line key={i} segs={[{ text: l }]} width={inner} />
      ))}
      <Line segs={[{ text: 'any key', tone: 'key' }, { text: ' closes this' }]} width={inner} />
    </Panel>
  );
}
