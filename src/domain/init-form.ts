// The fields of `onedeck init`'s guided form (the form is views/init/, the file src/cli/init-config.ts).

export interface InitValues {
  cluster: string;
  zone: string;
  project_id: string;
  hypervisors: string;
  hypervisor_names: string;
  private_subnet: string;
  vmtovm_subnet: string;
  opennebula_version: string;
}

export const INIT_FIELDS: { id: keyof InitValues; label: string; help: string }[] = [
  { id: 'cluster', label: 'cluster name', help: 'names the servers and networks (letters, digits, -)' },
  { id: 'zone', label: 'Scaleway zone', help: 'an Elastic Metal zone: fr-par-1, fr-par-2, nl-ams-1, nl-ams-2, pl-waw-2, pl-waw-3' },
  { id: 'project_id', label: 'Scaleway project id', help: 'the project the servers go in (scw account project list)' },
  { id: 'hypervisors', label: 'hypervisor count', help: 'how many KVM hosts besides the frontend' },
  { id: 'hypervisor_names', label: 'hypervisor names', help: 'comma-separated; empty: kvm-1, kvm-2, …' },
  { id: 'private_subnet', label: 'private subnet', help: "the hosts' private network" },
  { id: 'vmtovm_subnet', label: 'vm-to-vm subnet', help: "the VMs' private network; must not overlap the private subnet" },
  { id: 'opennebula_version', label: 'OpenNebula version', help: 'written as a quoted string ("7.0")' },
];

