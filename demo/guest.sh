#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo, inside the test VM (demo/run boots it): one real container run
# by crun twice, unconfined and under ctguard's "container" profile applied
# by ctguard-oci-hook, trying the classic escape primitives; prints each
# attempt side by side with what `ctguard monitor` reported, and a summary.
# Exits non-zero if anything it shows is not so.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
C=$ROOT/user/ctguard/ctguard
HOOK=$ROOT/user/oci-hook/ctguard-oci-hook
PROBE=$ROOT/selftests/build/ctg-probe
TMP=$(mktemp -d /tmp/ctgdemo.XXXXXX)
ATTEMPTS=(mount rawsock dmesg mknod chroot dev:/dev/zero)
declare -A WHAT=(
	[work]="write and read back a file (normal work)"
	[mount]="mount a tmpfs (mount namespace escape, cgroup v1 release_agent)"
	[rawsock]="open a raw packet socket (ARP/DNS spoofing on the bridge)"
	[dmesg]="read the kernel log (kernel address leaks; CAP_SYSLOG)"
	[mknod]="create a device node /dev/null-alike (raw disk access)"
	[chroot]="use CAP_SYS_CHROOT (denied on top of the profile)"
	[dev:/dev/zero]="open /dev/zero, outside the device allowlist"
)
fail=0

say() { printf '\n== %s\n' "$*"; }

run_container() {
	local name=$1 bundle=$TMP/$1
	shift
	mkdir -p "$bundle"
	python3 "$ROOT/selftests/runtime/container.py" "$bundle" --probe "$PROBE" \
		--cgroup "/demo-$name" --hook "$HOOK" "$@" -- /probe work "${ATTEMPTS[@]}" ||
		return 1
	crun --root "$TMP/state" --cgroup-manager=cgroupfs run -b "$bundle" "demo-$name" \
		</dev/null 2>"$TMP/$name.err"
}

result() { awk -v op="$1" '$1 == op { print $2 }' "$2"; }

say "ctguard $(cat "$ROOT/VERSION") on $(uname -r): module loaded, no policy yet"
"$C" status | sed 's/^/   /' | head -8

say "1. A container without ctguard (crun, busybox, with CAP_SYS_ADMIN, CAP_NET_RAW, CAP_SYSLOG, CAP_MKNOD and /dev/zero)"
run_container free >"$TMP/free.out" || { cat "$TMP/free.err"; exit 1; }
sed 's/^/   /' "$TMP/free.out"

say "2. The same container with the annotations io.ctguard.profile=container, io.ctguard.deny-cap=sys_chroot,"
echo "   io.ctguard.allow-dev='c 1:3 rwm; c 1:8 rwm; c 1:9 rwm; c 5:* rwm; c 136:* rwm' (ctguard-oci-hook applies them)"
"$C" monitor >"$TMP/monitor.out" 2>&1 &
mon=$!
sleep 1
run_container boxed --annotation io.ctguard.profile=container \
	--annotation io.ctguard.deny-cap=sys_chroot \
	--annotation "io.ctguard.allow-dev=c 1:3 rwm; c 1:8 rwm; c 1:9 rwm; c 5:* rwm; c 136:* rwm" \
	>"$TMP/boxed.out" || { cat "$TMP/boxed.err"; exit 1; }
sed 's/^/   /' "$TMP/boxed.out"
sleep 1
kill "$mon"
wait "$mon" 2>/dev/null

say "3. What 'ctguard monitor' printed meanwhile (outside the container)"
grep -v '^$' "$TMP/monitor.out" | sed 's/^/   /' | head -20

say "Summary: the same attempt, without and with ctguard"
printf '   %-66s %-12s %s\n' "attempt" "unconfined" "ctguard"
for op in work "${ATTEMPTS[@]}"; do
	a=$(result "$op" "$TMP/free.out")
	b=$(result "$op" "$TMP/boxed.out")
	printf '   %-66s %-12s %s\n' "${WHAT[$op]}" "${a:-?}" "${b:-?}"
	if [ "$op" = work ]; then
		[ "$a" = ok ] && [ "$b" = ok ] || fail=1
	else
		[ "$a" = ok ] && [ "$b" = EPERM ] || fail=1
	fi
done
events=$(grep -c " denied " "$TMP/monitor.out")
echo "   events reported by the monitor: $events"
[ "$events" -ge "${#ATTEMPTS[@]}" ] || fail=1
if [ "$fail" -eq 0 ]; then
	say "OK: every escape attempt that works in a plain container was refused under ctguard, the container's own work ran, and each refusal was reported."
else
	say "FAILED: the table above does not show what it should."
fi
rm -rf "$TMP"
exit "$fail"
