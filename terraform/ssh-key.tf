# The operator's public key (onedeck passes the key it connects with); no private key is ever
# generated or stored by this module.
resource "scaleway_iam_ssh_key" "operator" {
  name       = "${var.cluster_name}-onedeck"
  public_key = trimspace(var.ssh_public_key)
  project_id = var.project_id
}
