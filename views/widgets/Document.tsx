// A scrollable document (help, host detail on small terminals, plan review): `selected` is the
// scroll position; its rows and its length as rendered travel with the scroll keys.
import React from 'react';
import { documentTop } from '../../src/store/viewport.js';
import { useTui, useUi, useViewport } from '../app/context.js';
import { keyLabel, type Seg } from '../format/text.js';
import { Rows } from './Line.js';
import { Panel } from './Panel.js';

export function Document({ title, lines, width, height }: { title: Seg[]; lines: Seg[][]; width: number; height: number }): React.JSX.Element {
  const rows = Math.max(1, height - 2);
  useViewport({ rows, lines: lines.length });
  const selected = useUi((s) => s.selected);
  const top = documentTop(selected, lines.length, rows);
  const { registry } = useTui();
  const keys = `${keyLabel(registry.keyOf('down'))}/${keyLabel(registry.keyOf('up'))}, ${keyLabel(registry.keyOf('page-down'))}`;
  const more = lines.length > rows ? [{ text: ` · ${top + 1}-${Math.min(lines.length, top + rows)} of ${lines.length} (${keys})`, tone: 'dim' as const }] : [];
  return (
    <Panel title={[...title, ...more]} width={width} height={height}>
      <Rows rows={lines.slice(top, top + rows)} height={rows} width={width - 2} />
    </Panel>
  );
}
