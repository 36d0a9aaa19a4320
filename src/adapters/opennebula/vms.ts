// `onevm list -j` → the VMs, where each one runs (its last history record) and its NIC IPs.
import { asArray, num, obj, str } from './onejson.js';

export interface VmInfo {
  id: string;
  name: string;
  state: number;
  lcmState: number;
  stateName: string;
  /** OpenNebula host NAME (the private IP) of the last history record */
  hostName?: string;
  hostId?: string;
  ips: string[];
}

const VM_STATES = [
  'INIT', 'PENDING', 'HOLD', 'ACTIVE', 'STOPPED', 'SUSPENDED', 'DONE', 'FAILED', 'POWEROFF', 'UNDEPLOYED',
  'CLONING', 'CLONING_FAILURE',
];
const LCM_SHORT: Record<number, string> = { 3: 'RUNNING', 4: 'MIGRATE', 2: 'BOOT', 1: 'PROLOG', 0: 'LCM_INIT' };

function vmStateName(state: number, lcm: number): string {
  if (state === 3) return LCM_SHORT[lcm] ?? `ACTIVE(${lcm})`;
  return VM_STATES[state] ?? `UNKNOWN(${state})`;
}

export function parseVmPool(json: unknown): VmInfo[] {
  const root = obj(json);
  const vms = 'VM_POOL' in root ? asArray(obj(root.VM_POOL).VM) : asArray(root.VM);
  return vms.map((vm) => {
    const state = num(vm.STATE) ?? -1;
    const lcmState = num(vm.LCM_STATE) ?? -1;
    const history = asArray(obj(vm.HISTORY_RECORDS).HISTORY);
    const last = history[history.length - 1];
    const nics = asArray(obj(vm.TEMPLATE).NIC);
    const ips = nics.flatMap((n) => [str(n.IP), str(n.IP6_GLOBAL)]).filter((x): x is string => !!x);
    const info: VmInfo = { id: str(vm.ID) ?? '', name: str(vm.NAME) ?? '', state, lcmState, stateName: vmStateName(state, lcmState), ips };
    const hostName = last ? str(last.HOSTNAME) : undefined;
    const hostId = last ? str(last.HID) : undefined;
    if (hostName) info.hostName = hostName;
    if (hostId) info.hostId = hostId;
    return info;
  });
}
