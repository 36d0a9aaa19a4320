// The preview of a removal, before anything changes: the host's VMs and where the remaining
// enabled hosts have room for them (CPU and memory, first fit by size), or a refusal.
import { OnedeckError } from '../errors.js';
import type { HostCapacity, VmDemand } from './capacity.js';

export interface PlacedVm {
  vm: VmDemand;
  /** the host that has room for it (OpenNebula NAME and hostname), or undefined */
  to?: { id: string; name: string; hostname?: string };
}

export interface RemovalPreview {
  host: HostCapacity;
  vms: PlacedVm[];
  /** each remaining enabled host's free room before and after the VMs land */
  room: { id: string; name: string; hostname?: string; freeCpu: number; freeMemKb: number; afterCpu: number; afterMemKb: number }[];
  fits: boolean;
  /** VMs that fit nowhere */
  homeless: VmDemand[];
}

/** VMs that occupy a host: not DONE (6), not STOPPED/UNDEPLOYED (4, 9). */
const occupies = (v: VmDemand) => ![4, 6, 9].includes(v.state);

/** Find the OpenNebula host of a configured host: by hostname, then by private IP. */
export function findOneHost(hosts: HostCapacity[], name: string, privateIp?: string): HostCapacity | undefined {
  return hosts.find((h) => h.hostname === name) ?? (privateIp ? hosts.find((h) => h.name === privateIp) : undefined) ?? hosts.find((h) => h.name === name);
}

export function previewRemoval(hosts: HostCapacity[], vms: VmDemand[], target: HostCapacity): RemovalPreview {
  const onHost = vms.filter((v) => occupies(v) && (v.hostId === target.id || target.vmIds.includes(v.id)));
  const others = hosts.filter((h) => h.id !== target.id && h.state === 2);
  const room = others.map((h) => ({
    id: h.id,
    name: h.name,
    ...(h.hostname ? { hostname: h.hostname } : {}),
    freeCpu: h.maxCpu - h.usedCpu,
    freeMemKb: h.maxMemKb - h.usedMemKb,
    afterCpu: h.maxCpu - h.usedCpu,
    afterMemKb: h.maxMemKb - h.usedMemKb,
  }));
  const placed: PlacedVm[] = [];
  const homeless: VmDemand[] = [];
  // biggest first, each onto the host with the most free memory that fits it
  for (const vm of [...onHost].sort((a, b) => b.memKb - a.memKb || b.cpu - a.cpu)) {
    const fit = room.filter((r) => r.afterCpu >= vm.cpu && r.afterMemKb >= vm.memKb).sort((a, b) => b.afterMemKb - a.afterMemKb)[0];
    if (!fit) {
      homeless.push(vm);
      placed.push({ vm });
      continue;
    }
    fit.afterCpu -= vm.cpu;
    fit.afterMemKb -= vm.memKb;
    placed.push({ vm, to: { id: fit.id, name: fit.name, ...(fit.hostname ? { hostname: fit.hostname } : {}) } });
  }
  placed.sort((a, b) => Number(a.vm.id) - Number(b.vm.id));
  return { host: target, vms: placed, room, fits: homeless.length === 0, homeless };
}

const gb = (kb: number) => `${(kb / 1048576).toFixed(1)} GiB`;
const cpus = (c: number) => `${(c / 100).toFixed(c % 100 ? 1 : 0)} CPU`;

/** Lines a preview dialog (or the headless twin) prints. */
export function previewLines(p: RemovalPreview): string[] {
  const who = p.host.hostname ?? p.host.name;
  const lines = [p.vms.length === 0 ? `${who} runs no VM` : `${who} runs ${p.vms.length} VM${p.vms.length > 1 ? 's' : ''}:`];
  for (const { vm, to } of p.vms) {
    lines.push(`  VM ${vm.id} ${vm.name} (${cpus(vm.cpu)}, ${gb(vm.memKb)}) → ${to ? (to.hostname ?? to.name) : 'no host has room'}`);
  }
  lines.push(p.room.length ? 'room on the remaining enabled hosts:' : 'no other enabled host');
  for (const r of p.room) lines.push(`  ${r.hostname ?? r.name}: ${cpus(r.freeCpu)}, ${gb(r.freeMemKb)} free (after: ${cpus(r.afterCpu)}, ${gb(r.afterMemKb)})`);
  return lines;
}

/** Throw the refusal when the VMs cannot fit elsewhere. */
export function assertFits(p: RemovalPreview): void {
  if (p.fits) return;
  const who = p.host.hostname ?? p.host.name;
  throw new OnedeckError(
    `${who} cannot be removed: ${p.homeless.map((v) => `VM ${v.id} ${v.name} (${cpus(v.cpu)}, ${gb(v.memKb)})`).join(', ')} fit${p.homeless.length === 1 ? 's' : ''} on no other enabled host`,
    { hint: 'Free room on another host (or add one with :add), or stop those VMs, then try again. Nothing was changed.', exitCode: 1 },
  );
}
