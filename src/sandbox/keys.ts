// SSH keys of the sandbox: one ed25519 client key (onedeck and the stand-in tools log in with it)
// and one host key per simulated host, generated once into the sandbox directory.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';

const { utils } = ssh2;

export const clientKeyPath = (dir: string) => join(dir, 'client_ed25519');
export const hostKeyPath = (dir: string, host: string) => join(dir, 'keys', `${host}_ed25519`);

function ensureKeyPair(file: string, comment: string): { privateKey: string; publicKey: string } {
  if (!existsSync(file) || !existsSync(`${file}.pub`)) {
    const k = utils.generateKeyPairSync('ed25519', { comment });
    writeFileSync(file, k.private, { mode: 0o600 });
    writeFileSync(`${file}.pub`, `${k.public.trim()}\n`, { mode: 0o644 });
  }
  return { privateKey: readFileSync(file, 'utf8'), publicKey: readFileSync(`${file}.pub`, 'utf8').trim() };
}

export function ensureClientKey(dir: string) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return ensureKeyPair(clientKeyPath(dir), 'onedeck-sandbox-client');
}

export function ensureHostKey(dir: string, host: string) {
  mkdirSync(join(dir, 'keys'), { recursive: true, mode: 0o700 });
  return ensureKeyPair(hostKeyPath(dir, host), `onedeck-sandbox-${host}`);
}

/** `ssh-ed25519 AAAA…` without the comment: the known_hosts key field. */
export const keyField = (publicKey: string) => publicKey.split(/\s+/).slice(0, 2).join(' ');
