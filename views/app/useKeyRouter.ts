// The one keyboard handler: a prompt takes every key; otherwise a key is named, looked up in the
// registry for the current screen, and run through the executor (which enforces read-only).
import { useCallback, useRef } from 'react';
import { useInput, type Key } from 'ink';
import { currentScreen } from '../../src/store/ui-store.js';
import { useTui, type TuiCtx } from './context.js';
import { keyName, splitChunk } from './keys.js';
import { handlePromptKey } from './prompt-keys.js';

/** `tooSmall`: the terminal cannot show onedeck; only q and ctrl+c (quit) act, nothing runs blind */
export function useKeyRouter(tooSmall = false): void {
  const opts = useTui();
  const ref = useRef(opts);
  ref.current = opts;
  const small = useRef(tooSmall);
  small.current = tooSmall;
  // a stable handler: Ink 6.8 re-subscribes useInput whenever the handler changes
  const onKey = useCallback((input: string, key: Key) => {
    const d = ref.current;
    if (small.current) {
      const name = keyName(input, key);
      if (name === 'q' || name === 'ctrl+c') void d.executor.run('quit', [], d.session, d.ui);
      return;
    }
    // a chunk of several keys (fast typing, a paste): handle them one by one, as if pressed apart
    if (input.length > 1 && !key.ctrl && !key.meta && keyName(input, key) === undefined) {
      const wasConfirming = isConfirm(d.ui.getState().prompt?.kind);
      for (const piece of splitChunk(input)) {
        // a confirmation is never answered by keys that arrived with the one that asked for it
        if (!wasConfirming && isConfirm(d.ui.getState().prompt?.kind)) break;
        handleKey(piece.input, piece.key, d);
      }
      return;
    }
    handleKey(input, key, d);
  }, []);
  useInput(onKey);
}

const isConfirm = (kind: string | undefined) => kind === 'confirm' || kind === 'typed-confirm';

function handleKey(input: string, key: Key, d: TuiCtx): void {
  const s = d.ui.getState();
  const name = keyName(input, key);
  // a message dialog (a broken onedeck.yaml) closes on any key, and that key does nothing else
  if (s.dialog && name !== 'ctrl+c') return void d.ui.setState({ dialog: undefined });
  // ctrl+c always reaches quit, even with a prompt open
  if (s.prompt && name !== 'ctrl+c') return handlePromptKey(input, key, d);
  if (!name) {
    // a run of text outside a prompt: each character is a key (the first may open a prompt for the rest)
    if (input.length > 1 && !key.ctrl && !key.meta) {
      const chars = [...input];
      for (let i = 0; i < chars.length; i++) {
        if (d.ui.getState().prompt) {
          if (!isConfirm(d.ui.getState().prompt?.kind)) handlePromptKey(chars.slice(i).join(''), key, d);
          return;
        }
        const def = d.registry.forKey(currentScreen(d.ui.getState()).id, chars[i]);
        if (def) void run(d, def.id);
      }
    }
    return;
  }
  const def = d.registry.forKey(currentScreen(s).id, name);
  if (def) void run(d, def.id);
}

/** run an action for a key, with the size of what the key acts on as the screen shows it */
function run(d: TuiCtx, id: string): void {
  void d.executor.run(id, [], d.session, d.ui, undefined, { viewport: d.viewport.current });
}
