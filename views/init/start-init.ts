// Runs the init form on a terminal and resolves with the values (null: quit without writing).
import React from 'react';
import { render } from 'ink';
import { InitForm, type InitFormProps } from './InitForm.js';

export async function runInitForm(o: Omit<InitFormProps, 'done'> & { stdout: NodeJS.WriteStream; stdin: NodeJS.ReadStream }): Promise<InitFormProps['defaults'] | null> {
  let result: InitFormProps['defaults'] | null = null;
  const app = render(React.createElement(InitForm, { ...o, done: (v) => (result = v) }), { stdout: o.stdout, stdin: o.stdin, exitOnCtrlC: false });
  await app.waitUntilExit();
  return result;
}
