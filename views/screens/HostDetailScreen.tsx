// One host, every source side by side with its source and age, the verdict's reasons and the
// last errors. A grid on wide terminals, one scrolling column on small ones.
import React from 'react';
import { Box } from 'ink';
import { currentScreen } from '../../src/store/ui-store.js';
import { useAgeNow, useCluster, useUi, useViewport } from '../app/context.js';
import { detailSections, type Section } from '../format/host-detail.js';
import { segsKey, wrapSegs, type Seg } from '../format/text.js';
import { Document } from '../widgets/Document.js';
import { Rows } from '../widgets/Line.js';
import { Panel } from '../widgets/Panel.js';

const sectionTitle = (s: Section): Seg[] => [{ text: s.title, tone: 'title' }, { text: ` · ${s.source}${s.stale ? ' (stale)' : ''}`, tone: s.stale ? 'warn' : 'dim' }];

/** the grid's rows: up to `perRow` sections side by side, a wide section alone at the full width */
function gridRows(sections: Section[], perRow: number): Section[][] {
  const rows: Section[][] = [];
  let cur: Section[] = [];
  const flush = () => {
    if (cur.length) rows.push(cur);
    cur = [];
  };
  for (const s of sections) {
    if (s.wide) {
      flush();
      rows.push([s]);
      continue;
    }
    cur.push(s);
    if (cur.length === perRow) flush();
  }
  flush();
  return rows;
}

const rowHeight = (r: Section[]) => Math.max(...r.map((s) => s.lines.length)) + 2;

function Grid({ rows, width, height }: { rows: Section[][]; width: number; height: number }): React.JSX.Element {
  // everything is in view: nothing to scroll
  useViewport({ rows: height, lines: 0 });
  return (
    <Box flexDirection="column" width={width} height={height}>
      {rows.map((r, i) => {
        const h = rowHeight(r);
        const colW = Math.floor(width / r.length);
        return (
          <Box key={i} flexDirection="row" height={h}>
            {r.map((s, j) => {
              const w = j === r.length - 1 ? width - colW * (r.length - 1) : colW;
              return (
                <Panel key={s.title} title={sectionTitle(s)} width={w} height={h}>
                  <Rows rows={s.lines} height={h - 2} width={w - 2} />
                </Panel>
              );
            })}
          </Box>
        );
      })}
    </Box>
  );
}

export function HostDetailScreen({ width, height }: { width: number; height: number }): React.JSX.Element {
  const key = useUi((s) => currentScreen(s).arg);
  const host = useCluster((s) => s.hosts.find((h) => h.key === key));
  const refreshSeconds = useCluster((s) => s.info.refreshSeconds);
  const now = useAgeNow((t) => (host ? detailSections(host, { now: t, refreshSeconds }).map((s) => `${s.title}|${s.source}|${s.stale}|${segsKey(s.lines)}`).join('\n') : ''));
  if (!host) return <Document title={[{ text: `host ${key ?? '?'}`, tone: 'title' }]} lines={[[{ text: 'this host is not in the inventory any more', tone: 'warn' }]]} width={width} height={height} />;
  const sections = detailSections(host, { now, refreshSeconds });
  const perRow = width >= 180 ? 4 : width >= 120 ? 3 : 1;
  if (perRow > 1) {
    // every line whole: a long reason or error wraps inside its panel (issue 12 #2)
    const rows = gridRows(sections, perRow).map((r) => {
      const colW = Math.floor(width / r.length);
      return r.map((s, j) => ({ ...s, lines: s.lines.flatMap((l) => wrapSegs(l, (j === r.length - 1 ? width - colW * (r.length - 1) : colW) - 2)) }));
    });
    if (rows.reduce((a, r) => a + rowHeight(r), 0) <= height) return <Grid rows={rows} width={width} height={height} />;
  }
  const lines: Seg[][] = [];
  for (const s of sections) {
    lines.push(sectionTitle(s));
    for (const l of s.lines) lines.push(...wrapSegs([{ text: '  ' }, ...l], width - 2));
  }
  return <Document title={[{ text: host.key, tone: 'title' }, { text: ` · ${host.role}` }]} lines={lines} width={width} height={height} />;
}
