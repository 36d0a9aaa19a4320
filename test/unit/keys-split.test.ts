import { describe, expect, it } from 'vitest';
import { keyName, splitChunk } from '../../views/app/keys.js';

describe('keys that arrive in one read', () => {
  it('are split into text runs and named keys, including the ESC [ n ~ ones', () => {
    const names = splitChunk(':jobs\r\x1b[5~\x1b[6~\x1b[3~\x1b[1~\x1b[4~\x1b[A\t\x7f\x1b').map((p) => keyName(p.input, p.key) ?? p.input);
    expect(names).toEqual([':jobs', 'enter', 'pageUp', 'pageDown', 'delete', 'home', 'end', 'up', 'tab', 'backspace', 'escape']);
  });
});
