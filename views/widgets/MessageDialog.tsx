// A message of several lines (a broken onedeck.yaml: file:line:column, what is wrong, the fix),
// shown whole until a key is pressed; nothing is cut to one line.
import React from 'react';
import { useUi } from '../app/context.js';
import type { UiState } from '../../src/store/ui-store.js';
import { Line } from './Line.js';
import { width as sw } from '../format/text.js';
import { Panel } from './Panel.js';

/** the message's lines cut between words to the dialog's width: nothing is lost off the edge */
export function wrapLines(lines: string[], w: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    let rest = line;
    while (sw(rest) > w) {
      let cut = rest.lastIndexOf(' ', w);
      if (cut <= w / 3) cut = w;
      out.push(rest.slice(0, cut));
      rest = `  ${rest.slice(cut).trimStart()}`;
    }
    out.push(rest);
  }
  return out;
}

export function messageHeight(d: NonNullable<UiState['dialog']>, width: number, maxRows: number): number {
  return Math.min(wrapLines(d.lines, width - 2).length + 3, maxRows);
}

export function MessageDialog({ width, height }: { width: number; height: number }): React.JSX.Element | null {
  const d = useUi((s) => s.dialog);
  if (!d) return null;
  const inner = width - 2;
  const room = Math.max(1, height - 3);
  const all = wrapLines(d.lines, inner);
  const lines = all.length > room ? [...all.slice(0, room - 1), `… ${all.length - room + 1} more line(s) in onedeck.log`] : all;
  return (
    <Panel title={[{ text: d.title, tone: 'bad' }]} width={width} height={height} focused>
      {lines.map((l, i) => (
        <Line key={i} segs={[{ text: l }]} width={inner} />
      ))}
      <Line segs={[{ text: 'any key', tone: 'key' }, { text: ' closes this' }]} width={inner} />
    </Panel>
  );
}
