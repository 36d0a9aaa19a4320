// IPv4 networks in CIDR form, as onedeck.yaml writes them: parsed strictly (node:net says what an
// IPv4 address is), with the host bits checked and an overlap test between two networks.
import { isIPv4 } from 'node:net';

export interface Cidr {
  /** the network address as an unsigned 32-bit number */
  base: number;
  prefix: number;
}

export type CidrResult = { ok: true; cidr: Cidr } | { ok: false; problem: string; fix?: string };

const toInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
export const intToIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

export function parseCidr(text: string): CidrResult {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return { ok: false, problem: 'must be an IPv4 network in CIDR form such as 10.16.0.0/20' };
  const [, ip, p] = m;
  if (!isIPv4(ip)) return { ok: false, problem: `has ${ip}, which is not an IPv4 address` };
  const prefix = Number(p);
  if (prefix > 32) return { ok: false, problem: `has a prefix length of ${prefix}, more than 32` };
  const addr = toInt(ip);
  const base = (addr & maskOf(prefix)) >>> 0;
  if (base !== addr) {
    const net = `${intToIp(base)}/${prefix}`;
    return { ok: false, problem: `has host bits set (the network of ${text} is ${net})`, fix: net };
  }
  return { ok: true, cidr: { base, prefix } };
}

/** Whether two networks share an address (one contains the other, or they are equal). */
export function overlaps(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  const m = maskOf(p);
  return ((a.base & m) >>> 0) === ((b.base & m) >>> 0);
}
