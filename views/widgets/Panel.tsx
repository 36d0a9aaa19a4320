// A bordered box with its title drawn into the top border, k9s style.
import React, { type ReactNode } from 'react';
import { Box, Text } from 'ink';
import { useTui } from '../app/context.js';
import { fitSegs, width as w, type Seg } from '../format/text.js';

export interface PanelProps {
  title: Seg[];
  width: number;
  height: number;
  focused?: boolean;
  children: ReactNode;
}

export function Panel({ title, width, height, focused, children }: PanelProps): React.JSX.Element {
  const { theme } = useTui();
  const b = theme.border(!!focused);
  const room = Math.max(0, width - 4);
  const titleSegs = fitSegs(title, Math.min(room, title.reduce((a, s) => a + w(s.text), 0)));
  const used = titleSegs.reduce((a, s) => a + w(s.text), 0);
  const fill = Math.max(0, width - 4 - used);
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Text wrap="truncate">
        <Text {...b}>┌ </Text>
        {titleSegs.map((s, i) => (
          <Text key={i} {...theme.style(s.tone)} bold={focused || theme.style(s.tone).bold}>
            {s.text}
          </Text>
        ))}
        <Text {...b}>{` ${'─'.repeat(fill)}┐`}</Text>
      </Text>
      <Box
        borderStyle="single"
        borderTop={false}
        borderColor={b.color}
        borderDimColor={b.dimColor}
        width={width}
        height={Math.max(1, height - 1)}
        flexDirection="column"
        overflow="hidden"
      >
        {children}
      </Box>
    </Box>
  );
}
