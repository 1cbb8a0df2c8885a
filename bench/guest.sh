#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark, inside the VM (bench/run boots it with
#   selftests/vm/run --kernel K --load --icount -- bench/guest.sh).
# Every configuration runs the same loops (bench/build/loops) in the same
# boot, the caller always in a cgroup below /sys/fs/cgroup/ctgb, which holds
# the cgroup controllers for everything under it: so memory accounting and
# the other controllers cost the same in every configuration, and only
# ctguard differs. Raw figures go to $CTGUARD_RESULTS/bench/raw.jsonl, one
# JSON object a line; bench/report turns them into the table, JSON and plot.
#
# Environment: CTGB_RUNS (runs per loop, 7), CTGB_SCALE (iterations, 1),
# CTGB_MAX (policies for the largest scale point, 100000), CTGB_OTHERS (other
# cgroups tagged in the untagged/tagged configurations, 10000), CTGB_SWEEP
# (small scale points applied one batch after the other, "1 10 100 1000").
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${CTGB_RUNS:-7}
SCALE=${CTGB_SCALE:-1}
MAX=${CTGB_MAX:-100000}
OTHERS=${CTGB_OTHERS:-10000}
SWEEP=${CTGB_SWEEP:-1 10 100 1000}
MOD=${CTGUARD_MODNAME:-ctguard}
KO=${CTGUARD_MODULE:?run me with selftests/vm/run --load}
B=$PWD/bench/build
OUT=${CTGUARD_RESULTS:?}/bench
CG=/sys/fs/cgroup/ctgb
POL=$CG/pol
WORK=/tmp/ctgbench

mkdir -p "$OUT"
RAW=$OUT/raw.jsonl
: >"$RAW"

t_start=$(cut -d' ' -f1 /proc/uptime)
log() { echo "bench: [$(cut -d' ' -f1 /proc/uptime)s] $*" >&2; }
die() { echo "bench: FAILED: $*" >&2; exit 1; }
emit() { printf '%s\n' "$1" >>"$RAW"; }
# JSON string of $1.
jstr() {
	local s=$1
	s=${s//\\/\\\\}
	s=${s//\"/\\\"}
	s=${s//$'\n'/\\n}
	s=${s//$'\t'/\\t}
	printf '"%s"' "$s"
}

[ "$(id -u)" -eq 0 ] || die "not root"
[ -x "$B/loops" ] && [ -x "$B/ctgb" ] || die "build the programs first (make -C bench)"
grep -q ' /sys/kernel/tracing ' /proc/mounts ||
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true

# --- the machine -----------------------------------------------------------
emit "{\"type\":\"env\",\"release\":$(jstr "$(uname -r)"),\"version\":$(jstr "$(uname -v)"),\
\"cmdline\":$(jstr "$(cat /proc/cmdline)"),\
\"clocksource\":$(jstr "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"),\
\"cpu\":$(jstr "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"),\
\"nr_cpus\":$(nproc),\"mem_kb\":$(awk '/^MemTotal/ {print $2}' /proc/meminfo),\
\"spectre_v2\":$(jstr "$(cat /sys/devices/system/cpu/vulnerabilities/spectre_v2 2>/dev/null)"),\
\"dmesg_restrict\":$(cat /proc/sys/kernel/dmesg_restrict),\
\"commit\":$(jstr "${CTGB_COMMIT:-unknown}"),\"qemu\":$(jstr "${CTGB_QEMU:-unknown}"),\
\"runs\":$RUNS,\"scale\":$SCALE,\"max\":$MAX,\"others\":$OTHERS,\
\"seccomp\":$("$B/loops" --seccomp-info 2>/dev/null | sed 's/^{"seccomp"://; s/}$//')}"

# --- cgroups -----------------------------------------------------------------
# ctgb keeps the controllers of the root's subtree_control; nothing below it
# enables any, so every caller shares ctgb's controllers.
mkdir "$CG" "$CG/u" "$CG/t1" "$CG/den" "$CG/com" "$POL"
d8=$CG
for i in 1 2 3 4 5 6 7 8; do
	d8=$d8/l$i
	mkdir "$d8"
done
log "creating $MAX cgroups under $POL"
r=$("$B/ctgb" mkcg "$POL" "$MAX") || die "ctgb mkcg"
emit "{\"type\":\"mkcg\",\"result\":$r}"
log "cgroups made"

# run_loops CONFIG CGROUP [LOOPS ARGS...]: the loops, as a task of CGROUP.
run_loops() {
	local config=$1 cg=$2
	shift 2
	log "loops: $config"
	(echo "$BASHPID" >"$cg/cgroup.procs" &&
		exec "$B/loops" -d "$WORK" -c "$config" -r "$RUNS" -s "$SCALE" "$@") >>"$RAW" ||
		die "loops failed in $config"
}
status() { # status LABEL
	local s
	s=$("$B/ctgb" status) || die "ctgb status"
	emit "{\"type\":\"status\",\"label\":$(jstr "$1"),\"status\":$s}"
}
apply() { # apply LABEL N START [POLICY OPTIONS...]
	local label=$1 n=$2 start=$3 r
	shift 3
	log "apply: $label ($n policies)"
	r=$("$B/ctgb" apply "$POL" "$n" "$start" "$@") || die "ctgb apply ($label)"
	emit "{\"type\":\"apply\",\"label\":$(jstr "$label"),\"result\":$r}"
}
delete() { # delete LABEL N START
	local r
	log "delete: $1 ($2 policies)"
	r=$("$B/ctgb" del "$POL" "$2" "$3") || die "ctgb del ($1)"
	emit "{\"type\":\"del\",\"label\":$(jstr "$1"),\"result\":$r}"
}
# The others: every class and every capability denied, so every probe is armed.
ALL=(-d all -c all)

# --- module not loaded ---------------------------------------------------------
rmmod "$MOD" || die "rmmod $MOD"
[ ! -e "/sys/module/$MOD" ] || die "$MOD still loaded"
run_loops notloaded "$CG/u"
run_loops seccomp "$CG/u" --seccomp

# --- loaded, no policy; then the small scale points ------------------------------
insmod "$KO" || die "insmod $KO"
run_loops loaded "$CG/u"
status loaded
prev=0
for n in $SWEEP; do
	[ "$n" -gt "$prev" ] || die "CTGB_SWEEP must increase"
	apply "sweep_$n" $((n - prev)) "$prev" "${ALL[@]}"
	run_loops "untagged_$n" "$CG/u"
	prev=$n
done
delete "del_$prev" "$prev" 0
status after_sweep

# --- 10,000 others tagged: untagged caller, tagged callers, denied, complain ----
apply "apply_$OTHERS" "$OTHERS" 0 "${ALL[@]}"
status "after_$OTHERS"
cp /sys/kernel/tracing/enabled_functions "$OUT/enabled_functions.txt" 2>/dev/null || true
run_loops "untagged_$OTHERS" "$CG/u"

# Which probes each loop goes through, from the hit counters: one short run
# of each loop between two status replies.
for l in $("$B/loops" --list | cut -f1); do
	before=$("$B/ctgb" status) || die "ctgb status"
	out=$( (echo "$BASHPID" >"$CG/u/cgroup.procs" &&
		exec "$B/loops" -d "$WORK" -c probe_map -r 1 -w 0 -s 0.05 -l "$l")) ||
		die "loops $l (probe map)"
	after=$("$B/ctgb" status) || die "ctgb status"
	emit "{\"type\":\"probe_map\",\"loop\":\"$l\",\"run\":$out,\"before\":$before,\"after\":$after}"
done

# Allowed: the policies deny a class and a capability none of the loops uses.
ALLOWED=(-d userns -c sys_module)
"$B/ctgb" set "$CG/t1" "${ALLOWED[@]}"
run_loops tagged_d1 "$CG/t1"
d=$CG
for i in 1 2 3 4 5 6 7 8; do
	d=$d/l$i
	"$B/ctgb" set "$d" "${ALLOWED[@]}"
done
run_loops tagged_d8 "$d8"

# Denied: what the loops that can be refused do (the others still run).
DENY=(-d mount,dmesg,devices -c sys_admin,syslog)
"$B/ctgb" set "$CG/den" "${DENY[@]}"
status before_denied
run_loops denied "$CG/den"
status after_denied

# Complain, with a listener that receives and decodes every event.
"$B/ctgb" set "$CG/com" "${DENY[@]}" -m complain
(echo "$BASHPID" >"$CG/u/cgroup.procs" && exec "$B/ctgb" listen) >"$WORK.listen" &
listener=$!
for _ in $(seq 100); do
	grep -q ready "$WORK.listen" 2>/dev/null && break
	sleep 0.1
done
grep -q ready "$WORK.listen" || die "the event listener did not start"
status before_complain
run_loops complain "$CG/com"
status after_complain
kill -TERM "$listener"
wait "$listener" || die "the event listener failed"
emit "{\"type\":\"listener\",\"result\":$(grep '^{' "$WORK.listen")}"

for c in "$CG/t1" "$CG/den" "$CG/com"; do "$B/ctgb" unset "$c"; done
d=$CG
for i in 1 2 3 4 5 6 7 8; do
	d=$d/l$i
	"$B/ctgb" unset "$d"
done
delete "del_$OTHERS" "$OTHERS" 0
status "after_del_$OTHERS"

# --- the largest scale point, applied from scratch -------------------------------
apply "apply_$MAX" "$MAX" 0 "${ALL[@]}"
status "after_$MAX"
run_loops "untagged_$MAX" "$CG/u"

# --- unload with every policy in place, and the baseline again ---------------
t0=$(date +%s%N)
rmmod "$MOD" || die "rmmod $MOD with $MAX policies"
emit "{\"type\":\"rmmod\",\"policies\":$MAX,\"ns\":$(($(date +%s%N) - t0))}"
run_loops notloaded_end "$CG/u"

log "done in $(awk -v a="$t_start" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }')s of guest time"
