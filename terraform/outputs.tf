# The one output onedeck reads (`tofu output -json inventory`); its shape is InventoryOutput in
# src/domain/inventory.ts. Everything is keyed by the stable host names.

locals {
  # "fr-par/uuid" and "uuid" compare equal once reduced to the uuid
  management_pn_uuid = reverse(split("/", scaleway_vpc_private_network.management.id))[0]
  vmtovm_pn_uuid     = reverse(split("/", scaleway_vpc_private_network.vmtovm.id))[0]

  inventory_hosts = {
    for name, server in scaleway_baremetal_server.host : name => {
      name       = name
      server_id  = server.id
      public_ip  = one([for ip in server.ips : ip.address if ip.version == "IPv4"])
      private_ip = split("/", scaleway_ipam_ip.management[name].address)[0]
      vmtovm_ip  = split("/", scaleway_ipam_ip.vmtovm[name].address)[0]
      private_vlan = try(one([
        for pn in server.private_network : pn.vlan
        if reverse(split("/", pn.id))[0] == local.management_pn_uuid
      ]), null)
      vmtovm_vlan = try(one([
        for pn in server.private_network : pn.vlan
        if reverse(split("/", pn.id))[0] == local.vmtovm_pn_uuid
      ]), null)
      flexible_ip     = split("/", scaleway_flexible_ip.host[name].ip_address)[0]
      flexible_ip_id  = reverse(split("/", scaleway_flexible_ip.host[name].id))[0]
      flexible_ip_mac = scaleway_flexible_ip_mac_address.host[name].address
    }
  }
}

output "inventory" {
  description = "Every host's public and private addresses, server id, Flexible IP and its MAC."
  value = {
    cluster_name              = var.cluster_name
    zone                      = var.zone
    project_id                = var.project_id
    private_network_id        = scaleway_vpc_private_network.management.id
    vmtovm_private_network_id = scaleway_vpc_private_network.vmtovm.id
    frontend                  = local.inventory_hosts[var.frontend_name]
    hypervisors               = { for name, host in local.inventory_hosts : name => host if name != var.frontend_name }
  }
}
