// Keys while a prompt is open: the prompt takes them all. Submitting runs through the executor
// like any key, so read-only and confirmations apply the same way.
import type { Key } from 'ink';
import type { ConfirmAnswer } from '../../src/actions/executor.js';
import type { Prompt } from '../../src/store/ui-store.js';
import { printable } from './keys.js';
import { completeText } from '../../src/actions/command-completion.js';
import type { TuiOptions } from './options.js';

type Deps = Pick<TuiOptions, 'ui' | 'cluster' | 'registry' | 'executor' | 'session'>;

/** Tab on the command line: the action name, then its arguments as the action declares (src/actions/command-completion.ts) */
export function completeCommand(text: string, d: Deps): string {
  return completeText(text, d.registry, d.cluster.getState());
}

function setText(d: Deps, p: Prompt, text: string): void {
  if (p.kind === 'filter') {
    const inverted = text.startsWith('!');
    d.ui.setState({ prompt: { ...p, text }, filter: inverted ? text.slice(1) : text, filterInverted: inverted || (p.text.startsWith('!') ? false : d.ui.getState().filterInverted), selected: 0 });
  } else d.ui.setState({ prompt: { ...p, text } });
}

function cancel(d: Deps, why: string): void {
  d.ui.setState({ prompt: undefined, flash: { level: 'info', text: why, at: Date.now() } });
}

export function handlePromptKey(input: string, key: Key, d: Deps): void {
  const p = d.ui.getState().prompt;
  if (!p) return;
  const run = (id: string, args: string[], answer?: ConfirmAnswer) => void d.executor.run(id, args, d.session, d.ui, answer);

  if (p.kind === 'confirm') {
    if (input === 'y' || input === 'Y') {
      d.ui.setState({ prompt: undefined });
      if (p.onYes) run(p.onYes.action, p.onYes.args ?? [], { token: p.onYes.token, text: 'y' });
    } else cancel(d, 'cancelled: nothing was run');
    return;
  }
  if (key.escape) {
    if (p.kind === 'filter') d.ui.setState({ prompt: undefined, filter: '', filterInverted: false, selected: 0 });
    else if (p.kind === 'typed-confirm') cancel(d, 'cancelled: nothing was run');
    else d.ui.setState({ prompt: undefined });
    return;
  }
  if (key.return) {
    d.ui.setState({ prompt: undefined });
    if (p.kind === 'typed-confirm') {
      if (p.text === p.expect && p.onYes) run(p.onYes.action, p.onYes.args ?? [], { token: p.onYes.token, text: p.text });
      else cancel(d, `cancelled: you typed "${p.text}", not "${p.expect}"; nothing was run`);
    } else if (p.kind === 'command') {
      const [name, ...args] = p.text.trim().replace(/^:/, '').split(/\s+/);
      if (name) run(name, args);
    } else if (p.kind === 'search') run('search', p.text ? [p.text] : []);
    return;
  }
  if (key.tab && p.kind === 'command') return setText(d, p, completeCommand(p.text, d));
  if (key.backspace || key.delete) return setText(d, p, p.text.slice(0, -1));
  // ctrl-u clears the line, as in a shell: on the filter line that clears the filter
  if (key.ctrl && input === 'u') return setText(d, p, '');
  const add = printable(input, key);
  if (add) setText(d, p, p.text + add);
}
