// The one remote command of a host probe: a POSIX sh script (marker `onedeck-probe`) that prints
// `key value` lines (see probe-parse.ts). It re-runs itself through `sudo -n` when the SSH user is
// not root and may, because the hook files and logs belong to oneadmin; `become yes|no` says
// whether it runs as root (the user is root or may sudo -n), which Ansible's become needs.

export const PROBE_MARKER = 'onedeck-probe';
const PROBE_VERSION = 1;

/** Directories where a node keeps the bridge driver's hooks, first existing wins. */
const HOOK_DIRS = ['/var/tmp/one/vnm/bridge', '/var/lib/one/remotes/vnm/bridge'];
const HOOK_LOG_GLOB = '/var/log/vnm/scw-flexip-*.log';

export interface ProbePaths {
  hookDirs: string[];
  hookLogGlob: string;
}

const DEFAULT_PATHS: ProbePaths = { hookDirs: HOOK_DIRS, hookLogGlob: HOOK_LOG_GLOB };

/** The script; paths are overridable so tests can point it at fixtures on a real host. */
function buildProbeScript(paths: ProbePaths = DEFAULT_PATHS): string {
  return `# ${PROBE_MARKER} ${PROBE_VERSION}
echo "${PROBE_MARKER} ${PROBE_VERSION}"
if [ "$(id -u)" = 0 ]; then echo "become yes"; else echo "become no"; fi
read l1 rest < /proc/loadavg 2>/dev/null && echo "load1 $l1"
awk '/^MemTotal:/ {print "mem_total_kb " $2} /^MemAvailable:/ {print "mem_available_kb " $2}' /proc/meminfo 2>/dev/null
d=/var/lib/one; [ -d "$d" ] || d=/
df -P "$d" 2>/dev/null | awk 'NR==2 {sub(/%/, "", $5); print "disk_used_pct " $5}'
s=$(systemctl is-active libvirtd 2>/dev/null | head -n 1)
case "$s" in active|inactive|failed) ;; *) s=unknown ;; esac
echo "libvirtd $s"
if [ -d /sys/module/kvm ]; then echo "kvm loaded"; else echo "kvm missing"; fi
hd=missing
for c in ${paths.hookDirs.join(' ')}; do if [ -d "$c" ]; then hd=$c; break; fi; done
echo "hooks_dir $hd"
if [ "$hd" != missing ]; then
  ( cd "$hd" && for f in pre.d/*flexip* clean.d/*flexip* scw-flexip/*; do
      [ -f "$f" ] || continue
      h=$(sha256sum "$f" 2>/dev/null | cut -d' ' -f1)
      echo "hook $f \${h:--}"
    done )
fi
cut=$(date -u -d '24 hours ago' +%Y-%m-%dT%H:%M:%S 2>/dev/null)
# errors of the last 24 h that no later successful attach cleared (the log's lines in time order)
errs=$(cat ${paths.hookLogGlob} 2>/dev/null | sort | awk -v cut="$cut" '
  / INFO: VM [^:]*: (attached Flexible IP|Flexible IP .* is already attached)/ { n = 0; next }
  /ERROR/ { t = substr($0, 1, 19); gsub(/ /, "T", t)
    if (t !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/) next
    if (cut == "" || t >= cut) e[++n] = $0 }
  END { for (i = 1; i <= n; i++) print e[i] }')
if [ -n "$errs" ]; then n=$(printf '%s\\n' "$errs" | wc -l); else n=0; fi
echo "hook_errors_24h $n"
if [ -n "$errs" ]; then printf '%s\\n' "$errs" | tail -n 5 | while IFS= read -r l; do echo "hook_error $l"; done; fi
echo end
`;
}

export const PROBE_SCRIPT = buildProbeScript();

/** Quote for a POSIX shell: the whole text in single quotes. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command sent over SSH: the script, run as root when the user is root or may sudo -n. */
export function probeCommand(paths?: ProbePaths): string {
  const s = shQuote(paths ? buildProbeScript(paths) : PROBE_SCRIPT);
  return `S=${s}; if [ "$(id -u)" != 0 ] && sudo -n true 2>/dev/null; then sudo -n sh -c "$S"; else sh -c "$S"; fi`;
}
