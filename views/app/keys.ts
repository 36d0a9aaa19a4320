// Ink's key events as the names the action registry binds ('j', 'enter', 'ctrl+s', 'pageDown').
import type { Key } from 'ink';

export function keyName(input: string, key: Key): string | undefined {
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageUp';
  if (key.pageDown) return 'pageDown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.backspace) return 'backspace';
  if (key.delete) return 'delete';
  if (key.ctrl && input.length === 1) return `ctrl+${input.toLowerCase()}`;
  if (input.length === 1) return input;
  return undefined;
}

/** printable text of a key press or a paste, control characters removed */
export function printable(input: string, key: Key): string {
  if (key.ctrl || key.meta || key.return || key.escape || key.tab) return '';
  return input.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
}

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false,
  end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false,
  meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

const CSI_KEYS: Record<string, Partial<Key>> = { A: { upArrow: true }, B: { downArrow: true }, C: { rightArrow: true }, D: { leftArrow: true }, H: { home: true }, F: { end: true } };
/** `ESC [ n ~` keys: Home, Delete, End, PageUp, PageDown (with the rxvt/linux console variants) */
const TILDE_KEYS: Record<string, Partial<Key>> = { '1': { home: true }, '7': { home: true }, '3': { delete: true }, '4': { end: true }, '8': { end: true }, '5': { pageUp: true }, '6': { pageDown: true } };

/**
 * Split a chunk that arrived in one read (fast typing, a paste, a script's send-keys) into the key
 * presses it holds: runs of text, and Enter, Tab, Backspace, Escape and arrows as keys of their own.
 */
export function splitChunk(input: string): { input: string; key: Key }[] {
  const out: { input: string; key: Key }[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ input: text, key: NO_KEY });
    text = '';
  };
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    const special: Partial<Key> | undefined =
      ch === '\r' || ch === '\n' ? { return: true } : ch === '\t' ? { tab: true } : ch === '\x7f' || ch === '\b' ? { backspace: true } : undefined;
    if (special) {
      flush();
      out.push({ input: ch, key: { ...NO_KEY, ...special } });
    } else if (ch === '\x1b') {
      flush();
      const m = /^\x1b\[([0-9;]*)([A-Za-z~])/.exec(input.slice(i));
      if (m) {
        const k = m[2] === '~' ? TILDE_KEYS[m[1].split(';')[0]] : CSI_KEYS[m[2]];
        if (k) out.push({ input: '', key: { ...NO_KEY, ...k } });
        i += m[0].length - 1;
      } else out.push({ input: '', key: { ...NO_KEY, escape: true } });
    } else if (ch >= ' ') text += ch;
  }
  flush();
  return out;
}
