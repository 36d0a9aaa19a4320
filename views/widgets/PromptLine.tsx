// The `:` command line, the `/` filter and the log search, drawn in place of the footer.
import React from 'react';
import { useCluster, useTui, useUi } from '../app/context.js';
import { candidates } from '../../src/actions/command-completion.js';
import { filterProblem } from '../../src/actions/ui-lists.js';
import type { Seg } from '../format/text.js';
import { Line } from './Line.js';

export function PromptLine({ width }: { width: number }): React.JSX.Element | null {
  const { registry } = useTui();
  const hosts = useCluster((s) => s.hosts);
  const jobs = useCluster((s) => s.jobs);
  const filter = useUi((s) => s.filter);
  const prompt = useUi((s) => s.prompt);
  const inverted = useUi((s) => s.filterInverted);
  if (!prompt) return null;
  const cursor: Seg = { text: ' ', tone: 'select' };
  const segs: Seg[] = [];
  if (prompt.kind === 'command') {
    segs.push({ text: ':', tone: 'key' }, { text: prompt.text }, cursor);
    // as many candidates as the line holds, whole, then how many more (typing narrows them)
    const c = candidates(prompt.text, registry, { hosts, jobs }).words;
    if (c.length > 0) segs.push({ text: `   ${fitWords(c, width - prompt.text.length - 5)}`, tone: 'dim' });
  } else if (prompt.kind === 'filter') {
    const problem = filterProblem(filter);
    segs.push({ text: inverted ? '/!' : '/', tone: 'key' }, { text: prompt.text }, cursor, problem ? { text: `   ${problem}`, tone: 'warn' } : { text: '   regex · ! inverts · ⏎ keep · ctrl-u clear · esc clear', tone: 'dim' });
  } else if (prompt.kind === 'search') {
    segs.push({ text: 'search /', tone: 'key' }, { text: prompt.text }, cursor, { text: '   ⏎ find · n/N next/prev · esc cancel', tone: 'dim' });
  } else return null;
  return <Line segs={segs} width={width} />;
}

/** whole words that fit in `room` columns, then "+N more" for the rest */
export function fitWords(words: string[], room: number): string {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < words.length; i++) {
    const more = words.length - i - 1 > 0 ? ` +${words.length - i - 1} more`.length : 0;
    if (used + words[i].length + (out.length ? 1 : 0) + more > room) return `${out.join(' ')} +${words.length - i} more`;
    used += words[i].length + (out.length ? 1 : 0);
    out.push(words[i]);
  }
  return out.join(' ');
}
