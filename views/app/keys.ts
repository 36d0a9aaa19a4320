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
