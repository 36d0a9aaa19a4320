# Tool and provider versions. OpenTofu >= 1.8 is the target; Terraform >= 1.8 works too because
# nothing here uses OpenTofu-only features (the optional S3 backend takes literal values).
terraform {
  required_version = ">= 1.8.0"

  required_providers {
    scaleway = {
      source  = "scaleway/scaleway"
      version = "~> 2.57"
    }
  }
}

# Credentials come from the environment (SCW_ACCESS_KEY / SCW_SECRET_KEY), never from files here.
provider "scaleway" {
  zone       = var.zone
  region     = var.region
  project_id = var.project_id
}
