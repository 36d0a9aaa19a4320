// Choosing among a server's addresses: real Elastic Metal servers may list their IPv6 address
// first, and a server has addresses on two private networks (management and vm-to-vm), each with
// an IPv4 and possibly an IPv6 address from IPAM.

export function isIPv4(ip: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(ip) && ip.split('.').every((o) => Number(o) <= 255);
}

function toInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** Is `ip` (IPv4) inside `cidr` (IPv4 a.b.c.d/n)? */
export function inIPv4Subnet(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (!isIPv4(ip) || !isIPv4(net) || !(prefix >= 0 && prefix <= 32)) return false;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return ((toInt(ip) & mask) >>> 0) === ((toInt(net) & mask) >>> 0);
}

/** Addresses with their IP version (as the Scaleway API gives it), IPv4 first, otherwise in order. */
export function ipv4First(ips: { address: string; version?: string }[]): string[] {
  const v4 = (ip: { address: string; version?: string }) => (ip.version ? ip.version === 'IPv4' : isIPv4(ip.address));
  return [...ips.filter(v4), ...ips.filter((ip) => !v4(ip))].map((ip) => ip.address);
}

/**
 * The management private IP among a server's private-network addresses: the IPv4 address inside
 * `privateSubnet` (onedeck.yaml networks.private_subnet); without a subnet, the first IPv4 one.
 * Never an IPv6 address, never one of the vm-to-vm network.
 */
export function pickPrivateIp(networks: { ips: string[] }[], privateSubnet?: string): string | undefined {
  const ips = networks.flatMap((p) => p.ips).filter(isIPv4);
  return privateSubnet ? ips.find((ip) => inIPv4Subnet(ip, privateSubnet)) : ips[0];
}
