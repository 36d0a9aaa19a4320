// Who is at one terminal: an operator session. Every call that changes the cluster carries one,
// so jobs, locks and the audit log name the person who asked, whatever process serves them.
/** One operator session (a terminal). Read-only is a property of the session, not of the UI. */
export interface Session {
  id: string;
  readonly: boolean;
  user: string;
  from?: string;
}
