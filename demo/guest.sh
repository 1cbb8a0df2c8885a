#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo, inside the test VM (the top Makefile boots it with
# selftests/vm/run --load): one real container run by Debian's crun twice,
# unconfined and under ctguard's "container" profile applied by
# ctguard-oci-hook, trying the classic escape primitives. Prints each attempt
# with both outcomes and the events `ctguard monitor` printed outside the
# container, then a summary table. Exits non-zero if anything it shows is
# not so: an attempt that works unconfined and is not refused confined, the
# container's normal work failing, or a refusal the monitor did not report.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
C=$ROOT/user/ctguard/ctguard
HOOK=$ROOT/user/oci-hook/ctguard-oci-hook
PROBE=$ROOT/selftests/build/ctg-probe
TMP=$(mktemp -d /tmp/ctgdemo.XXXXXX)
ATTEMPTS=(mount rawsock dmesg mknod dev:/dev/zero chroot)
declare -A WHAT=(
	[work]="write a file and read it back (the container's normal work)"
	[mount]="mount a filesystem (the way to remount /sys/fs/cgroup rw, reach the host's disks, ...)"
	[rawsock]="open a raw packet socket (ARP/DNS spoofing of the neighbours)"
	[dmesg]="read the kernel log (kernel addresses, other tenants' messages)"
	[mknod]="create a device node (mknod a disk and read it raw)"
	[dev:/dev/zero]="open /dev/zero, a device outside the allowlist the annotation gives"
	[chroot]="use a capability it holds, CAP_SYS_CHROOT, that the annotation denies"
)
declare -A SHORT=(
	[work]="normal work" [mount]="mount" [rawsock]="raw socket"
	[dmesg]="kernel log" [mknod]="mknod" [dev:/dev/zero]="device /dev/zero"
	[chroot]="capability"
)
ANNOTATIONS=(io.ctguard.profile=container io.ctguard.deny-cap=sys_chroot
	"io.ctguard.allow-dev=c 1:3 rwm; c 1:8 rwm; c 1:9 rwm; c 5:* rwm; c 136:* rwm")
fail=0
MON=

cleanup() {
	[ -n "$MON" ] && kill "$MON" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
wrap() { fold -s -w 76 | sed 's/^/   /'; }
# para: one paragraph from stdin, refilled to the width.
para() { paste -sd' ' | fold -s -w 74 | sed 's/ *$//; s/^/   /'; }
bad() { printf '   \033[31m!! %s\033[0m\n' "$*"; fail=1; }

# run_container NAME [--annotation KEY=VALUE]...: the probe in a fresh
# busybox container under crun; its output in $TMP/NAME.out.
run_container() {
	local name=$1 bundle=$TMP/$1
	shift
	mkdir -p "$bundle"
	python3 "$ROOT/selftests/runtime/container.py" "$bundle" \
		--spec "$TMP/spec/config.json" --probe "$PROBE" \
		--cgroup "/demo-$name" --hook "$HOOK" "$@" \
		-- /probe work "${ATTEMPTS[@]}" || return 1
	crun --root "$TMP/state" --cgroup-manager=cgroupfs run -b "$bundle" \
		"demo-$name" </dev/null >"$TMP/$name.out" 2>"$TMP/$name.err"
}

result() { awk -v op="$1" '$1 == op { print $2 }' "$TMP/$2.out"; }
# The monitor's lines for attempt OP: the probe runs it in a process x-OP.
events_of() { grep -F " comm=x-$1" "$TMP/monitor.out" | grep -F " cgroup=/demo-boxed "; }
outcome() {
	case $1 in
	ok) echo "succeeded" ;;
	EPERM) echo "REFUSED (EPERM)" ;;
	"") echo "did not run" ;;
	*) echo "failed ($1)" ;;
	esac
}

for f in "$C" "$HOOK" "$PROBE"; do
	[ -x "$f" ] || { echo "demo: $f is missing (make user)" >&2; exit 1; }
done
command -v crun >/dev/null || { echo "demo: crun is not installed (make deps)" >&2; exit 1; }

say "ctguard $(cat "$ROOT/VERSION") in a VM running Linux $(uname -r)"
"$C" status | head -4 | wrap

say "Step 1. The container"
para <<EOF
A busybox root filesystem and a small program, /probe, that tries the
classic ways out of a container one after the other and prints what
happened. The container is run by crun ($(crun --version | head -1)), with
a config.json made by 'crun spec' that gives it what the attempts need to
work: CAP_SYS_ADMIN, CAP_NET_RAW, CAP_SYSLOG, CAP_MKNOD, CAP_SYS_CHROOT
and /dev/zero in its device list. The config also names ctguard-oci-hook
as its createRuntime and poststop hook.
EOF
mkdir -p "$TMP/spec"
(cd "$TMP/spec" && crun spec) || exit 1

say "Step 2. Run it without ctguard (no io.ctguard.* annotation: the hook does nothing)"
run_container free || { cat "$TMP/free.err"; exit 1; }
sed 's/^/   probe: /' "$TMP/free.out"

say "Step 3. Run the same container with the annotations"
printf '   %s\n' "${ANNOTATIONS[@]}"
para <<EOF
The hook reads them when crun creates the container and sets ctguard's
"container" profile (what Docker allows, nothing more), one more denied
capability and a narrower device allowlist on the container's cgroup,
before the container's program starts. 'ctguard monitor' runs outside the
container meanwhile.
EOF
"$C" monitor >"$TMP/monitor.out" 2>&1 &
MON=$!
sleep 1
ann=()
for a in "${ANNOTATIONS[@]}"; do ann+=(--annotation "$a"); done
run_container boxed "${ann[@]}" || { cat "$TMP/boxed.err"; exit 1; }
sed 's/^/   probe: /' "$TMP/boxed.out"
sleep 1
kill "$MON"
wait "$MON" 2>/dev/null
MON=

say "Step 4. Each attempt, without and with ctguard"
n=0
for op in work "${ATTEMPTS[@]}"; do
	n=$((n + 1))
	a=$(result "$op" free)
	b=$(result "$op" boxed)
	printf '\n   %d. %s\n' "$n" "${WHAT[$op]}"
	printf '      without ctguard: %s\n' "$(outcome "$a")"
	printf '      with ctguard:    %s\n' "$(outcome "$b")"
	ev=$(events_of "$op")
	if [ "$op" = work ]; then
		[ "$a" = ok ] || bad "the plain container's normal work failed"
		[ "$b" = ok ] || bad "the confined container's normal work failed"
		[ -z "$ev" ] || bad "ctguard reported the normal work"
		printf '      ctguard monitor: nothing (nothing was refused)\n'
		continue
	fi
	[ "$a" = ok ] || bad "this should have worked without ctguard"
	[ "$b" = EPERM ] || bad "ctguard should have refused this"
	if [ -n "$ev" ]; then
		printf '%s\n' "$ev" | sed 's/^/      ctguard monitor: /'
	else
		bad "ctguard monitor reported no refusal of this attempt"
	fi
done

say "Summary"
printf '   %-18s %-22s %-22s %s\n' "attempt" "without ctguard" "with ctguard" "reported"
for op in work "${ATTEMPTS[@]}"; do
	a=$(result "$op" free)
	b=$(result "$op" boxed)
	ev=$(events_of "$op" | wc -l)
	printf '   %-18s %-22s %-22s %s\n' "${SHORT[$op]}" "$(outcome "$a")" \
		"$(outcome "$b")" "$ev event(s)"
done
echo
if [ "$fail" -eq 0 ]; then
	echo "   OK: every escape attempt that works in a plain container was refused"
	echo "   under ctguard and reported by 'ctguard monitor', and the container's own"
	echo "   work ran. More: docs/runtimes.md."
else
	echo "   FAILED: what is marked with !! above is not what ctguard should do."
fi
exit "$fail"
