#!/usr/bin/env python3
# A pseudo-terminal for the bench: runs COMMAND in a new pty of COLS x ROWS, copies our stdin to
# the pty (what the user types) and the pty's output to our stdout (what the terminal receives),
# unchanged. The first line on stderr is "PID <n> FORK <t>": the command's pid (for /proc
# readings) and the wall-clock time it was forked at (Python's own start is not the command's).
# Exits with the command's exit status. (Python's pty instead of node-pty: no native build.)
import fcntl, os, pty, select, signal, struct, sys, termios, time

def main() -> int:
    cols, rows = int(sys.argv[1]), int(sys.argv[2])
    argv = sys.argv[4:] if sys.argv[3] == '--' else sys.argv[3:]
    forked = time.time()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    sys.stderr.write(f'PID {pid} FORK {forked:.6f}\n')
    sys.stderr.flush()
    stdin = sys.stdin.fileno()
    out = sys.stdout.fileno()
    fds = [fd, stdin]
    status = 0
    while True:
        try:
            r, _, _ = select.select(fds, [], [])
        except InterruptedError:
            continue
        if fd in r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b''
            if not data:
                break
            os.write(out, data)
        if stdin in r:
            data = os.read(stdin, 4096)
            if not data:
                fds.remove(stdin)
                os.kill(pid, signal.SIGHUP)
            else:
                os.write(fd, data)
    _, st = os.waitpid(pid, 0)
    status = os.waitstatus_to_exitcode(st)
    return status if status >= 0 else 128 - status

if __name__ == '__main__':
    sys.exit(main())
