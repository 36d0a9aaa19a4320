// The inventory table: one row per host, columns dropping by priority, only the rows in view.
import React from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ClusterDrift, HostRow } from '../../src/domain/host.js';
import { useAgeNow, useCluster, useUi, useViewport } from '../app/context.js';
import { listTop } from '../../src/store/viewport.js';
import { filterProblem } from '../../src/actions/ui-lists.js';
import { hostColumns } from '../../src/domain/host-cells.js';
import { MARKER_WIDTH, cellText, fitColumns, verdictWant } from '../format/host-cells.js';
import { segsKey, type Seg } from '../format/text.js';
import { Line } from '../widgets/Line.js';
import { Panel } from '../widgets/Panel.js';

export interface HostTableProps {
  hosts: HostRow[];
  total: number;
  drift: ClusterDrift[];
  width: number;
  height: number;
  focused: boolean;
}

/** rows of the table body that fit in a panel of `height`, after the header and the drift lines */
export const tableRows = (height: number, driftLines: number): number => Math.max(1, height - 3 - driftLines);
export const driftLines = (drift: ClusterDrift[], height: number): number => Math.min(drift.length, Math.max(0, Math.floor((height - 4) / 3)));

export function HostTable({ hosts, total, drift, width, height, focused }: HostTableProps): React.JSX.Element {
  const refreshSeconds = useCluster((s) => s.info.refreshSeconds);
  const { selected, filter, inverted, sort, desc } = useUi(
    useShallow((s) => ({ selected: s.selected, filter: s.filter, inverted: s.filterInverted, sort: s.sort, desc: s.sortDesc })),
  );
  // the columns' widths come from every host, so they do not shift as the filter changes
  const all = useCluster((s) => s.hosts);
  const problem = filterProblem(filter);
  const inner = width - 2;
  const cols = fitColumns(hostColumns(all), inner, verdictWant(hosts));
  const dl = driftLines(drift, height);
  const body = tableRows(height, dl);
  const top = listTop(selected, body);
  useViewport(focused ? { rows: body } : undefined);
  const inView = hosts.slice(top, top + body);
  // the rows' cells at a time: the clock's tick redraws the table only when one of them moved
  const cellsAt = (now: number) => inView.map((h) => cols.map((c) => c.cell(h, { now, refreshSeconds })));
  const now = useAgeNow((t) => segsKey(cellsAt(t)));
  const cells = cellsAt(now);

  const head: Seg[] = [{ text: ' '.repeat(MARKER_WIDTH) }];
  cols.forEach((c, i) => head.push({ text: cellText(c.sort === sort ? `${c.title} ${desc ? '▼' : '▲'}` : c.title, c, i === cols.length - 1), tone: 'dim' }));
  const rows: Seg[][] = inView.map((h, r) => {
    const segs: Seg[] = [{ text: h === hosts[selected] ? '▸ ' : '  ', tone: 'accent' }];
    cols.forEach((c, i) => {
      const cell = cells[r][i];
      segs.push({ ...cell, text: cellText(cell.text, c, i === cols.length - 1) });
    });
    return segs;
  });
  if (hosts.length === 0) rows.push([{ text: total === 0 ? '  no hosts yet (waiting for the first refresh)' : `  no host matches the filter${problem ? ` (${problem})` : ''}`, tone: problem ? 'warn' : 'dim' }]);
  const title: Seg[] = [
    { text: `Hosts ${hosts.length}${hosts.length !== total ? `/${total}` : ''}`, tone: 'title' },
    { text: ' ── ' },
    filter || inverted ? { text: `filter: ${inverted ? '!' : ''}${filter}`, tone: problem ? 'warn' : 'accent' } : { text: 'filter: (none)', tone: 'dim' },
  ];
  // rows that do not fit: say how many, and on which side
  const above = hosts.length > 0 ? top : 0;
  const below = Math.max(0, hosts.length - top - body);
  if (above > 0) title.push({ text: ` ── ↑ ${above} more`, tone: 'accent' });
  if (below > 0) title.push({ text: ` ── ↓ ${below} more`, tone: 'accent' });
  return (
    <Panel title={title} width={width} height={height} focused={focused}>
      <Line segs={head} width={inner} />
      {Array.from({ length: body }, (_, i) => (
        <Line key={i} segs={rows[i] ?? []} width={inner} highlight={focused && hosts.length > 0 && top + i === selected} />
      ))}
      {drift.slice(0, dl).map((d, i) => (
        <Line key={i} width={inner} segs={[{ text: i === dl - 1 && drift.length > dl ? `+${drift.length - dl + 1} drifts · ` : '', tone: 'warn' }, { text: `drift ${d.kind}: `, tone: 'warn' }, { text: `${d.subject} — ${d.detail}` }]} />
      ))}
    </Panel>
  );
}
