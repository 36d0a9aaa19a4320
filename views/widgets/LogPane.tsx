// A log pane over a ring buffer: follows the tail until scrolled, counts new lines while paused,
// highlights the search, wraps on demand. It formats only the rows in view.
import React, { useMemo } from 'react';
import { Box } from 'ink';
import { defaultPane } from '../../src/store/ui-store.js';
import { searchLog } from '../../src/actions/ui-lists.js';
import { useCluster, useTui, useUi, useViewport } from '../app/context.js';
import { groupDigits, logWindow } from '../format/log-lines.js';
import { fitSegs, width as sw, type Seg } from '../format/text.js';
import { Line, Rows } from './Line.js';
import { Panel } from './Panel.js';

export interface LogPaneProps {
  logId: string | undefined;
  title: Seg[];
  width: number;
  height: number;
  focused?: boolean;
  /** shown when there is no log */
  empty?: string;
}

export function LogPane({ logId, title, width, height, focused, empty }: LogPaneProps): React.JSX.Element {
  const { logs, noColor } = useTui();
  const version = useCluster((s) => (logId ? s.logVersions[logId] ?? 0 : 0));
  const stored = useUi((s) => (logId ? s.panes[logId] : undefined));
  const pane = stored ?? defaultPane();
  const inner = Math.max(1, width - 2);
  const bodyRows = Math.max(0, height - 3);
  // the focused pane is what the scroll keys move: its rows and row width travel with them
  useViewport(focused ? { rows: Math.max(1, bodyRows), width: inner } : undefined);
  const buf = logId ? logs.buffer(logId) : undefined;
  const total = buf?.total() ?? 0;
  const matches = useMemo(() => (buf && pane.search ? searchLog(buf, pane.search) : []), [buf, pane.search, version]);
  const win = logWindow(buf, pane, bodyRows, { width: inner, wrap: pane.wrap, timestamps: pane.timestamps, noColor });

  const fresh = Math.max(0, total - pane.seenTotal);
  const mode: Seg = pane.follow ? { text: 'FOLLOW', tone: 'ok' } : { text: `PAUSED · ${groupDigits(fresh)} new`, tone: 'warn' };
  // the mode (FOLLOW / PAUSED · N new) must survive a narrow pane: the title gives way first
  const tail: Seg[] = [{ text: ' · ' }, mode];
  const room = Math.max(1, width - 4 - tail.reduce((a, s) => a + sw(s.text), 0));
  const head: Seg[] = [...fitSegs(title, Math.min(room, title.reduce((a, s) => a + sw(s.text), 0))), ...tail];
  const status: Seg[] = [{ text: `${groupDigits(total)} lines`, tone: 'dim' }];
  if (buf && buf.dropped() > 0) status.push({ text: ` · ${groupDigits(buf.dropped())} older on disk`, tone: 'dim' });
  if (pane.search) {
    const at = pane.matchIndex === undefined ? 0 : matches.indexOf(pane.matchIndex) + 1;
    status.push({ text: ` · /${pane.search} ${at}/${matches.length}${matches.length >= 10_000 ? '+' : ''}`, tone: matches.length ? 'accent' : 'warn' });
  }
  if (pane.wrap) status.push({ text: ' · wrap', tone: 'dim' });
  if (pane.timestamps) status.push({ text: ' · time', tone: 'dim' });
  const rows = !buf && empty ? [[{ text: empty, tone: 'dim' as const }]] : win.rows;
  return (
    <Panel title={head} width={width} height={height} focused={focused}>
      <Box flexDirection="column" height={bodyRows}>
        <Rows rows={rows} height={bodyRows} width={inner} />
      </Box>
      <Line segs={status} width={inner} />
    </Panel>
  );
}
