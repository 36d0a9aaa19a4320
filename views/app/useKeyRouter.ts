// The one keyboard handler: a prompt takes every key; otherwise a key is named, looked up in the
// registry for the current screen, and run through the executor (which enforces read-only).
import { useCallback, useRef } from 'react';
import { useInput, type Key } from 'ink';
import { currentScreen } from '../../src/store/ui-store.js';
import { useTui } from './context.js';
import { keyName } from './keys.js';
import { handlePromptKey } from './prompt-keys.js';

export function useKeyRouter(): void {
  const opts = useTui();
  const ref = useRef(opts);
  ref.current = opts;
  // a stable handler: Ink 6.8 re-subscribes useInput whenever the handler changes
  const onKey = useCallback((input: string, key: Key) => {
    const d = ref.current;
    const s = d.ui.getState();
    const name = keyName(input, key);
    // ctrl+c always reaches quit, even with a prompt open
    if (s.prompt && name !== 'ctrl+c') return handlePromptKey(input, key, d);
    if (!name && input.length > 1 && !key.ctrl && !key.meta) {
      // keys typed faster than one read arrive together ("jj", ":jobs"): run them one by one, and
      // once one opens a prompt the rest is typed into it
      const chars = [...input];
      for (let i = 0; i < chars.length; i++) {
        const def = d.registry.forKey(currentScreen(d.ui.getState()).id, chars[i]);
        if (def) void d.executor.run(def.id, [], d.session, d.ui);
        if (d.ui.getState().prompt) {
          const rest = chars.slice(i + 1).join('');
          if (rest) handlePromptKey(rest, key, d);
          break;
        }
      }
      return;
    }
    if (!name) return;
    const def = d.registry.forKey(currentScreen(s).id, name);
    if (def) void d.executor.run(def.id, [], d.session, d.ui);
  }, []);
  useInput(onKey);
}
