# Inputs. onedeck writes them to onedeck.auto.tfvars.json from onedeck.yaml
# (src/adapters/tofu/tfvars.ts); a test keeps the two lists identical.

variable "cluster_name" {
  description = "Name of this cloud; prefixes every Scaleway resource."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.cluster_name))
    error_message = "cluster_name must be lower-case letters, digits and dashes, starting with a letter (max 31 characters)."
  }
}

variable "zone" {
  description = "Scaleway zone of the servers and Flexible IPs, e.g. fr-par-2."
  type        = string
  validation {
    condition     = can(regex("^[a-z]{2}-[a-z]{3}-[1-9]$", var.zone))
    error_message = "zone must look like fr-par-2."
  }
}

variable "region" {
  description = "Scaleway region of the VPC and private networks, e.g. fr-par (the zone without its number)."
  type        = string
}

variable "project_id" {
  description = "Scaleway project every resource is created in (set explicitly: no reliance on the API key's default project)."
  type        = string
}

variable "offer" {
  description = "Elastic Metal offer name, e.g. EM-A610R-NVMe."
  type        = string
  default     = "EM-A610R-NVMe"
}

variable "os_name" {
  description = "Operating system to install, one of the keys of local.os_catalog."
  type        = string
  default     = "Ubuntu 24.04"
  validation {
    condition     = contains(["Ubuntu 24.04", "Ubuntu 22.04"], var.os_name)
    error_message = "os_name must be \"Ubuntu 24.04\" or \"Ubuntu 22.04\" (netplan >= 0.105 is required)."
  }
}

variable "frontend_name" {
  description = "Stable name of the OpenNebula frontend (also a KVM node)."
  type        = string
}

variable "hypervisors" {
  description = "Stable names of the KVM hypervisors. Every name keys its own server, IPs and Flexible IP: removing a name destroys that host only."
  type        = set(string)
  default     = []
}

variable "private_subnet" {
  description = "IPv4 subnet of the management private network (OpenNebula host names are addresses from it)."
  type        = string
  default     = "10.16.0.0/20"
}

variable "vmtovm_subnet" {
  description = "IPv4 subnet of the vm-to-vm private network that carries the VXLAN overlay."
  type        = string
  default     = "172.16.24.0/22"
}

variable "ssh_public_key" {
  description = "OpenSSH public key installed for the default user on every server."
  type        = string
}
