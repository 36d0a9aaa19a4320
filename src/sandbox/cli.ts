// `onedeck sandbox status|start|stop|reset|host <name> …`: short human output, exit 0/1/64.
import { FAIL_USAGE, HOST_USAGE, KNOB_USAGE } from './control-commands.js';
import { ensureSandbox, resetSandbox, sandboxCommand, sandboxStatus, stopSandbox } from './config.js';

const USAGE = `usage: onedeck sandbox status|start|stop|reset|host <name> …|fail <step>|knob <name> <value>\n  ${HOST_USAGE}\n  ${FAIL_USAGE}\n  ${KNOB_USAGE}`;

export async function runSandboxCommand(
  args: string[],
  opts: { dir: string; repoRoot: string; distDir: string; out: (s: string) => void },
): Promise<number> {
  const [cmd, ...rest] = args;
  const { dir, out } = opts;
  switch (cmd) {
    case 'status': {
      const st = await sandboxStatus(dir);
      if (!st) {
        out(`sandbox: not running (${dir})`);
        return 1;
      }
      out(`sandbox: running (pid ${st.pid}), Scaleway API ${st.apiUrl}, dir ${dir}`);
      for (const l of st.hosts) out(`  ${l}`);
      return 0;
    }
    case 'start': {
      const r = await ensureSandbox(opts);
      out(`sandbox: running; config ${r.configFile}`);
      return 0;
    }
    case 'stop':
      out((await stopSandbox(dir)) ? 'sandbox: stopped' : 'sandbox: was not running');
      return 0;
    case 'reset': {
      await ensureSandbox(opts);
      const r = await resetSandbox(dir);
      out(`sandbox: ${r.message}`);
      return r.code;
    }
    case 'host': {
      if (rest.length < 3) {
        out(USAGE);
        return 64;
      }
      await ensureSandbox(opts);
      const r = await sandboxCommand(dir, ['host', ...rest]);
      out(r.code === 64 ? r.message : `sandbox: ${r.message}`);
      return r.code;
    }
    case 'fail':
    case 'knob': {
      if (rest.length < 1) {
        out(USAGE);
        return 64;
      }
      await ensureSandbox(opts);
      const r = await sandboxCommand(dir, [cmd, ...rest]);
      out(r.code === 64 ? r.message : `sandbox: ${r.message}`);
      return r.code;
    }
    default:
      out(USAGE);
      return 64;
  }
}
