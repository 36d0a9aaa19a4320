// `?`: every action of the screen underneath, generated from the registry, with the reason an
// action cannot run here (read-only session, missing capability).
import React from 'react';
import { SCREENS } from '../../src/actions/screens.js';
import { useTui, useUi } from '../app/context.js';
import { fit, keyLabel, type Seg } from '../format/text.js';
import { Document } from '../widgets/Document.js';

export function HelpScreen({ width, height }: { width: number; height: number }): React.JSX.Element {
  const { registry, executor, session, ui } = useTui();
  const under = useUi((s) => s.stack[s.stack.length - 2]?.id ?? 'hosts');
  useUi((s) => s.stack.length); // re-render when the stack moves
  const defs = registry.forScreen(under);
  // the longest title whole when the width allows (its :command follows); cut with … only when it cannot
  const titleW = Math.max(12, Math.min(Math.max(...defs.map((d) => d.title.length)) + 1, width - 2 - 12 - 24));
  const lines: Seg[][] = [[{ text: `Keys on the ${SCREENS[under].title} screen, then global ones. :<name> runs any action by name (tab completes).`, tone: 'dim' }], []];
  let globalStarted = false;
  for (const d of defs) {
    if (d.scope === 'global' && !globalStarted) {
      globalStarted = true;
      lines.push([], [{ text: 'Everywhere', tone: 'title' }]);
    }
    const why = executor.disabledReason(d, session, ui);
    const keys = d.keys.length ? d.keys.map(keyLabel).join(' ') : '';
    // key · title · command on one line, and why it cannot run now on the next: nothing runs together
    const line: Seg[] = [{ text: fit(keys, 12), tone: why ? 'dim' : 'key' }, { text: `${fit(d.title, titleW)} `, tone: why ? 'dim' : undefined }];
    line.push({ text: `:${d.id}${d.aliases?.length ? ` (${d.aliases.map((a) => `:${a}`).join(' ')})` : ''}`, tone: 'dim' });
    // what running it does: a question first, or a job at once (never "changes the cluster" on a key that asks nothing)
    if (!why && d.mutating) line.push({ text: d.confirm ? '  asks first' : '  starts a job at once', tone: 'dim' });
    lines.push(line);
    if (why) lines.push([{ text: ' '.repeat(12) }, { text: d.mutating && session.readonly ? 'read-only session: unavailable' : why, tone: 'warn' }]);
  }
  return <Document title={[{ text: 'Help', tone: 'title' }, { text: ` · ${SCREENS[under].title}`, tone: 'dim' }]} lines={lines} width={width} height={height} />;
}
