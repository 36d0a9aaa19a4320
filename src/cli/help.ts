// `--help` for every subcommand: `onedeck status --help`, `onedeck help status`.
import { USAGE } from './args.js';

const COMMON = `Options every command takes:
  -c, --config <file>   onedeck.yaml to use (default: ./onedeck.yaml, then $XDG_CONFIG_HOME/onedeck/config.yaml)
      --sandbox         use the built-in sandbox cluster even if a config exists
      --debug           print stack traces of errors`;

export const COMMAND_HELP: Record<string, string> = {
  status: `onedeck status [--json] [options]

Sweeps every host once (Scaleway, OpenNebula, SSH) and prints the table the UI shows, each host's
other reasons, drift, and sources that could not be read. With no config it uses the sandbox,
which must be running (onedeck sandbox start).
  --json   the model as JSON (never cut)
Exit code: 0 healthy, 1 degraded (or pending, or drift), 2 a host down or a source not readable.

${COMMON}`,
  doctor: `onedeck doctor [--json] [options]

Checks every prerequisite and says how to fix each one: Node, tofu/terraform, ansible-playbook and
its Galaxy collections, an SSH key and agent, Scaleway credentials (one read-only call) with their
project and zone, the Elastic Metal offer's stock, onedeck.yaml, free disk, and the OpenNebula
frontend with the version that answers. Each line is OK, WARN or FAIL.
  --json   the same checks as JSON
Exit code: 0 when nothing FAILs (WARNs allowed), 1 when a check FAILs.

${COMMON}`,
  init: `onedeck init [options]

A guided form that writes a commented onedeck.yaml (zone and project from your scw profile, the
cluster name, the hypervisors, the subnets, the OpenNebula version), then opens the main screen
with the first-deployment steps. It never overwrites an existing file without asking.
  -c, --config <file>   where to write it (default: ./onedeck.yaml)`,
  info: `onedeck info [--json] [options]

Prints the config file in use and every path onedeck writes: state, logs, the audit log, jobs,
the job lock, saved logs (ctrl-s), the sandbox.
  --json   the same as a JSON object

${COMMON}`,
  run: `onedeck run ACTION [ARGS…] [--yes] [--confirm NAME] [--json] [options]
onedeck run --list [--json]

Runs one action headless, as its key would in the UI: the same read-only refusal, disabled
reasons and confirmations. A job's log streams to stdout.
  --list            list the actions (only those that change the cluster run headless)
  -y, --yes         answer the action's y/N question
      --confirm NAME  the name a destroying run asks you to type
      --json        JSON lines: started, log, end, refused, confirm
      --readonly    refuse every action that changes the cluster
ctrl-c stops watching; the job goes on, detached (exit 130).
Exit code: 0 the job succeeded, 1 it failed or was cancelled, or the action was refused.

${COMMON}`,
  sandbox: `onedeck sandbox <command>

Manages the built-in sandbox cluster (a fake Scaleway API and simulated hosts on loopback):
  status | start | stop | reset
  host <name> ssh down|up
  host <name> one-state ERROR|MONITORED|DISABLED|OFFLINE [message]
  host <name> libvirtd active|inactive
  host <name> hook-log INFO|ERROR <message>
  fail <step> | fail clear      make the next run of a step fail
  knob <name> <value>           tune the simulation, or limit its credentials (key-access readonly, ssh-sudo no)`,
  completion: `onedeck completion bash|zsh

Prints a shell completion script for onedeck's commands, options and actions. Install it with:
  bash:  onedeck completion bash > ~/.local/share/bash-completion/completions/onedeck
  zsh:   onedeck completion zsh > "\${fpath[1]}/_onedeck"   (then: compinit)
Or for this shell only: source <(onedeck completion bash)`,
  help: `onedeck help [COMMAND]

Prints onedeck's help, or one command's (the same as onedeck COMMAND --help).`,
};

export function helpFor(command: string | undefined): string {
  return (command && COMMAND_HELP[command]) || USAGE;
}
