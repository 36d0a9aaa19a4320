// Semantic colour tokens. Components ask for a tone, never a colour, so NO_COLOR is one switch:
// the no-colour theme keeps only the attributes that carry meaning (bold, inverse, dim).
export type Tone = 'plain' | 'ok' | 'warn' | 'bad' | 'dim' | 'accent' | 'badge' | 'title' | 'select' | 'match' | 'key';

export interface Style {
  color?: string;
  backgroundColor?: string;
  dimColor?: boolean;
  bold?: boolean;
  inverse?: boolean;
}

export interface Theme {
  noColor: boolean;
  style(tone: Tone | undefined): Style;
  /** border colour of a panel, undefined for the terminal's default */
  border(focused: boolean): Style;
}

const COLOUR: Record<Tone, Style> = {
  plain: {},
  ok: { color: 'green' },
  warn: { color: 'yellow' },
  bad: { color: 'red', bold: true },
  dim: { dimColor: true },
  accent: { color: 'cyan' },
  badge: { color: 'black', backgroundColor: 'yellow', bold: true },
  title: { bold: true },
  select: { inverse: true },
  match: { color: 'black', backgroundColor: 'yellow' },
  key: { color: 'cyan', bold: true },
};

const MONO: Record<Tone, Style> = {
  plain: {},
  ok: {},
  warn: { bold: true },
  bad: { bold: true },
  dim: { dimColor: true },
  accent: { bold: true },
  badge: { inverse: true, bold: true },
  title: { bold: true },
  select: { inverse: true },
  match: { inverse: true },
  key: { bold: true },
};

export function makeTheme(noColor: boolean): Theme {
  const table = noColor ? MONO : COLOUR;
  return {
    noColor,
    style: (tone) => table[tone ?? 'plain'],
    border: (focused) => (noColor ? (focused ? {} : { dimColor: true }) : focused ? { color: 'cyan' } : { color: 'gray' }),
  };
}
