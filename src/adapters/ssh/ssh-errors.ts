// SSH failures as operator messages. A changed host key is an alarm, never a prompt to accept.
import { OnedeckError } from '../../errors.js';
import type { HostKeyOutcome } from './known-hosts.js';

export type SshFailure =
  | 'refused'
  | 'timeout'
  | 'auth'
  | 'hostkey-changed'
  | 'hostkey-unknown'
  | 'hostkey-revoked'
  | 'dns'
  | 'unreachable'
  | 'config'
  | 'closed'
  | 'other';

export class SshError extends OnedeckError {
  readonly kind: SshFailure;
  constructor(kind: SshFailure, message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, opts);
    this.name = 'SshError';
    this.kind = kind;
  }
}

export interface ConnectContext {
  /** user@host:port as shown to the operator */
  target: string;
  host: string;
  port: number;
  timeoutMs: number;
  keyDesc: string;
  hostKey?: HostKeyOutcome;
  knownHostsFiles: string[];
  /** the name looked up in known_hosts ("host", "[host]:port" or the HostKeyAlias) */
  knownHostsName?: string;
}

export function hostKeyError(ctx: ConnectContext, outcome: HostKeyOutcome): SshError {
  const where = ctx.knownHostsName ?? (ctx.port === 22 ? ctx.host : `[${ctx.host}]:${ctx.port}`);
  if (outcome.kind === 'mismatch') {
    return new SshError(
      'hostkey-changed',
      `ALARM: the host key for ${where} has CHANGED (expected ${outcome.expected.join(' or ')}, got ${outcome.got}). ` +
        'Someone may be intercepting the connection (possible man-in-the-middle), or the server was reinstalled. onedeck refused to connect.',
      {
        hint: `Verify the new fingerprint out of band (Scaleway console / BMC). Only if you know why it changed, remove the old key with \`ssh-keygen -R '${where}'\` and add the new one.`,
      },
    );
  }
  if (outcome.kind === 'revoked') {
    return new SshError('hostkey-revoked', `ALARM: ${where} presented a REVOKED host key (${outcome.got}); onedeck refused to connect.`, {
      hint: 'Find out why the server still uses a revoked key before going further.',
    });
  }
  return new SshError('hostkey-unknown', `unknown host key for ${where} (${ctx.knownHostsFiles.join(', ') || 'no known_hosts file'} has no entry); onedeck refused to connect.`, {
    hint: `Add it after checking the fingerprint: \`ssh-keyscan -p ${ctx.port} ${ctx.host} >> ~/.ssh/known_hosts\`, or ssh to it once by hand.`,
  });
}

/** Map an ssh2/net error thrown by connect() to an SshError. */
export function connectError(err: unknown, ctx: ConnectContext): SshError {
  if (err instanceof SshError) return err;
  if (ctx.hostKey && ctx.hostKey.kind !== 'ok') return hostKeyError(ctx, ctx.hostKey);
  const e = err as { message?: string; code?: string; level?: string };
  const msg = e?.message ?? String(err);
  const secs = `${Math.round(ctx.timeoutMs / 100) / 10}s`;
  if (e.code === 'ECONNREFUSED') {
    return new SshError('refused', `ssh ${ctx.target}: connection refused.`, {
      hint: 'Nothing listens on that port: is the server up and sshd running? Check the address and ssh port.',
      cause: err,
    });
  }
  if (e.level === 'client-timeout' || /timed out/i.test(msg) || e.code === 'ETIMEDOUT') {
    return new SshError('timeout', `ssh ${ctx.target}: timeout after ${secs} (no SSH handshake).`, {
      hint: 'The host is down, firewalled or overloaded. Raise ssh.timeout_seconds if the link is slow.',
      cause: err,
    });
  }
  if (e.level === 'client-authentication' || /authentication methods failed/i.test(msg)) {
    return new SshError('auth', `ssh ${ctx.target}: authentication failed (tried ${ctx.keyDesc}).`, {
      hint: 'Check ssh.key in onedeck.yaml, the keys loaded in ssh-agent (ssh-add -l) and the user (ssh.user).',
      cause: err,
    });
  }
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
    return new SshError('dns', `ssh ${ctx.target}: cannot resolve ${ctx.host}.`, { hint: 'Check the host name or ssh_config HostName.', cause: err });
  }
  if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH') {
    return new SshError('unreachable', `ssh ${ctx.target}: no route to host.`, { hint: 'Check the address and your network.', cause: err });
  }
  if (e.code === 'ECONNRESET') {
    return new SshError('closed', `ssh ${ctx.target}: the connection was reset during the handshake.`, {
      hint: 'sshd may be refusing this client (MaxStartups, AllowUsers, fail2ban); see its log.',
      cause: err,
    });
  }
  return new SshError('other', `ssh ${ctx.target}: ${msg}.`, { cause: err });
}
