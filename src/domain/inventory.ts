// The contract between terraform/ and onedeck: the shape of the root module's one output,
// `inventory` (read with `tofu output -json`), keyed by the stable host names of onedeck.yaml.

export interface InventoryHost {
  name: string;
  /** zoned id as the Scaleway provider gives it: "fr-par-2/<uuid>" */
  server_id: string;
  public_ip: string;
  /** the management private-network (VLAN) address; OpenNebula names the host by it */
  private_ip: string;
  vmtovm_ip: string;
  private_vlan?: number | null;
  vmtovm_vlan?: number | null;
  flexible_ip: string;
  flexible_ip_id: string;
  flexible_ip_mac: string;
}

export interface InventoryOutput {
  cluster_name: string;
  zone: string;
  project_id: string;
  private_network_id: string;
  vmtovm_private_network_id: string;
  frontend: InventoryHost;
  hypervisors: Record<string, InventoryHost>;
}

/** `tofu output -json` prints every output as { sensitive, type, value }. */
export interface TofuOutputs {
  inventory?: { sensitive: boolean; type: unknown; value: InventoryOutput };
  [name: string]: { sensitive: boolean; type: unknown; value: unknown } | undefined;
}
