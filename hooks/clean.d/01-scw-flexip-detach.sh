#!/usr/bin/env bash
# OpenNebula VNM bridge `clean` hook: when a VM's network is torn down on this hypervisor, detach
# its Flexible IPs from this Elastic Metal server. A Flexible IP already attached to another server
# (a migration moved it) is left where it is. Runs as oneadmin; stdin is the base64 VM XML.
# Log: /var/log/vnm/scw-flexip-detach.log
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lib="${SCW_FLEXIP_LIB:-}"
for candidate in "$lib" "$here/../scw-flexip/lib.sh" "$here/../lib/scw-flexip.sh"; do
  if [ -n "$candidate" ] && [ -r "$candidate" ]; then lib="$candidate"; break; fi
done
# shellcheck source=../lib/scw-flexip.sh
. "$lib" || { echo "scw-flexip-detach: cannot load the hook library" >&2; exit 1; }

fip_init detach
fip_read_vm
if [ -z "$VM_IPS" ]; then
  fip_log INFO "VM $VM_ID: no public IPv4 on its NICs, nothing to detach"
  exit 0
fi
fip_load_config

detach_one() {
  local ip="$1"
  fip_find "$ip"
  if [ -z "$FIP_ID" ]; then
    fip_log INFO "VM $VM_ID: $ip is not a Flexible IP of zone $FIP_ZONE, nothing to do"
    return 0
  fi
  fip_wait_settled "$FIP_ID"
  if [ "$FIP_STATUS" = "gone" ]; then
    fip_log INFO "VM $VM_ID: Flexible IP $ip ($FIP_ID) was deleted at Scaleway, nothing to detach"
    return 0
  fi
  if [ -z "$FIP_OWNER" ]; then
    fip_log INFO "VM $VM_ID: Flexible IP $ip ($FIP_ID) is not attached, nothing to detach"
    return 0
  fi
  if [ "$FIP_OWNER" != "$FIP_SERVER" ]; then
    fip_log INFO "VM $VM_ID: Flexible IP $ip ($FIP_ID) is attached to server $FIP_OWNER, not to this server $FIP_SERVER: leaving it"
    return 0
  fi
  fip_post_retry "detaching $FIP_ID from $FIP_SERVER" "$FIP_BASE/fips/detach" "{\"fips_ids\":[\"$FIP_ID\"]}"
  fip_log INFO "VM $VM_ID: detached Flexible IP $ip ($FIP_ID) from server $FIP_SERVER"
}

mapfile -t ips <<<"$VM_IPS"
for ip in "${ips[@]}"; do
  [ -n "$ip" ] && detach_one "$ip"
done
exit 0
