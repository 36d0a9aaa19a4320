// The one error type of the core: what failed (message), how to fix it (hint), and why (cause).

/** Exit codes (sysexits where one fits). */
export const ExitCode = {
  ok: 0,
  degraded: 1,
  unreachable: 2,
  usage: 64,
  /** the output could not be written (a full disk, ENOSPC): sysexits EX_IOERR */
  ioError: 74,
  config: 78,
} as const;

export class OnedeckError extends Error {
  readonly hint?: string;
  readonly exitCode: number;
  override readonly cause?: unknown;

  constructor(message: string, opts: { hint?: string; cause?: unknown; exitCode?: number } = {}) {
    super(message);
    this.name = 'OnedeckError';
    this.hint = opts.hint;
    this.cause = opts.cause;
    this.exitCode = opts.exitCode ?? ExitCode.unreachable;
  }
}

/** One short paragraph for a person: the message, then the hint. Never a stack. */
export function describeError(err: unknown): string {
  if (err instanceof OnedeckError) return err.hint ? `${err.message}\n${err.hint}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

export function exitCodeOf(err: unknown): number {
  return err instanceof OnedeckError ? err.exitCode : ExitCode.unreachable;
}

/**
 * How to end when writing the command's own output failed: the reader went away (EPIPE, as in
 * `status --json | head -0`) is no error at all; a full disk (ENOSPC, `> /dev/full`) or another
 * write error is said in one line with exit 74. Undefined for anything else.
 */
export function outputFailure(err: unknown): { exitCode: number; message?: string } | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EPIPE') return { exitCode: ExitCode.ok };
  if (code === 'ENOSPC') return { exitCode: ExitCode.ioError, message: 'onedeck: cannot write the output: no space left on the device (ENOSPC).\n' };
  if (code === 'EIO' || code === 'EBADF' || code === 'EDQUOT' || code === 'EFBIG') {
    return { exitCode: ExitCode.ioError, message: `onedeck: cannot write the output (${code}).\n` };
  }
  return undefined;
}
