# shellcheck shell=bash
# Shared code of the Scaleway Flexible-IP VNM hooks (sourced, never executed).
# Installed as /var/lib/one/remotes/vnm/bridge/scw-flexip/lib.sh: a subdirectory, so OpenNebula's
# run_hooks does not run it. Every path and limit can be overridden from the environment.

SCW_FLEXIP_STATE_DIR="${SCW_FLEXIP_STATE_DIR:-/var/lib/one}"
SCW_FLEXIP_TOKEN_FILE="${SCW_FLEXIP_TOKEN_FILE:-$SCW_FLEXIP_STATE_DIR/.scw-flexip.token}"
SCW_FLEXIP_SERVER_ID_FILE="${SCW_FLEXIP_SERVER_ID_FILE:-$SCW_FLEXIP_STATE_DIR/scw-server-id}"
SCW_FLEXIP_API_URL_FILE="${SCW_FLEXIP_API_URL_FILE:-$SCW_FLEXIP_STATE_DIR/scw-api-url}"
SCW_FLEXIP_LOG_DIR="${SCW_FLEXIP_LOG_DIR:-/var/log/vnm}"
# How long a Flexible IP may stay in transit (updating, detaching, attaching) before a hook gives
# up. Real transitions take 15-20 s, and a hook may meet one started elsewhere (the clean hook of a
# migration's source host) before its own: 90 s by default. Polled every SCW_FLEXIP_WAIT_SECONDS;
# SCW_FLEXIP_WAIT_TRIES, when set, bounds the number of polls instead.
SCW_FLEXIP_WAIT_TIMEOUT="${SCW_FLEXIP_WAIT_TIMEOUT:-90}"
SCW_FLEXIP_WAIT_SECONDS="${SCW_FLEXIP_WAIT_SECONDS:-2}"
SCW_FLEXIP_WAIT_TRIES="${SCW_FLEXIP_WAIT_TRIES:-$(awk -v t="$SCW_FLEXIP_WAIT_TIMEOUT" -v s="$SCW_FLEXIP_WAIT_SECONDS" \
  'BEGIN { n = (s > 0) ? t / s : t; printf "%d", (n == int(n)) ? n : int(n) + 1 }')}"
SCW_FLEXIP_CONFLICT_TRIES="${SCW_FLEXIP_CONFLICT_TRIES:-5}"  # attempts when the API answers 409
SCW_FLEXIP_CONFLICT_SECONDS="${SCW_FLEXIP_CONFLICT_SECONDS:-3}"
SCW_FLEXIP_PAGE_SIZE="${SCW_FLEXIP_PAGE_SIZE:-50}"
SCW_FLEXIP_MAX_PAGES="${SCW_FLEXIP_MAX_PAGES:-100}"
SCW_FLEXIP_HTTP_TIMEOUT="${SCW_FLEXIP_HTTP_TIMEOUT:-20}"
SCW_FLEXIP_MAC_TYPE="${SCW_FLEXIP_MAC_TYPE:-kvm}"

FIP_ACTION=""     # attach | detach: names the log file and the log tag
FIP_TOKEN=""
FIP_ZONE=""
FIP_SERVER=""
FIP_API=""
API_STATUS=""
API_BODY=""

fip_init() {
  FIP_ACTION="$1"
  FIP_LOG_FILE="$SCW_FLEXIP_LOG_DIR/scw-flexip-$FIP_ACTION.log"
  mkdir -p "$SCW_FLEXIP_LOG_DIR" 2>/dev/null || true
}

# never let the token reach a log line, whatever carries it
fip_mask() {
  local text="$1"
  if [ -n "$FIP_TOKEN" ]; then text="${text//"$FIP_TOKEN"/***}"; fi
  printf '%s' "$text" | tr '\n' ' ' | cut -c1-600
}

fip_log() {
  local level="$1"; shift
  local line
  line="$(date -u +%Y-%m-%dT%H:%M:%SZ) scw-flexip-$FIP_ACTION[$$] $level: $(fip_mask "$*")"
  printf '%s\n' "$line" >>"$FIP_LOG_FILE" 2>/dev/null || true
  # errors also go to stderr: OpenNebula copies a failing driver's stderr into the VM log
  if [ "$level" = "ERROR" ]; then printf '%s\n' "$line" >&2; fi
}

fip_die() { fip_log ERROR "$*"; exit 1; }

fip_sleep() { sleep "$1"; }

# Public IPv4 addresses of the VM's NICs, one a line. Stdin of the hook is the base64 VM XML.
# When the driver acts on a hot-plugged NIC (ATTACH=YES) only that NIC is taken.
fip_vm_public_ips() {
  local xml="$1"
  printf '%s' "$xml" | python3 -c '
import ipaddress, sys
import xml.etree.ElementTree as ET
try:
    root = ET.fromstring(sys.stdin.read())
except ET.ParseError as e:
    sys.stderr.write("cannot parse the VM XML: %s\n" % e)
    sys.exit(2)
nics = root.findall("./TEMPLATE/NIC")
hot = [n for n in nics if (n.findtext("ATTACH") or "").strip().upper() == "YES"]
seen = []
for nic in hot or nics:
    ip = (nic.findtext("IP") or "").strip()
    try:
        addr = ipaddress.IPv4Address(ip)
    except ValueError:
        continue
    if addr.is_global and ip not in seen:
        seen.append(ip)
print("\n".join(seen))
'
}

fip_load_config() {
  local sid
  [ -r "$SCW_FLEXIP_TOKEN_FILE" ] || fip_die "token file $SCW_FLEXIP_TOKEN_FILE is missing or unreadable; run the hooks playbook (onedeck: deploy hooks)"
  FIP_TOKEN="$(tr -d ' \t\r\n' <"$SCW_FLEXIP_TOKEN_FILE")"
  [ -n "$FIP_TOKEN" ] || fip_die "token file $SCW_FLEXIP_TOKEN_FILE is empty; run the hooks playbook (onedeck: deploy hooks)"
  [ -r "$SCW_FLEXIP_SERVER_ID_FILE" ] || fip_die "server id file $SCW_FLEXIP_SERVER_ID_FILE is missing; run the hooks playbook"
  sid="$(tr -d ' \t\r\n' <"$SCW_FLEXIP_SERVER_ID_FILE")"
  case "$sid" in
    */*) FIP_ZONE="${sid%%/*}"; FIP_SERVER="${sid#*/}" ;;
    *) fip_die "server id \"$sid\" in $SCW_FLEXIP_SERVER_ID_FILE is not zone/uuid (e.g. fr-par-2/<uuid>)" ;;
  esac
  [ -n "$FIP_ZONE" ] && [ -n "$FIP_SERVER" ] || fip_die "server id \"$sid\" in $SCW_FLEXIP_SERVER_ID_FILE is not zone/uuid"
  FIP_API="https://api.scaleway.com"
  if [ -r "$SCW_FLEXIP_API_URL_FILE" ]; then
    local url; url="$(tr -d ' \t\r\n' <"$SCW_FLEXIP_API_URL_FILE")"
    [ -n "$url" ] && FIP_API="${url%/}"
  fi
  FIP_BASE="$FIP_API/flexible-ip/v1alpha1/zones/$FIP_ZONE"
}

# fip_api METHOD URL [JSON-BODY] -> API_STATUS (000 when unreachable), API_BODY
# The token goes to curl through its config on stdin, never on a command line.
fip_api() {
  local method="$1" url="$2" body="${3:-}" out
  local args=(-sS -X "$method" --max-time "$SCW_FLEXIP_HTTP_TIMEOUT" -H 'Accept: application/json' -w '\n%{http_code}' --config -)
  if [ -n "$body" ]; then args+=(-H 'Content-Type: application/json' --data-binary "$body"); fi
  out="$(printf 'header = "X-Auth-Token: %s"\n' "$FIP_TOKEN" | curl "${args[@]}" "$url" 2>&1)" || true
  API_STATUS="${out##*$'\n'}"
  API_BODY="${out%$'\n'*}"
  [ "$API_BODY" = "$out" ] && API_BODY=""
  case "$API_STATUS" in [0-9][0-9][0-9]) ;; *) API_BODY="$out"; API_STATUS="000" ;; esac
  fip_log DEBUG "$method ${url#"$FIP_API"} ${body:+body=$body }-> $API_STATUS"
}

# Stop on answers no retry can fix, with a message that says what to do.
fip_api_check() {
  local what="$1"
  case "$API_STATUS" in
    2??) return 0 ;;
    401) fip_die "$what: the Scaleway API denied the token (HTTP 401): $(fip_api_message). Write a valid IAM secret key to $SCW_FLEXIP_TOKEN_FILE (onedeck: deploy hooks)" ;;
    403) fip_die "$what: the token lacks permissions (HTTP 403): $(fip_api_message). Give its IAM application ElasticMetalFullAccess in project of server $FIP_SERVER" ;;
    000) fip_die "$what: cannot reach $FIP_API: $API_BODY" ;;
    *) fip_die "$what: HTTP $API_STATUS: $(fip_api_message)" ;;
  esac
}

fip_api_message() {
  printf '%s' "$API_BODY" | jq -r '.message // .type // empty' 2>/dev/null | head -c 300 || true
}

# fip_find IP -> FIP_ID: the Flexible IP id, or empty when no Flexible IP has this address.
# Walks every page: the list is paginated (default page size 20) and has no address filter.
fip_find() {
  local ip="$1" page=1 total count id
  FIP_ID=""
  while [ "$page" -le "$SCW_FLEXIP_MAX_PAGES" ]; do
    fip_api GET "$FIP_BASE/fips?page=$page&page_size=$SCW_FLEXIP_PAGE_SIZE&order_by=created_at_asc"
    fip_api_check "listing Flexible IPs (page $page)"
    id="$(printf '%s' "$API_BODY" | jq -r --arg ip "$ip" \
      '.flexible_ips[]? | select(((.ip_address // "") | split("/")[0]) == $ip) | .id' | head -n1)"
    if [ -n "$id" ]; then FIP_ID="$id"; return 0; fi
    count="$(printf '%s' "$API_BODY" | jq -r '.flexible_ips | length')"
    total="$(printf '%s' "$API_BODY" | jq -r '.total_count // 0')"
    if [ "$count" -eq 0 ] || [ $((page * SCW_FLEXIP_PAGE_SIZE)) -ge "$total" ]; then return 0; fi
    page=$((page + 1))
  done
  fip_log WARN "stopped looking for $ip after $SCW_FLEXIP_MAX_PAGES pages"
}

# fip_listed ID: is a Flexible IP with this id in the zone's list? (walks every page)
fip_listed() {
  local id="$1" page=1 total count body
  while [ "$page" -le "$SCW_FLEXIP_MAX_PAGES" ]; do
    fip_api GET "$FIP_BASE/fips?page=$page&page_size=$SCW_FLEXIP_PAGE_SIZE&order_by=created_at_asc"
    fip_api_check "listing Flexible IPs (page $page)"
    body="$API_BODY"
    if printf '%s' "$body" | jq -e --arg id "$id" 'any(.flexible_ips[]?; .id == $id)' >/dev/null; then return 0; fi
    count="$(printf '%s' "$body" | jq -r '.flexible_ips | length')"
    total="$(printf '%s' "$body" | jq -r '.total_count // 0')"
    if [ "$count" -eq 0 ] || [ $((page * SCW_FLEXIP_PAGE_SIZE)) -ge "$total" ]; then return 1; fi
    page=$((page + 1))
  done
  return 1
}

# fip_get ID -> FIP_STATUS, FIP_OWNER (server uuid or empty), FIP_MAC.
# A deleted Flexible IP: FIP_STATUS=gone. Scaleway answers a GET on a deleted Flexible IP with 403
# permissions_denied (not 404), so a 403 is taken for a missing permission only when the list still
# has the id; a 404 means gone too.
fip_get() {
  local id="$1" status body
  fip_api GET "$FIP_BASE/fips/$id"
  if [ "$API_STATUS" = "403" ] || [ "$API_STATUS" = "404" ]; then
    status="$API_STATUS" body="$API_BODY"
    if ! fip_listed "$id"; then
      fip_log INFO "Flexible IP $id is gone (GET answered $status and the list does not have it)"
      FIP_STATUS="gone" FIP_OWNER="" FIP_MAC=""
      return 0
    fi
    API_STATUS="$status" API_BODY="$body"
  fi
  fip_api_check "reading Flexible IP $id"
  FIP_STATUS="$(printf '%s' "$API_BODY" | jq -r '.status // "unknown"')"
  FIP_OWNER="$(printf '%s' "$API_BODY" | jq -r '.server_id // empty')"
  FIP_MAC="$(printf '%s' "$API_BODY" | jq -r '.mac_address.mac_address // empty')"
}

fip_transient() {
  case "$1" in updating | detaching | attaching) return 0 ;; *) return 1 ;; esac
}

# fip_wait_settled ID: poll (bounded) while the Flexible IP is in transit; leaves fip_get's values.
fip_wait_settled() {
  local id="$1" i=0
  fip_get "$id"
  while fip_transient "$FIP_STATUS"; do
    i=$((i + 1))
    if [ "$i" -gt "$SCW_FLEXIP_WAIT_TRIES" ]; then
      fip_die "Flexible IP $id is still \"$FIP_STATUS\" after $SCW_FLEXIP_WAIT_TRIES polls every ${SCW_FLEXIP_WAIT_SECONDS}s; retry the VM action, or raise SCW_FLEXIP_WAIT_TIMEOUT (now ${SCW_FLEXIP_WAIT_TIMEOUT}s)"
    fi
    fip_log INFO "Flexible IP $id is $FIP_STATUS, waiting (${i}/$SCW_FLEXIP_WAIT_TRIES)"
    fip_sleep "$SCW_FLEXIP_WAIT_SECONDS"
    fip_get "$id"
  done
}

# fip_post_retry WHAT URL BODY: POST, retrying a bounded number of times while the API answers 409
fip_post_retry() {
  local what="$1" url="$2" body="$3" attempt=1
  while :; do
    fip_api POST "$url" "$body"
    if [ "$API_STATUS" != "409" ]; then fip_api_check "$what"; return 0; fi
    if [ "$attempt" -ge "$SCW_FLEXIP_CONFLICT_TRIES" ]; then
      fip_die "$what: the API still answers 409 after $attempt attempts: $(fip_api_message)"
    fi
    fip_log INFO "$what: 409 ($(fip_api_message)), retrying ($attempt/$SCW_FLEXIP_CONFLICT_TRIES)"
    attempt=$((attempt + 1))
    fip_sleep "$SCW_FLEXIP_CONFLICT_SECONDS"
  done
}

# Read the hook's stdin (base64 VM XML) and print the VM's public IPs; exits 0 when there are none.
fip_read_vm() {
  local raw xml
  raw="$(cat)"
  xml="$(printf '%s' "$raw" | base64 -d 2>/dev/null)" || fip_die "stdin is not the base64 VM XML OpenNebula passes to hooks"
  VM_ID="$(printf '%s' "$xml" | python3 -c 'import sys, xml.etree.ElementTree as E; print(E.fromstring(sys.stdin.read()).findtext("ID") or "?")' 2>/dev/null || echo '?')"
  VM_IPS="$(fip_vm_public_ips "$xml")" || fip_die "VM $VM_ID: cannot read the NIC addresses from the VM XML"
}
