#!/usr/bin/env bash
# OpenNebula VNM bridge `pre` hook: before a VM's network is set up on this hypervisor, attach each
# of its public NIC addresses that is a Scaleway Flexible IP to this Elastic Metal server.
# Runs as oneadmin; stdin is the base64 VM XML. Idempotent: already attached here -> nothing to do.
# Log: /var/log/vnm/scw-flexip-attach.log
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lib="${SCW_FLEXIP_LIB:-}"
for candidate in "$lib" "$here/../scw-flexip/lib.sh" "$here/../lib/scw-flexip.sh"; do
  if [ -n "$candidate" ] && [ -r "$candidate" ]; then lib="$candidate"; break; fi
done
# shellcheck source=../lib/scw-flexip.sh
. "$lib" || { echo "scw-flexip-attach: cannot load the hook library" >&2; exit 1; }

fip_init attach
fip_read_vm
if [ -z "$VM_IPS" ]; then
  fip_log INFO "VM $VM_ID: no public IPv4 on its NICs, nothing to attach"
  exit 0
fi
fip_load_config

# a Flexible IP deleted at Scaleway while the VM still has its address cannot be attached
fip_gone_check() {
  if [ "$FIP_STATUS" = "gone" ]; then
    fip_die "VM $VM_ID: Flexible IP $1 ($FIP_ID) was deleted at Scaleway; give the VM another address or recreate the Flexible IP (tofu apply)"
  fi
}

attach_one() {
  local ip="$1"
  fip_find "$ip"
  if [ -z "$FIP_ID" ]; then
    fip_log INFO "VM $VM_ID: $ip is not a Flexible IP of zone $FIP_ZONE, nothing to do"
    return 0
  fi
  fip_wait_settled "$FIP_ID"
  fip_gone_check "$ip"
  if [ "$FIP_OWNER" = "$FIP_SERVER" ] && [ "$FIP_STATUS" = "attached" ]; then
    fip_log INFO "VM $VM_ID: Flexible IP $ip ($FIP_ID) is already attached to this server $FIP_SERVER"
    return 0
  fi
  if [ -z "$FIP_MAC" ]; then
    # the VM's NIC needs a virtual MAC on the Flexible IP; terraform normally creates it
    fip_log WARN "VM $VM_ID: Flexible IP $ip has no virtual MAC, creating a $SCW_FLEXIP_MAC_TYPE one"
    fip_post_retry "creating a MAC on $FIP_ID" "$FIP_BASE/fips/$FIP_ID/mac" "{\"mac_type\":\"$SCW_FLEXIP_MAC_TYPE\"}"
    fip_wait_settled "$FIP_ID"
    fip_gone_check "$ip"
  fi
  if [ -n "$FIP_OWNER" ] && [ "$FIP_OWNER" != "$FIP_SERVER" ]; then
    # the VM moved here (migration, resched): take the address over from the previous server
    fip_log INFO "VM $VM_ID: Flexible IP $ip is on server $FIP_OWNER, detaching it to move it here"
    fip_post_retry "detaching $FIP_ID from $FIP_OWNER" "$FIP_BASE/fips/detach" "{\"fips_ids\":[\"$FIP_ID\"]}"
    fip_wait_settled "$FIP_ID"
    fip_gone_check "$ip"
  fi
  fip_post_retry "attaching $FIP_ID to $FIP_SERVER" "$FIP_BASE/fips/attach" \
    "{\"fips_ids\":[\"$FIP_ID\"],\"server_id\":\"$FIP_SERVER\"}"
  fip_wait_settled "$FIP_ID"
  fip_gone_check "$ip"
  if [ "$FIP_OWNER" != "$FIP_SERVER" ]; then
    fip_die "VM $VM_ID: attach of $ip ($FIP_ID) answered OK but the Flexible IP is on \"${FIP_OWNER:-no server}\" (status $FIP_STATUS)"
  fi
  fip_log INFO "VM $VM_ID: attached Flexible IP $ip ($FIP_ID) to server $FIP_SERVER (status $FIP_STATUS)"
}

mapfile -t ips <<<"$VM_IPS"
for ip in "${ips[@]}"; do
  [ -n "$ip" ] && attach_one "$ip"
done
exit 0
