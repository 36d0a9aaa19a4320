// Command-line parsing with node:util's parseArgs (built into Node, no dependency needed).
import { parseArgs } from 'node:util';
import { ExitCode, OnedeckError } from '../errors.js';

export type CommandName = 'tui' | 'status' | 'info' | 'sandbox' | 'run' | 'add' | 'remove' | 'doctor' | 'init' | 'completion' | 'help' | 'version';

export interface CliArgs {
  command: CommandName;
  rest: string[];
  config?: string;
  sandbox: boolean;
  readonly: boolean;
  refresh?: number;
  json: boolean;
  noColor: boolean;
  debug: boolean;
  /** run: answer a y/N confirmation */
  yes: boolean;
  /** run: the text a typed confirmation expects (what a destroy names) */
  confirm?: string;
  /** run: list the actions */
  list: boolean;
}

/** the subcommands, in the order --help lists them (completion reads them too) */
export const COMMAND_NAMES = ['status', 'doctor', 'init', 'info', 'run', 'add', 'remove', 'sandbox', 'completion', 'help'] as const;
const COMMANDS = new Set<string>(COMMAND_NAMES);

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        sandbox: { type: 'boolean', default: false },
        readonly: { type: 'boolean', default: false },
        refresh: { type: 'string', short: 'r' },
        json: { type: 'boolean', default: false },
        'no-color': { type: 'boolean', default: false },
        debug: { type: 'boolean', default: false },
        yes: { type: 'boolean', short: 'y', default: false },
        confirm: { type: 'string' },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'V', default: false },
      },
    });
  } catch (err) {
    throw new OnedeckError(`${(err as Error).message.replace(/\. To specify.*$/s, '')}.`, {
      hint: 'Run onedeck --help for the commands and options.',
      exitCode: ExitCode.usage,
    });
  }
  const { values, positionals } = parsed;
  if (values.refresh !== undefined) {
    const refresh = Number(values.refresh);
    // the bounds of refresh_seconds in onedeck.yaml; past 2^31 ms a Node timer overflows
    if (!Number.isFinite(refresh) || refresh < 1 || refresh > 3600) {
      throw new OnedeckError(`--refresh must be a number of seconds from 1 to 3600, got "${values.refresh}".`, {
        hint: 'For example: onedeck --refresh 10 (at most 3600, one hour).',
        exitCode: ExitCode.usage,
      });
    }
  }
  const [first, ...rest] = positionals;
  let command: CommandName = 'tui';
  // `onedeck status --help` and `onedeck help status`: that command's help (rest names it)
  if (values.help) return { ...base(values), command: 'help', rest: first !== undefined && COMMANDS.has(first) ? [first] : [] };
  if (values.version) command = 'version';
  else if (first !== undefined) {
    if (!COMMANDS.has(first)) {
      throw new OnedeckError(`unknown command "${first}".`, {
        hint: `Commands: ${COMMAND_NAMES.join(', ')}. Run onedeck --help.`,
        exitCode: ExitCode.usage,
      });
    }
    command = first as CommandName;
  }
  return { ...base(values), command, rest };
}

type Values = { [k: string]: string | boolean | undefined };

function base(values: Values): Omit<CliArgs, 'command' | 'rest' | 'refresh'> & { refresh?: number } {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const bool = (k: string) => values[k] === true;
  return {
    config: str('config'),
    sandbox: bool('sandbox'),
    readonly: bool('readonly'),
    refresh: values.refresh === undefined ? undefined : Number(values.refresh),
    json: bool('json'),
    noColor: bool('no-color'),
    debug: bool('debug'),
    yes: bool('yes'),
    confirm: str('confirm'),
    list: bool('list'),
  };
}

export const USAGE = `onedeck — run an OpenNebula cloud on Scaleway Elastic Metal from the keyboard

Usage:
  onedeck [options]              open the full-screen UI (the sandbox cluster when no config is found)
  onedeck status [--json]        print every host's health; exit 0 healthy, 1 degraded, 2 down/unreachable
  onedeck info                   print the config, state and log paths in use
  onedeck run ACTION [ARGS…]     run one action headless, as its key would in the UI (scripts, cron):
                                   the same checks (read-only, disabled reasons, confirmations);
                                   a job's log streams to stdout; exit 0 when it succeeded,
                                   1 when it failed or was cancelled, or when the action was refused
                                   (read-only, disabled, or a confirmation not given)
                                   --yes answers a y/N question; a run that destroys needs
                                   --confirm NAME, NAME being what it destroys (as the question says)
                                   --json prints JSON lines: started, log, end, refused, confirm
                                   ctrl-c stops watching; the job goes on, detached (exit 130)
  onedeck run --list [--json]    list the actions (only those that change the cluster run headless)
  onedeck add [NAME…] --yes      add hypervisors (no name: the next free kvm-N) as one operation:
                                   config, plan (checked), apply, servers ready, network, OneDeploy,
                                   hooks, MONITORED; the preview is printed, one line per step event
                                   follows (--json: JSON lines); exit 0 done, 1 failed or refused
  onedeck remove NAME --yes --confirm NAME
                                 drain NAME's VMs to the other hosts, delete it from OpenNebula,
                                   destroy its server, take it out of onedeck.yaml; same output
  onedeck sandbox <command>      manage the built-in sandbox cluster:
                                   status | start | stop | reset
                                   host <name> ssh down|up
                                   host <name> one-state ERROR|MONITORED|DISABLED|OFFLINE [message]
                                   host <name> libvirtd active|inactive
                                   host <name> hook-log INFO|ERROR <message>

Options:
  -c, --config <file>   onedeck.yaml to use (default: ./onedeck.yaml, then $XDG_CONFIG_HOME/onedeck/config.yaml)
      --sandbox         use the built-in sandbox cluster even if a config exists
      --readonly        watch only: every action that changes the cluster is refused
  -r, --refresh <s>     health refresh interval in seconds (default: refresh_seconds from the config)
      --json            machine-readable output (status, run)
  -y, --yes             run: answer yes to the action's y/N question
      --confirm <text>  run: the name a destroying run asks you to type
      --no-color        no colours (NO_COLOR is honoured too)
      --debug           print stack traces of errors
  -h, --help            this help
  -V, --version         the version

Keys in the UI: ? help · : command line · / filter · r refresh · q quit
Credentials come from SCW_* variables or the scw CLI profile, never from onedeck.yaml.`;
