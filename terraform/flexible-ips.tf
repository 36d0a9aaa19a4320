# One Flexible IP per host, with a KVM virtual MAC so a VM can carry it. The hooks move a Flexible IP
# to whichever hypervisor runs its VM, so server_id is only the initial placement.

resource "scaleway_flexible_ip" "host" {
  for_each = local.hosts

  zone        = var.zone
  project_id  = var.project_id
  server_id   = scaleway_baremetal_server.host[each.key].id
  description = "${var.cluster_name}-${each.key}-fip"
  tags        = concat(local.tags, ["host=${each.key}"])

  lifecycle {
    ignore_changes = [server_id]
  }
}

resource "scaleway_flexible_ip_mac_address" "host" {
  for_each = local.hosts

  zone           = var.zone
  flexible_ip_id = scaleway_flexible_ip.host[each.key].id
  type           = "kvm"
}
