#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test bench's own tests, inside the VM (TAP). Run by selftests/check
# through selftests/guest-run, or by hand:
#   selftests/vm/run --kernel 6.12 --load -- selftests/bench_test.sh
#
# The guest is what the other tests expect (the host root read-only,
# writable tmpfs, cgroup2, user namespaces, wide ping_group_range), and the
# module loaded by --load unloads and loads again cleanly, its generic
# netlink family "ctguard" disappearing and reappearing with it. The host
# side of the bench (failure detection of selftests/vm/run) is tested by
# selftests/vm/self-test.
set -u

n=0
failures=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() {
	n=$((n + 1))
	failures=$((failures + 1))
	echo "not ok $n $1"
	shift
	for l in "$@"; do echo "#   $l"; done
}
# check NAME COMMAND...: one test case, passing when COMMAND succeeds.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		not_ok "$name" "failed: $*" "${out:-(no output)}"
	fi
}
mounted() { # mounted PATH FSTYPE
	awk -v p="$1" -v t="$2" '$5 == p && $(NF - 2) == t { f = 1 } END { exit !f }' /proc/self/mountinfo
}
module_loaded() { [ -d "/sys/module/$MOD" ] && [ "$(cat "/sys/module/$MOD/initstate" 2>/dev/null)" = live ]; }
module_gone() { [ ! -e "/sys/module/$MOD" ]; }
family_present() { genl ctrl get name ctguard >/dev/null 2>&1; }
family_absent() {
	local out
	out=$(genl ctrl list 2>&1) || return 1 # genl itself must work
	! grep -qE '^Name: ctguard$' <<<"$out"
}
writable() { local f; f=$(mktemp -p "$1") && rm -f "$f"; }
read_only() { ! touch "$1/.ctguard-bench-$$" 2>/dev/null; }
taint_ok() { # only O (4096) and E (8192)
	local t; t=$(cat /proc/sys/kernel/tainted)
	[ $((t & ~(4096 | 8192))) -eq 0 ] || { echo "tainted $t"; return 1; }
}

MOD=${CTGUARD_MODNAME:-ctguard}

echo "TAP version 13"
echo "1..16"
echo "# kernel $(uname -r)"

# --- the guest environment ------------------------------------------------
check "guest: in the VM (CTGUARD_VM set, kernel $(uname -r))" test -n "${CTGUARD_VM:-}"
check "guest: root file system is the host's, read-only" read_only "$PWD"
check "guest: /tmp, /run, /var/tmp are writable tmpfs" \
	sh -c 'for d in /tmp /run /var/tmp; do t=$(mktemp -p $d) && rm -f "$t" || exit 1; done'
check "guest: cgroup2 mounted on /sys/fs/cgroup" mounted /sys/fs/cgroup cgroup2
check "guest: user namespaces work (switch_root, not chroot)" unshare -U -r true
check "guest: ICMP ping sockets allowed to every group" \
	grep -qx '0[[:space:]]*2147483647' /proc/sys/net/ipv4/ping_group_range
check "guest: results directory is writable" writable "${CTGUARD_RESULTS:-/nonexistent}"

# --- the module loaded by --load -----------------------------------------
if [ -z "${CTGUARD_MODULE:-}" ]; then
	echo "# no module: run with selftests/vm/run --load"
fi
check "module: $MOD is loaded (--load)" module_loaded
check "module: generic netlink family ctguard is registered" family_present
check "module: rmmod $MOD succeeds" rmmod "$MOD"
check "module: /sys/module/$MOD is gone after rmmod" module_gone
check "module: family ctguard is gone after rmmod" family_absent
check "module: insmod succeeds again" insmod "${CTGUARD_MODULE:-/nonexistent}"
check "module: $MOD is live after insmod" module_loaded
check "module: family ctguard is back after insmod" family_present
check "module: kernel taint is only O and/or E" taint_ok

[ "$n" -eq 16 ] || echo "# bench_test.sh: ran $n tests, planned 16"
[ "$failures" -eq 0 ]
