// Asking before a run that changes the cluster: y/N for a reversible run, the typed name for a
// destructive one. Cancel is the default; esc cancels.
import React from 'react';
import { useUi } from '../app/context.js';
import { Line } from './Line.js';
import { Panel } from './Panel.js';

export const DIALOG_HEIGHT = 5;

export function ConfirmDialog({ width }: { width: number }): React.JSX.Element | null {
  const prompt = useUi((s) => s.prompt);
  if (!prompt || (prompt.kind !== 'confirm' && prompt.kind !== 'typed-confirm')) return null;
  const inner = width - 2;
  const typed = prompt.kind === 'typed-confirm';
  return (
    <Panel title={[{ text: typed ? 'Destructive run: confirm by typing' : 'Confirm', tone: typed ? 'bad' : 'warn' }]} width={width} height={DIALOG_HEIGHT} focused>
      <Line segs={[{ text: prompt.question ?? 'Run it?', tone: 'title' }]} width={inner} />
      {typed ? (
        <Line
          segs={[{ text: `type ${prompt.expect} to go ahead: `, tone: 'bad' }, { text: prompt.text }, { text: ' ', tone: 'select' }]}
          width={inner}
        />
      ) : (
        <Line segs={[{ text: 'y', tone: 'key' }, { text: ' yes    ' }, { text: '[N]', tone: 'select' }, { text: ' no, cancel (any other key)' }]} width={inner} />
      )}
      <Line segs={[{ text: typed ? '⏎ confirm · esc cancel (cancel is the default)' : 'esc cancels', tone: 'dim' }]} width={inner} />
    </Panel>
  );
}
