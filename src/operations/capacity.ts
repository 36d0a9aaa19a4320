// What a removal needs to know of OpenNebula: each host's CPU/memory capacity and allocation,
// and each VM's demand and host, read from `onehost list -j` / `onevm list -j` (OpenNebula 7 JSON).
import { asArray, num, obj, str } from '../adapters/opennebula/onejson.js';
import { effectiveHostState } from '../adapters/opennebula/hosts.js';

export interface HostCapacity {
  id: string;
  /** OpenNebula's NAME (the private IP) */
  name: string;
  /** TEMPLATE.HOSTNAME: the inventory name it was deployed as, when known */
  hostname?: string;
  /** effective state: 2 MONITORED, 4 DISABLED, 3 ERROR, 8 OFFLINE, 0 INIT */
  state: number;
  /** CPU in OpenNebula's units (100 = one CPU) */
  maxCpu: number;
  usedCpu: number;
  /** memory in KB */
  maxMemKb: number;
  usedMemKb: number;
  vmIds: string[];
  /** TEMPLATE.ERROR: why OpenNebula's monitoring of it fails, when it does */
  error?: string;
}

export interface VmDemand {
  id: string;
  name: string;
  state: number;
  lcmState: number;
  hostId?: string;
  /** CPU × 100, as HOST_SHARE counts it */
  cpu: number;
  memKb: number;
}

export function parseHostCapacities(json: unknown): HostCapacity[] {
  const root = obj(json);
  const hosts = 'HOST_POOL' in root ? asArray(obj(root.HOST_POOL).HOST) : asArray(root.HOST);
  return hosts.map((h) => {
    const share = obj(h.HOST_SHARE);
    const ids = obj(h.VMS).ID;
    const hostname = str(obj(h.TEMPLATE).HOSTNAME);
    const error = str(obj(h.TEMPLATE).ERROR);
    return {
      id: str(h.ID) ?? '',
      name: str(h.NAME) ?? '',
      ...(hostname ? { hostname } : {}),
      state: effectiveHostState(num(h.STATE) ?? -1),
      maxCpu: num(share.MAX_CPU) ?? num(share.TOTAL_CPU) ?? 0,
      usedCpu: num(share.CPU_USAGE) ?? 0,
      maxMemKb: num(share.MAX_MEM) ?? num(share.TOTAL_MEM) ?? 0,
      usedMemKb: num(share.MEM_USAGE) ?? 0,
      vmIds: Array.isArray(ids) ? ids.map(String) : typeof ids === 'string' ? [ids] : [],
      ...(error ? { error } : {}),
    };
  });
}

export function parseVmDemands(json: unknown): VmDemand[] {
  const root = obj(json);
  const vms = 'VM_POOL' in root ? asArray(obj(root.VM_POOL).VM) : asArray(root.VM);
  return vms.map((vm) => {
    const t = obj(vm.TEMPLATE);
    const hist = asArray(obj(vm.HISTORY_RECORDS).HISTORY);
    const hostId = hist.length ? str(hist[hist.length - 1].HID) : undefined;
    return {
      id: str(vm.ID) ?? '',
      name: str(vm.NAME) ?? '',
      state: num(vm.STATE) ?? -1,
      lcmState: num(vm.LCM_STATE) ?? -1,
      ...(hostId !== undefined ? { hostId } : {}),
      cpu: Math.round((num(t.CPU) ?? 0) * 100),
      memKb: (num(t.MEMORY) ?? 0) * 1024,
    };
  });
}
