// Fallback parser of ansible's `default` stdout callback (ANSIBLE_NOCOLOR=1), for runs where the
// jsonl callback is not in effect: PLAY/TASK headers, per-host results and the PLAY RECAP.
import { resultMessage, type AnsibleProgress, type HostProgress } from './events.js';

const PLAY = /^PLAY \[(.*)\] \**$/;
const TASK = /^(?:TASK|RUNNING HANDLER) \[(.*)\] \**$/;
const RESULT =
  /^(ok|changed|skipping|fatal|failed|unreachable|included|rescued|ignored): \[([^\]]+?)(?: -> [^\]]+)?\](: FAILED!|:? UNREACHABLE!)?(?: => (.*))?$/;
const RECAP_HEAD = /^PLAY RECAP \**$/;
const RECAP =
  /^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)/;

export interface DefaultParserState {
  inRecap: boolean;
  /** a multi-line `=> {` result being collected */
  pending?: { status: string; host: string; unreachable: boolean; text: string; depth: number };
}

export function newDefaultParserState(): DefaultParserState {
  return { inRecap: false };
}

function depthOf(s: string): number {
  let d = 0;
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '{' || c === '[') d++;
    else if (c === '}' || c === ']') d--;
  }
  return d;
}

const hostOf = (p: AnsibleProgress, h: string): HostProgress =>
  (p.hosts[h] ??= { ok: 0, changed: 0, failed: 0, unreachable: 0, skipped: 0 });

function record(p: AnsibleProgress, status: string, h: string, unreachable: boolean, json?: string): void {
  const hp = hostOf(p, h);
  hp.last = p.task;
  let r: Record<string, unknown> = {};
  if (json) {
    try {
      r = JSON.parse(json) as Record<string, unknown>;
    } catch {
      r = { msg: json };
    }
  }
  if (status === 'ok' || status === 'changed') {
    hp.ok++;
    if (status === 'changed') hp.changed++;
    hp.status = status;
  } else if (status === 'skipping') {
    hp.skipped++;
    hp.status = 'skipped';
  } else if (status === 'fatal' || status === 'failed' || status === 'unreachable') {
    const isUnreachable = unreachable || status === 'unreachable';
    if (isUnreachable) hp.unreachable++;
    else hp.failed++;
    hp.status = isUnreachable ? 'unreachable' : 'failed';
    p.failures.push({ host: h, task: p.task ?? '', msg: resultMessage(r), ...(isUnreachable ? { unreachable: true } : {}) });
  }
}

/** Fold one line of default output into the progress. */
export function foldDefaultLine(p: AnsibleProgress, st: DefaultParserState, line: string): void {
  if (st.pending) {
    st.pending.text += `\n${line}`;
    st.pending.depth += depthOf(line);
    if (st.pending.depth <= 0) {
      const { status, host, unreachable, text } = st.pending;
      st.pending = undefined;
      record(p, status, host, unreachable, text);
    }
    return;
  }
  let m: RegExpExecArray | null;
  if ((m = PLAY.exec(line))) {
    p.play = m[1];
    p.plays++;
    st.inRecap = false;
  } else if ((m = TASK.exec(line))) {
    p.task = m[1];
    p.tasks++;
  } else if (RECAP_HEAD.test(line)) {
    st.inRecap = true;
    p.recap = {};
  } else if (st.inRecap && (m = RECAP.exec(line))) {
    const n = (i: number) => Number(m![i]);
    p.recap![m[1]] = { ok: n(2), changed: n(3), unreachable: n(4), failures: n(5), skipped: n(6), rescued: n(7), ignored: n(8) };
  } else if ((m = RESULT.exec(line))) {
    const [, status, h, flag, json] = m;
    const unreachable = flag !== undefined && flag.endsWith('UNREACHABLE!');
    if (json !== undefined && depthOf(json) > 0) {
      st.pending = { status, host: h, unreachable, text: json, depth: depthOf(json) };
      return;
    }
    record(p, status, h, unreachable, json);
  } else if (line === '...ignoring') {
    // the failure just recorded was ignored: it does not fail the run
    const last = p.failures.pop();
    if (last) {
      const hp = hostOf(p, last.host);
      hp.failed = Math.max(0, hp.failed - 1);
      hp.status = 'ok';
    }
  }
}
