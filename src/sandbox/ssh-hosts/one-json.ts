// OpenNebula 7.0's CLI JSON (`onehost list -j`, `onehost show -j`, `onevm list -j`): the XML
// turned into a hash, so every leaf is a string, one element is an object, several an array,
// and an empty element `{}`.
import { effectiveHost, simFor } from '../one-monitor.js';
import type { OneHost, OneVm, SandboxState } from '../state-types.js';

type J = Record<string, unknown>;

/** XMLElement#to_hash: none → {}, one → the value, several → an array. */
export function oneOrMany<T>(items: T[]): T | T[] | undefined {
  if (items.length === 0) return undefined;
  return items.length === 1 ? items[0] : items;
}

function pool(key: string, item: string, items: J[]): J {
  const v = oneOrMany(items);
  return { [key]: v === undefined ? {} : { [item]: v } };
}

const str = (n: number) => String(Math.round(n));

export function hostJson(state: SandboxState, h: OneHost): J {
  const eff = effectiveHost(state, h);
  const vms = state.one.vms.filter((v) => v.hostId === h.id && v.state !== 6);
  const running = vms.filter((v) => v.state === 3);
  const cpuUsage = vms.reduce((a, v) => a + v.cpu * 100, 0);
  const memUsage = vms.reduce((a, v) => a + v.memoryMb * 1024, 0);
  const sim = simFor(state, h);
  const usedMem = sim ? sim.memTotalKb - sim.memAvailableKb : 0;
  const vmIds = oneOrMany(vms.map((v) => String(v.id)));
  const template: J = {
    ARCH: 'x86_64',
    CPUSPEED: '3700',
    HOSTNAME: h.hostname,
    HYPERVISOR: 'kvm',
    IM_MAD: 'kvm',
    KVM_CPU_MODEL: 'EPYC-Milan',
    KVM_MACHINES: 'pc-i440fx-8.2 pc pc-q35-8.2 q35',
    MODELNAME: 'AMD EPYC 7313P 16-Core Processor',
    RESERVED_CPU: '',
    RESERVED_MEM: '',
    VERSION: '7.0.0',
    VM_MAD: 'kvm',
  };
  if (eff.error) template.ERROR = eff.error;
  const monitored = eff.timestamp > 0;
  return {
    ID: String(h.id),
    NAME: h.name,
    STATE: String(eff.state),
    PREV_STATE: String(h.prevState),
    IM_MAD: 'kvm',
    VM_MAD: 'kvm',
    CLUSTER_ID: '0',
    CLUSTER: 'default',
    HOST_SHARE: {
      MEM_USAGE: str(memUsage),
      CPU_USAGE: str(cpuUsage),
      TOTAL_MEM: str(h.totalMemKb),
      TOTAL_CPU: str(h.totalCpu),
      MAX_MEM: str(h.totalMemKb),
      MAX_CPU: str(h.totalCpu),
      RUNNING_VMS: String(running.length),
      VMS_THREAD: '1',
      DATASTORES: {
        DISK_USAGE: '0',
        DS: { ID: '0', FREE_MB: '1752000', TOTAL_MB: '1831000', USED_MB: '79000' },
        FREE_DISK: '1752000',
        MAX_DISK: '1831000',
        USED_DISK: '79000',
      },
      PCI_DEVICES: {},
      NUMA_NODES: { NODE: { NODE_ID: '0' } },
    },
    VMS: vmIds === undefined ? {} : { ID: vmIds },
    TEMPLATE: template,
    MONITORING: monitored
      ? {
          TIMESTAMP: String(eff.timestamp),
          ID: String(h.id),
          CAPACITY: {
            FREE_CPU: str(h.totalCpu - (sim?.load1 ?? 0) * 100),
            FREE_MEMORY: str(h.totalMemKb - usedMem),
            USED_CPU: str((sim?.load1 ?? 0) * 100),
            USED_MEMORY: str(usedMem),
          },
          SYSTEM: { NETRX: str(123_456_789 + h.id * 1_000_000), NETTX: str(98_765_432 + h.id * 900_000) },
        }
      : {},
  };
}

export function vmJson(state: SandboxState, v: OneVm): J {
  const host = v.hostId === null ? undefined : state.one.hosts.find((h) => h.id === v.hostId);
  const record = (hh: OneHost, seq: number, stime: number) => ({
    OID: String(v.id),
    SEQ: String(seq),
    HOSTNAME: hh.name,
    HID: String(hh.id),
    CID: '0',
    STIME: String(stime),
    ETIME: '0',
    VM_MAD: 'kvm',
    TM_MAD: 'ssh',
    DS_ID: '0',
    PSTIME: String(stime),
    PETIME: String(stime + 12),
    RSTIME: String(stime + 12),
    RETIME: '0',
    ESTIME: '0',
    EETIME: '0',
    ACTION: '0',
  });
  // a live migration adds the destination's history record while the VM still runs on the source
  const dest = v.migrating ? state.one.hosts.find((h) => h.id === v.migrating!.to) : undefined;
  const history = host
    ? { HISTORY: dest ? [record(host, 0, v.stime), record(dest, 1, Math.floor(v.migrating!.startedAt / 1000))] : record(host, 0, v.stime) }
    : {};
  return {
    ID: String(v.id),
    UID: '0',
    GID: '0',
    UNAME: 'oneadmin',
    GNAME: 'oneadmin',
    NAME: v.name,
    PERMISSIONS: { OWNER_U: '1', OWNER_M: '1', OWNER_A: '0', GROUP_U: '0', GROUP_M: '0', GROUP_A: '0', OTHER_U: '0', OTHER_M: '0', OTHER_A: '0' },
    LAST_POLL: String(Math.floor(Date.now() / 1000)),
    STATE: String(v.state),
    LCM_STATE: String(v.lcmState),
    PREV_STATE: String(v.state),
    PREV_LCM_STATE: String(v.lcmState),
    RESCHED: v.resched ? '1' : '0',
    STIME: String(v.stime),
    ETIME: '0',
    DEPLOY_ID: host ? `one-${v.id}` : {},
    MONITORING: host && v.state === 3 ? { CPU: '1.5', MEMORY: str(v.memoryMb * 1024 * 0.6), STATE: 'a', ID: String(v.id), TIMESTAMP: String(Math.floor(Date.now() / 1000)) } : {},
    SCHED_ACTIONS: {},
    TEMPLATE: {
      AUTOMATIC_DS_REQUIREMENTS: '("CLUSTERS/ID" @> 0)',
      AUTOMATIC_REQUIREMENTS: '(CLUSTER_ID = 0) & !(PUBLIC_CLOUD = YES) & !(PIN_POLICY = PINNED)',
      CPU: String(v.cpu),
      MEMORY: String(v.memoryMb),
      VCPU: String(v.vcpu),
      VMID: String(v.id),
      NIC: { IP: v.ip, MAC: v.mac, NETWORK: v.network, NETWORK_ID: v.network === 'pubridge' ? '0' : '1', NIC_ID: '0', BRIDGE: v.network === 'pubridge' ? 'br0' : 'vmtovm0', VN_MAD: v.network === 'pubridge' ? 'bridge' : 'vxlan', TARGET: `one-${v.id}-0` },
      DISK: { DISK_ID: '0', IMAGE: 'Alpine Linux 3.21', IMAGE_ID: '0', DATASTORE: 'default', DATASTORE_ID: '1', SIZE: '256', TM_MAD: 'ssh', TYPE: 'FILE' },
    },
    USER_TEMPLATE: {
      ...(v.error ? { ERROR: v.error } : {}),
      ...(v.schedMessage ? { SCHED_MESSAGE: v.schedMessage } : {}),
    },
    HISTORY_RECORDS: history,
  };
}

export function hostPoolJson(state: SandboxState): J {
  return pool('HOST_POOL', 'HOST', state.one.hosts.map((h) => hostJson(state, h)));
}

export function vmPoolJson(state: SandboxState): J {
  return pool('VM_POOL', 'VM', state.one.vms.filter((v) => v.state !== 6).map((v) => vmJson(state, v)));
}
