// Command-line parsing of the stand-in tofu: `[-chdir=DIR] <command> [flags] [args]`.

export interface TofuArgs {
  chdir?: string;
  command: string;
  json: boolean;
  out?: string;
  varFiles: string[];
  destroy: boolean;
  autoApprove: boolean;
  lock: boolean;
  positional: string[];
}

export function parseTofuArgs(argv: string[]): TofuArgs {
  const a: TofuArgs = { command: '', json: false, varFiles: [], destroy: false, autoApprove: false, lock: true, positional: [] };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('-'); i++) {
    const m = /^-chdir=(.*)$/.exec(argv[i]);
    if (m) a.chdir = m[1];
    if (argv[i] === '-version' || argv[i] === '--version' || argv[i] === '-v') a.command = 'version';
  }
  if (!a.command) a.command = argv[i++] ?? '';
  for (; i < argv.length; i++) {
    const x = argv[i].replace(/^--/, '-');
    const [flag, value] = x.includes('=') ? [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)] : [x, undefined];
    switch (flag) {
      case '-json':
        a.json = true;
        break;
      case '-out':
        a.out = value ?? argv[++i];
        break;
      case '-var-file':
        a.varFiles.push(value ?? argv[++i]);
        break;
      case '-destroy':
        a.destroy = value !== 'false';
        break;
      case '-auto-approve':
        a.autoApprove = true;
        break;
      case '-lock':
        a.lock = value !== 'false';
        break;
      default:
        if (!x.startsWith('-')) a.positional.push(argv[i]);
    }
  }
  return a;
}
