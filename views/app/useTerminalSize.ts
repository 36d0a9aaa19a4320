// Rows and columns of the session's own terminal, following its resize events.
import { useEffect, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

const read = (out: NodeJS.WriteStream): TerminalSize => ({ columns: out.columns || 80, rows: out.rows || 24 });

export function useTerminalSize(out: NodeJS.WriteStream): TerminalSize {
  const [size, setSize] = useState(() => read(out));
  useEffect(() => {
    const onResize = () => {
      const next = read(out);
      setSize((prev) => (prev.columns === next.columns && prev.rows === next.rows ? prev : next));
    };
    out.on('resize', onResize);
    onResize();
    return () => {
      out.off('resize', onResize);
    };
  }, [out]);
  return size;
}
