// The `:` command line, the `/` filter and the log search, drawn in place of the footer.
import React from 'react';
import { useTui, useUi } from '../app/context.js';
import type { Seg } from '../format/text.js';
import { Line } from './Line.js';

export function PromptLine({ width }: { width: number }): React.JSX.Element | null {
  const { registry } = useTui();
  const prompt = useUi((s) => s.prompt);
  const inverted = useUi((s) => s.filterInverted);
  if (!prompt) return null;
  const cursor: Seg = { text: ' ', tone: 'select' };
  const segs: Seg[] = [];
  if (prompt.kind === 'command') {
    segs.push({ text: ':', tone: 'key' }, { text: prompt.text }, cursor);
    if (!prompt.text.includes(' ')) {
      const c = registry.complete(prompt.text);
      if (c.length > 0) segs.push({ text: `   ${c.slice(0, 12).join(' ')}${c.length > 12 ? ' …' : ''}`, tone: 'dim' });
    }
  } else if (prompt.kind === 'filter') {
    segs.push({ text: inverted ? '/!' : '/', tone: 'key' }, { text: prompt.text }, cursor, { text: '   regex · ! inverts · ⏎ keep · esc clear', tone: 'dim' });
  } else if (prompt.kind === 'search') {
    segs.push({ text: 'search /', tone: 'key' }, { text: prompt.text }, cursor, { text: '   ⏎ find · n/N next/prev · esc cancel', tone: 'dim' });
  } else return null;
  return <Line segs={segs} width={width} />;
}
