# The frontend and every hypervisor: one Elastic Metal server per host name (for_each, never
# count), so adding or removing a hypervisor touches that host's resources and nothing else.

locals {
  # the frontend is a KVM node too; its key is its name like every other host
  hosts = merge(
    { (var.frontend_name) = { role = "frontend" } },
    { for name in var.hypervisors : name => { role = "hypervisor" } },
  )

  tags = ["onedeck", "cluster=${var.cluster_name}"]

  os_catalog = {
    "Ubuntu 24.04" = { name = "Ubuntu", version = "24.04 LTS (Noble Numbat)" }
    "Ubuntu 22.04" = { name = "Ubuntu", version = "22.04 LTS (Jammy Jellyfish)" }
  }
}

data "scaleway_baremetal_offer" "host" {
  zone                = var.zone
  name                = var.offer
  subscription_period = "hourly"
}

data "scaleway_baremetal_os" "host" {
  zone    = var.zone
  name    = local.os_catalog[var.os_name].name
  version = local.os_catalog[var.os_name].version
}

data "scaleway_baremetal_option" "private_network" {
  zone = var.zone
  name = "Private Network"
}

resource "scaleway_baremetal_server" "host" {
  for_each = local.hosts

  name        = "${var.cluster_name}-${each.key}"
  hostname    = each.key
  description = "onedeck ${each.value.role} ${each.key} of ${var.cluster_name}"
  zone        = var.zone
  project_id  = var.project_id
  offer       = data.scaleway_baremetal_offer.host.offer_id
  os          = data.scaleway_baremetal_os.host.os_id
  ssh_key_ids = [scaleway_iam_ssh_key.operator.id]
  tags        = concat(local.tags, ["role=${each.value.role}", "host=${each.key}"])

  options {
    id = data.scaleway_baremetal_option.private_network.option_id
  }

  private_network {
    id          = scaleway_vpc_private_network.management.id
    ipam_ip_ids = [scaleway_ipam_ip.management[each.key].id]
  }

  private_network {
    id          = scaleway_vpc_private_network.vmtovm.id
    ipam_ip_ids = [scaleway_ipam_ip.vmtovm[each.key].id]
  }

  lifecycle {
    # the provider applies a changed os (or, with reinstall_on_config_changes, ssh_key_ids) by
    # REINSTALLING the server, shown as a mere in-place update: a new image id behind the same OS
    # name, or another operator's public key, must never wipe a running host
    ignore_changes = [os, ssh_key_ids]

    precondition {
      condition     = !contains(var.hypervisors, var.frontend_name)
      error_message = "frontend_name must not also be listed in hypervisors."
    }
  }
}
