// Who is at one terminal: an operator session. Every call that changes the cluster carries one,
// so jobs, locks and the audit log name the person who asked, whatever process serves them.
import { userInfo } from 'node:os';

/** One operator session (a terminal). Read-only is a property of the session, not of the UI. */
export interface Session {
  id: string;
  readonly: boolean;
  /** why it is read-only ("--readonly", "forced by /etc/onedeck/config.yaml for group colleagues"), when it is */
  readonlyReason?: string;
  /** the administrator forced read-only: nothing in the session turns it off */
  readonlyForced?: boolean;
  /** the operator: job records, the machine-wide lock and the audit log name them */
  user: string;
  /** where they connect from (the client address of $SSH_CONNECTION), if remote */
  from?: string;
  /** their terminal (a tty path, a tmux pane…), when known */
  terminal?: string;
}

/** Who is at this process's own terminal: $USER (else the account), and the client address of $SSH_CONNECTION. */
export function operatorFromEnv(env: NodeJS.ProcessEnv = process.env): { user: string; from?: string } {
  let user = env.USER || env.LOGNAME;
  if (!user) {
    try {
      user = userInfo().username;
    } catch {
      user = 'unknown';
    }
  }
  const from = env.SSH_CONNECTION?.split(' ')[0];
  return from ? { user, from } : { user };
}
