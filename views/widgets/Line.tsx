// One terminal row made of styled segments, cut or padded to an exact width.
import React from 'react';
import { Text } from 'ink';
import { useTui } from '../app/context.js';
import { fitSegs, type Seg } from '../format/text.js';

export function Line({ segs, width, highlight }: { segs: Seg[]; width: number; highlight?: boolean }): React.JSX.Element {
  const { theme } = useTui();
  const parts = fitSegs(segs, Math.max(1, width));
  return (
    <Text wrap="truncate">
      {parts.map((s, i) => (
        <Text key={i} {...theme.style(s.tone)} inverse={highlight || theme.style(s.tone).inverse}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

/** exactly `height` rows: the given ones, then blank rows */
export function Rows({ rows, height, width }: { rows: Seg[][]; height: number; width: number }): React.JSX.Element {
  const out: React.JSX.Element[] = [];
  for (let i = 0; i < height; i++) out.push(<Line key={i} segs={rows[i] ?? []} width={width} />);
  return <>{out}</>;
}
