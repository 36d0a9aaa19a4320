// A very small POSIX-shell interpreter for the command lines onedeck sends: `a && b || c; d`,
// `if …; then …; else …; fi`, `set -- <globs>`, `"$@"`/`$1`, `[ … ]`, `exec`, `sh -c '…'`.
import { splitCommandLine, unwrap, type SimpleCommand } from './shell-words.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
  /** log files a `tail -f/-F` keeps following after the initial output */
  follow?: string[];
}

export interface ShellHost {
  /** run a simple command (already expanded, prefixes such as sudo stripped) */
  simple(cmd: SimpleCommand): ExecResult;
  /** expand one glob word against the host's files; no match keeps the word */
  glob(word: string): string[];
  exists(path: string): boolean;
  /** false: the logged-in user may not sudo (sudo -n says a password is required) */
  sudo?: boolean;
  /** the logged-in user */
  user?: string;
}

/** `$(id -u)`, `$(whoami)`: root, unless the user may not sudo (then an ordinary user, uid 1000) */
const subst = (w: string, host: ShellHost) =>
  host.sudo === false ? w.replace(/\$\(id -u\)/g, '1000').replace(/\$\(whoami\)/g, host.user ?? 'ubuntu') : w.replace(/\$\(id -u\)/g, '0').replace(/\$\(whoami\)/g, 'root');

function expand(argv: string[], positional: string[], host: ShellHost): string[] {
  return argv.flatMap((w) => {
    if (w === '$@' || w === '$*') return positional;
    return [subst(w, host).replace(/\$(\d)/g, (_m, d: string) => (d === '0' ? 'sh' : (positional[Number(d) - 1] ?? '')))];
  });
}

function test(args: string[], host: ShellHost): number {
  const a = args[args.length - 1] === ']' ? args.slice(0, -1) : args;
  if (a.length === 3 && (a[1] === '=' || a[1] === '!=' || a[1] === '-eq' || a[1] === '-ne')) {
    const eq = a[0] === a[2];
    return (a[1] === '=' || a[1] === '-eq') === eq ? 0 : 1;
  }
  if (a.length === 2 && ['-e', '-f', '-d', '-r', '-s'].includes(a[0])) return host.exists(a[1]) ? 0 : 1;
  if (a.length === 2 && a[0] === '-n') return a[1] ? 0 : 1;
  if (a.length === 2 && a[0] === '-z') return a[1] ? 1 : 0;
  return 2;
}

export function runScript(line: string, host: ShellHost, positional: string[] = [], depth = 0): ExecResult {
  const out: ExecResult = { stdout: '', stderr: '', code: 0 };
  // if/then/else state: `skip` is true while inside a branch that does not run
  const stack: { cond: boolean; inElse: boolean; inCond: boolean }[] = [];
  const skipping = () => stack.some((f) => (f.inCond ? false : f.inElse ? f.cond : !f.cond));
  let pos = positional;
  for (const { op, cmd } of splitCommandLine(line).items) {
    let argv = cmd.argv;
    const kw = argv[0];
    if (kw === 'if') {
      stack.push({ cond: false, inElse: false, inCond: true });
      argv = argv.slice(1);
      if (argv.length === 0) continue;
    } else if (kw === 'then' || kw === 'else') {
      const f = stack[stack.length - 1];
      if (!f) return { ...out, stderr: out.stderr + `sh: 1: Syntax error: "${kw}" unexpected\n`, code: 2 };
      if (kw === 'then') {
        f.cond = out.code === 0;
        f.inCond = false;
      } else f.inElse = true;
      argv = argv.slice(1);
      if (argv.length === 0) continue;
    } else if (kw === 'fi') {
      stack.pop();
      continue;
    }
    if (skipping()) continue;
    if (!(op === '&&' && out.code !== 0) && !(op === '||' && out.code === 0)) {
      const words = expand(argv, pos, host);
      const { argv: bare, script } = unwrap(words);
      let r: ExecResult;
      if (words[0] === 'sudo' && host.sudo === false) {
        r = { stdout: '', stderr: 'sudo: a password is required\n', code: 1 };
      } else if (bare[0] === 'set' && bare[1] === '--') {
        pos = bare.slice(2).flatMap((w) => host.glob(w));
        r = { stdout: '', stderr: '', code: 0 };
      } else if (bare[0] === '[' || bare[0] === 'test') {
        r = { stdout: '', stderr: '', code: test(bare.slice(1), host) };
      } else if (script !== undefined && depth < 4) {
        const ci = bare.findIndex((x) => /^-\w*c$/.test(x));
        r = runScript(script, host, bare.slice(ci + 3), depth + 1);
      } else {
        r = host.simple({ argv: bare, redirect: cmd.redirect });
      }
      out.stdout += r.stdout;
      out.stderr += r.stderr;
      out.code = r.code;
      if (r.follow) return { ...out, follow: r.follow };
    }
  }
  return out;
}
