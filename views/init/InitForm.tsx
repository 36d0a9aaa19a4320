// `onedeck init`: a guided form, one field a line. ↑/↓ or tab move, typing edits, ⏎ goes to the
// next field and, on the last, checks and writes (asking before it overwrites a file). The form
// only edits values: checking and writing are the core's (passed in as callbacks).
import React, { useCallback, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, type Key } from 'ink';
import { INIT_FIELDS, type InitValues } from '../../src/domain/init-form.js';

export interface InitFormProps {
  file: string;
  exists: boolean;
  defaults: InitValues;
  /** why the values would not load, or undefined */
  check: (v: InitValues) => string | undefined;
  /** write the file; resolves the form's result */
  done: (v: InitValues | null) => void;
}

export function InitForm({ file, exists, defaults, check, done }: InitFormProps): React.JSX.Element {
  const { exit } = useApp();
  // one state object in a ref and a stable key handler: Ink re-subscribes useInput when the
  // handler changes, and in between the terminal (cooked mode) would eat keys such as ctrl-u
  const st = useRef({ values: defaults, at: 0, error: undefined as string | undefined, asking: false });
  const [, redraw] = useState(0);
  const set = (patch: Partial<typeof st.current>) => {
    st.current = { ...st.current, ...patch };
    redraw((n) => n + 1);
  };
  const props = useRef({ file, exists, check, done });
  props.current = { file, exists, check, done };
  const onKey = useCallback((input: string, key: Key) => {
    const { values, at, asking } = st.current;
    const p = props.current;
    const finish = (v: InitValues | null) => {
      p.done(v);
      exit();
    };
    if (key.ctrl && input === 'c') return finish(null);
    if (asking) {
      if (input === 'y' || input === 'Y') return finish(values);
      return set({ asking: false, error: `${p.file} was left as it was: nothing written. esc quits, or change the values and press ⏎ again.` });
    }
    if (key.escape) return finish(null);
    const id = INIT_FIELDS[at].id;
    if (key.upArrow || (key.tab && key.shift)) return set({ at: Math.max(0, at - 1) });
    if (key.downArrow || key.tab) return set({ at: Math.min(INIT_FIELDS.length - 1, at + 1) });
    if (key.return) {
      if (at < INIT_FIELDS.length - 1) return set({ at: at + 1 });
      const why = p.check(values);
      if (why) return set({ error: why });
      if (p.exists) return set({ asking: true });
      return finish(values);
    }
    if (key.backspace || key.delete) return set({ values: { ...values, [id]: values[id].slice(0, -1) } });
    if (key.ctrl && input === 'u') return set({ values: { ...values, [id]: '' } });
    // ctrl-u and what was typed after it, arriving as one chunk: clear, then the rest
    if (input.includes('\x15')) return set({ error: undefined, values: { ...values, [id]: input.slice(input.lastIndexOf('\x15') + 1).replace(/[\x00-\x1f\x7f-\x9f]/g, '') } });
    const add = key.ctrl || key.meta ? '' : input.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
    if (add) set({ error: undefined, values: { ...values, [id]: values[id] + add } });
  }, []);
  useInput(onKey);
  const { values, at, error, asking } = st.current;
  const labelW = Math.max(...INIT_FIELDS.map((f) => f.label.length)) + 2;
  return (
    <Box flexDirection="column">
      <Text bold>onedeck init — a new onedeck.yaml at {file}</Text>
      <Text dimColor>↑/↓ move · type to edit · ctrl-u clears · ⏎ next field, on the last one: write · esc quits without writing</Text>
      <Text> </Text>
      {INIT_FIELDS.map((f, i) => (
        <Text key={f.id} inverse={i === at}>
          {`${i === at ? '▸ ' : '  '}${f.label.padEnd(labelW)}${values[f.id]}${i === at ? '▏' : ''}`}
        </Text>
      ))}
      <Text> </Text>
      <Text dimColor>{INIT_FIELDS[at].help}</Text>
      {error && <Text color="red">{error}</Text>}
      {asking && <Text color="yellow">{`${file} exists. Overwrite it? [y/N]`}</Text>}
    </Box>
  );
}
