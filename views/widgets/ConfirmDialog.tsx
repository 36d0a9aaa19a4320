// Asking before a run that changes the cluster: y/N for a reversible run, the typed name for a
// destructive one. Cancel is the default; esc cancels.
import React from 'react';
import { useUi } from '../app/context.js';
import { truncate, width as sw, type Seg } from '../format/text.js';
import { Line } from './Line.js';
import { Panel } from './Panel.js';

export const DIALOG_HEIGHT = 5;

/** a question of several lines (an operation's preview: every step) gets a row each, as room allows */
export function dialogHeight(question: string | undefined, maxRows: number): number {
  const n = (question ?? '').split('\n').length;
  return n <= 2 ? DIALOG_HEIGHT : Math.max(DIALOG_HEIGHT, Math.min(n + 3, maxRows));
}

export function ConfirmDialog({ width, height = DIALOG_HEIGHT }: { width: number; height?: number }): React.JSX.Element | null {
  const prompt = useUi((s) => s.prompt);
  if (!prompt || (prompt.kind !== 'confirm' && prompt.kind !== 'typed-confirm')) return null;
  const inner = width - 2;
  const typed = prompt.kind === 'typed-confirm';
  const text = prompt.question ?? 'Run it?';
  const many = text.includes('\n');
  let rows: string[] = many ? text.split('\n') : wrapTwo(text, inner);
  const room = Math.max(2, height - 3);
  if (rows.length > room) rows = [...rows.slice(0, room - 1), `… ${rows.length - room + 1} more line(s)`];
  return (
    <Panel title={[{ text: typed ? 'Destructive run: confirm by typing' : 'Confirm', tone: typed ? 'bad' : 'warn' }]} width={width} height={Math.max(DIALOG_HEIGHT, rows.length + 3)} focused>
      {rows.map((q, i) => (
        <Line key={i} segs={[{ text: q, tone: 'title' }]} width={inner} />
      ))}
      {typed ? (
        <Line
          segs={[{ text: `type ${prompt.expect} to go ahead: `, tone: 'bad' }, { text: prompt.text }, { text: ' ', tone: 'select' }]}
          width={inner}
        />
      ) : (
        <Line segs={[{ text: 'y', tone: 'key' }, { text: ' yes    ' }, { text: '[N]', tone: 'select' }, { text: ' no, cancel (any other key, esc)' }]} width={inner} />
      )}
    </Panel>
  );
}

/** the question on two rows, cut between words; what does not fit ends in an ellipsis */
export function wrapTwo(text: string, w: number): [string, string] {
  if (sw(text) <= w) return [text, ''];
  let cut = text.lastIndexOf(' ', w);
  if (cut <= 0) cut = w;
  return [text.slice(0, cut), truncate(text.slice(cut).trimStart(), w)];
}

/** the footer while a confirmation is open: only its keys work */
export function confirmHint(typed: boolean): Seg[] {
  return typed
    ? [{ text: ' ' }, { text: '⏎', tone: 'key' }, { text: ' confirm the typed name  ' }, { text: 'esc', tone: 'key' }, { text: ' cancel (nothing runs until you confirm)' }]
    : [{ text: ' ' }, { text: 'y', tone: 'key' }, { text: ' run it  ' }, { text: 'any other key', tone: 'key' }, { text: ' cancel (nothing runs until you answer)' }];
}
