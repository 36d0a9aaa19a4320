// The stream Ink writes to: the session's own stdout with one correction to Ink 6.8's
// incremental renderer. When a frame ends with a newline (our root is rows - 1 tall, so it
// always does), Ink parks the cursor on the row below the frame but moves up only
// `lines - 1` rows before redrawing, so every later frame lands one row too low and the last
// row scrolls the screen. A frame that starts with a bare cursor-up is exactly that case
// (the shrinking case starts with an erase and is right), so it gets one row more.
const LEADING_UP = /^\x1b\[(\d+)A/;

export function inkStdout(out: NodeJS.WriteStream): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (typeof chunk === 'string') {
      const m = LEADING_UP.exec(chunk);
      if (m) chunk = `\x1b[${Number(m[1]) + 1}A${chunk.slice(m[0].length)}`;
    }
    return (out.write as (...a: unknown[]) => boolean)(chunk, ...rest);
  };
  return new Proxy(out, {
    get(target, prop) {
      if (prop === 'write') return write;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
