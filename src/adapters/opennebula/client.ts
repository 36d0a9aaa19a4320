// Reads OpenNebula's host and VM pools by running its CLI on the frontend over SSH as oneadmin.
import type { OpenNebulaView } from '../../domain/host.js';
import { OnedeckError } from '../../errors.js';
import { parseHostPool } from './hosts.js';
import { parseVmPool, type VmInfo } from './vms.js';

export interface RemoteExec {
  (command: string): Promise<{ stdout: string; stderr: string; code: number | null }>;
}

export interface OpenNebulaData {
  hosts: OpenNebulaView[];
  vms: VmInfo[];
  at: number;
}

export interface OpenNebulaReadOptions {
  commandPrefix: string;
  staleAfterSeconds: number;
  now?: () => number;
}

export async function readOpenNebula(exec: RemoteExec, opts: OpenNebulaReadOptions): Promise<OpenNebulaData> {
  const now = opts.now ?? Date.now;
  const [hostOut, vmOut] = await Promise.all([
    runCli(exec, opts.commandPrefix, 'onehost list -j'),
    runCli(exec, opts.commandPrefix, 'onevm list -j'),
  ]);
  const at = now();
  return {
    hosts: parseHostPool(parseCliJson(hostOut, 'onehost list -j'), { now: at, staleAfterSeconds: opts.staleAfterSeconds }),
    vms: parseVmPool(parseCliJson(vmOut, 'onevm list -j')),
    at,
  };
}

async function runCli(exec: RemoteExec, prefix: string, cmd: string): Promise<string> {
  const full = `${prefix.trim()} ${cmd}`.trim();
  const r = await exec(full);
  if (r.code !== 0) {
    const err = r.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300);
    if (/a password is required|a terminal is required|not in the sudoers/i.test(err)) {
      throw new OnedeckError(`\`${full}\` on the frontend: sudo refused to run it without a password (${err}).`, {
        hint: 'Allow the SSH user to run commands as oneadmin without a password, or set opennebula.command_prefix in onedeck.yaml.',
      });
    }
    if (r.code === 127 || /command not found/i.test(err)) {
      throw new OnedeckError(`\`${full}\` on the frontend: command not found.`, {
        hint: 'Is OpenNebula installed on the frontend yet? Run the deploy playbook first.',
      });
    }
    throw new OnedeckError(`\`${full}\` on the frontend failed (exit ${r.code ?? 'signal'}): ${err || 'no error output'}.`, {
      hint: 'Check that oned is running on the frontend (systemctl status opennebula) and that ONE_AUTH is readable by oneadmin.',
    });
  }
  return r.stdout;
}

/** Parse CLI JSON; an empty answer is an empty pool, anything else that is not JSON is an error. */
export function parseCliJson(text: string, what: string): unknown {
  const t = text.trim();
  if (t === '') return {};
  // some CLI versions print a warning before the document; start at the first brace
  const start = t.indexOf('{');
  const body = start > 0 ? t.slice(start) : t;
  try {
    return JSON.parse(body);
  } catch (cause) {
    throw new OnedeckError(
      `\`${what}\` on the frontend printed something that is not JSON (${(cause as Error).message}): ${JSON.stringify(t.slice(0, 80))}.`,
      { hint: 'Run the command on the frontend by hand as oneadmin to see what it prints.', cause },
    );
  }
}
