# The VPC and its two private networks: management (host-to-host, OpenNebula traffic) and
# vm-to-vm (VXLAN underlay). Both are regional; every server joins both.

resource "scaleway_vpc" "main" {
  name           = "${var.cluster_name}-vpc"
  region         = var.region
  project_id     = var.project_id
  enable_routing = true
  tags           = local.tags
}

resource "scaleway_vpc_private_network" "management" {
  name       = "${var.cluster_name}-management"
  region     = var.region
  project_id = var.project_id
  vpc_id     = scaleway_vpc.main.id
  tags       = local.tags

  ipv4_subnet {
    subnet = var.private_subnet
  }
}

resource "scaleway_vpc_private_network" "vmtovm" {
  name       = "${var.cluster_name}-vmtovm"
  region     = var.region
  project_id = var.project_id
  vpc_id     = scaleway_vpc.main.id
  tags       = local.tags

  ipv4_subnet {
    subnet = var.vmtovm_subnet
  }
}

# One reserved address per host and network, keyed by host name: the address a host keeps for its
# whole life (OpenNebula names the host by its management address).
resource "scaleway_ipam_ip" "management" {
  for_each   = local.hosts
  region     = var.region
  project_id = var.project_id
  tags       = concat(local.tags, ["host=${each.key}"])

  source {
    private_network_id = scaleway_vpc_private_network.management.id
  }
}

resource "scaleway_ipam_ip" "vmtovm" {
  for_each   = local.hosts
  region     = var.region
  project_id = var.project_id
  tags       = concat(local.tags, ["host=${each.key}"])

  source {
    private_network_id = scaleway_vpc_private_network.vmtovm.id
  }
}
