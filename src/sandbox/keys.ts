// SSH keys of the sandbox: one ed25519 client key (onedeck and the stand-in tools log in with it)
// and one host key per simulated host, generated once into the sandbox directory.
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';

const { utils } = ssh2;

export const clientKeyPath = (dir: string) => join(dir, 'client_ed25519');
export const hostKeyPath = (dir: string, host: string) => join(dir, 'keys', `${host}_ed25519`);

/**
 * ssh2's generator now and then writes an ed25519 key its own parser rejects (about 1 in 200,
 * measured): generate until the key parses, so no sandbox ever starts with a broken host key.
 */
function generateParsable(comment: string): { private: string; public: string } {
  for (let i = 0; i < 20; i++) {
    const k = utils.generateKeyPairSync('ed25519', { comment });
    if (!(utils.parseKey(k.private) instanceof Error)) return k;
  }
  throw new Error('could not generate a usable ed25519 key');
}

function ensureKeyPair(file: string, comment: string): { privateKey: string; publicKey: string } {
  // the CLI and the daemon may both get here first: create the private key atomically (link fails
  // if it exists), so both end up with the same key and nobody reads a half-written file
  if (!existsSync(file)) {
    const k = generateParsable(comment);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, k.private, { mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  const privateKey = readFileSync(file, 'utf8');
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) throw new Error(`sandbox key ${file} is unreadable: ${parsed.message}; remove it to make a new one`);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  const publicKey = `${key.type} ${key.getPublicSSH().toString('base64')} ${comment}`;
  if (!existsSync(`${file}.pub`) || readFileSync(`${file}.pub`, 'utf8').trim() !== publicKey) {
    writeFileSync(`${file}.pub.${process.pid}.tmp`, `${publicKey}\n`, { mode: 0o644 });
    renameSync(`${file}.pub.${process.pid}.tmp`, `${file}.pub`);
  }
  return { privateKey, publicKey };
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
