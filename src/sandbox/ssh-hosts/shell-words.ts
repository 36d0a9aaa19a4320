// Just enough of a POSIX shell's word splitting for the commands onedeck and the stand-in tools
// send: quotes, backslashes, `&&` / `;` / `||` lists, `> file` redirections.

export interface SimpleCommand {
  argv: string[];
  /** target of a `>` redirection, if any */
  redirect?: string;
}

export interface CommandList {
  /** each command with the operator that joins it to the previous one */
  items: { op: '&&' | ';' | '||' | null; cmd: SimpleCommand }[];
}

export function splitCommandLine(line: string): CommandList {
  const items: CommandList['items'] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let redirect: string | undefined;
  let expectRedirect = false;
  let op: '&&' | ';' | '||' | null = null;
  const endWord = () => {
    if (!inWord) return;
    if (expectRedirect) {
      redirect = word;
      expectRedirect = false;
    } else words.push(word);
    word = '';
    inWord = false;
  };
  const endCmd = (next: '&&' | ';' | '||') => {
    endWord();
    if (words.length) items.push({ op, cmd: { argv: words, redirect } });
    words = [];
    redirect = undefined;
    op = next;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const j = line.indexOf("'", i + 1);
      word += line.slice(i + 1, j < 0 ? line.length : j);
      inWord = true;
      i = j < 0 ? line.length : j;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1])) j++;
        word += line[j];
      }
      inWord = true;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (c === '\n' && words.length + (inWord ? 1 : 0) > 0) endCmd(';');
      else endWord();
    } else if (c === '&' && line[i + 1] === '&') {
      endCmd('&&');
      i++;
    } else if (c === '|' && line[i + 1] === '|') {
      endCmd('||');
      i++;
    } else if (c === ';') {
      endCmd(';');
    } else if (c === '>') {
      if (inWord && /^\d$/.test(word)) {
        // 2>/dev/null, 2>&1: other descriptors are not simulated, skip the redirection
        word = '';
        inWord = false;
        let j = i + 1;
        if (line[j] === '&') {
          j++;
          while (j < line.length && /\d/.test(line[j])) j++;
        } else {
          while (line[j] === ' ') j++;
          while (j < line.length && !' \t\n;&|'.includes(line[j])) j++;
        }
        i = j - 1;
        continue;
      }
      endWord();
      expectRedirect = true;
    } else {
      word += c;
      inWord = true;
    }
  }
  endCmd(';');
  return { items };
}

const SUDO_OPTS_WITH_ARG = new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '-R']);

/** Drop `sudo [opts]`, `env`, `VAR=value` prefixes; unwrap `sh -c '<script>'` as a new line. */
export function unwrap(argv: string[]): { argv: string[]; script?: string } {
  let a = [...argv];
  for (let guard = 0; guard < 8; guard++) {
    if (a[0] === 'sudo') {
      let i = 1;
      while (i < a.length && a[i].startsWith('-')) {
        if (a[i] === '--') {
          i++;
          break;
        }
        const opt = a[i];
        i += SUDO_OPTS_WITH_ARG.has(opt) || (/^-[a-zA-Z]*[ugCDhprtUTR]$/.test(opt) && opt.length > 2) ? 2 : 1;
      }
      a = a.slice(i);
    } else if (a[0] === 'env' || a[0] === 'exec') a = a.slice(1);
    else if (a[0] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a[0])) a = a.slice(1);
    else if ((a[0] === 'sh' || a[0] === 'bash' || a[0] === '/bin/sh' || a[0] === '/bin/bash') && a.find((x) => /^-\w*c$/.test(x))) {
      const ci = a.findIndex((x) => /^-\w*c$/.test(x));
      return { argv: a, script: a[ci + 1] ?? '' };
    } else break;
  }
  return { argv: a };
}
