// One terminal row made of styled segments, cut or padded to an exact width.
import React from 'react';
import { Text } from 'ink';
import { useTui } from '../app/context.js';
import { fitSegs, type Seg } from '../format/text.js';

interface LineProps {
  segs: Seg[];
  width: number;
  highlight?: boolean;
}

const sameSegs = (a: Seg[], b: Seg[]) => a === b || (a.length === b.length && a.every((s, i) => s.text === b[i].text && s.tone === b[i].tone));

/** Rows are rebuilt on every render of a screen (the clock's tick, a new log line): a row whose
 *  text and tones did not change is not drawn again. */
export const Line = React.memo(LineRow, (a: LineProps, b: LineProps) => a.width === b.width && a.highlight === b.highlight && sameSegs(a.segs, b.segs));

function LineRow({ segs, width, highlight }: LineProps): React.JSX.Element {
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
