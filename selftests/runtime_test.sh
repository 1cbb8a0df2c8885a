#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Real containers, run by Debian's crun and runc, confined by
# ctguard-oci-hook from their config.json's io.ctguard.* annotations
# (createRuntime and poststop hooks). For each runtime: the escape attempts
# of selftests/runtime/probe.c all succeed in an unconfined container (so
# that every check below can fail), are refused with EPERM in a confined one
# while its normal work runs, and `ctguard monitor` outside sees each
# refusal; the "container" profile; the policy is gone after the container.
# Then the hook's error paths: a malformed annotation or a missing module
# makes the runtime refuse to start the container; bad JSON, no pid, a
# process that is gone fail the hook with a message. Prints TAP.
#
# Run it as root in the test VM, from the top of the tree, with the module
# loaded:  selftests/vm/run --kernel 6.12 --load -- selftests/runtime_test.sh
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
C=${CTGUARD:-$ROOT/user/ctguard/ctguard}
HOOK=${CTGUARD_OCI_HOOK:-$ROOT/user/oci-hook/ctguard-oci-hook}
PROBE=$ROOT/selftests/build/ctg-probe
BUNDLER=$ROOT/selftests/runtime/container.py
PY=/usr/bin/python3
TMP=$(mktemp -d /tmp/ctgrt.XXXXXX)
KO=${CTGUARD_MODULE:-$ROOT/build/${CTGUARD_RELEASE:-$(uname -r)}/ctguard.ko}
OPS=(work dev:/dev/null mount rawsock dmesg mknod chroot dev:/dev/zero)
ESCAPES=(mount rawsock dmesg mknod chroot dev:/dev/zero)
READY_CG=/sys/fs/cgroup/ctgrt-ready

n=0
failed=0
OUT=
ERR=
RC=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	[ -n "$OUT" ] && printf '%s\n' "$OUT" | head -20 | sed 's/^/#   stdout: /'
	[ -n "$ERR" ] && printf '%s\n' "$ERR" | head -20 | sed 's/^/#   stderr: /'
	echo "#   exit status $RC"
}

bail() {
	echo "Bail out! $*"
	exit 1
}

cleanup() {
	[ -n "${MON:-}" ] && kill "$MON" 2>/dev/null
	[ -d "$READY_CG" ] && { "$C" unset --cgroup /ctgrt-ready >/dev/null 2>&1; rmdir "$READY_CG"; }
	rm -rf "$TMP"
}
trap cleanup EXIT

# container RUNTIME NAME [container.py options...]: build the bundle, run
# the probe in it; its stdout, stderr and status in OUT, ERR, RC.
container() {
	local rt=$1 name=$2 bundle
	shift 2
	bundle=$TMP/$rt-$name
	mkdir -p "$bundle"
	"$PY" "$BUNDLER" "$bundle" --spec "$TMP/spec-$rt/config.json" \
		--probe "$PROBE" --cgroup "${CGROUP:-/ctgrt-$rt-$name}" \
		${NOHOOK:+--no-hook} --hook "$HOOK" "$@" -- /probe "${OPS[@]}" \
		>"$TMP/bundler.err" 2>&1 ||
		bail "container.py failed: $(cat "$TMP/bundler.err")"
	case $rt in
	crun) OUT=$(timeout 120 crun --root "$TMP/crun-state" --cgroup-manager=cgroupfs \
			run -b "$bundle" "ctg-$name" 2>"$TMP/err" </dev/null) ;;
	runc) OUT=$(timeout 120 runc --root "$TMP/runc-state" \
			run -b "$bundle" "ctg-$name" 2>"$TMP/err" </dev/null) ;;
	esac
	RC=$?
	ERR=$(cat "$TMP/err")
}

# result OP: what the probe printed for OP ("ok", "EPERM", ...).
result() {
	printf '%s\n' "$OUT" | awk -v op="$1" '$1 == op { print $2 }'
}

# expect_ops DESC OP=WANT...
expect_ops() {
	local desc=$1 kv op want got bad=
	shift
	if [ "$RC" -ne 0 ]; then
		not_ok "$desc (the container did not run)"
		return
	fi
	for kv in "$@"; do
		op=${kv%%=*}
		want=${kv#*=}
		got=$(result "$op")
		[ "$got" = "$want" ] || bad+=" $op=$got (want $want)"
	done
	if [ -z "$bad" ]; then ok "$desc"; else not_ok "$desc:$bad"; fi
}

# monitor_verdict FILE CGROUP: `ctguard monitor --json` in FILE saw, for
# each escape attempt (the probe runs attempt OP in a process named x-OP),
# a denial of its class in CGROUP, and no other event there (the normal
# work, x-work and x-dev:/dev/null, and the runtime are not refused).
monitor_verdict() { # FILE CGROUP
	OUT=$("$PY" - "$1" "$2" <<'EOF'
import json, sys
want = {"x-mount": "mount", "x-rawsock": "rawsock", "x-dmesg": "dmesg",
        "x-mknod": "mknod", "x-chroot": "cap", "x-dev:/dev/zero": "devices"}
seen, bad = {}, []
for line in open(sys.argv[1]):
    try:
        ev = json.loads(line)
    except ValueError:
        continue
    if ev.get("type") != "event" or ev.get("cgroup") != sys.argv[2]:
        continue
    if ev.get("verdict") != "denied":
        bad.append("%s: %s %s" % (ev.get("comm"), ev.get("verdict"), ev.get("class")))
    elif ev.get("comm") not in want:
        bad.append("%s: denied %s" % (ev.get("comm"), ev.get("class")))
    else:
        seen.setdefault(ev.get("comm"), set()).add(ev.get("class"))
missing = [c + ":" + k for c, k in sorted(want.items()) if k not in seen.get(c, ())]
print("missing: " + " ".join(missing) if missing else "",
      "unexpected: " + "; ".join(bad) if bad else "")
print(" ".join(sorted(c + ":" + k for c in seen for k in seen[c])))
EOF
)
	[ -z "$(printf '%s\n' "$OUT" | head -1 | tr -d ' ')" ]
}

# check_monitor LABEL FILE CGROUP: monitor_verdict as a test case.
check_monitor() {
	RC=0
	if ! monitor_verdict "$2" "$3"; then
		ERR=$(head -5 "$2")
		not_ok "$1: ctguard monitor saw one denial per escape attempt, of its class"
	else
		ok "$1: ctguard monitor saw one denial per escape attempt, of its class ($(printf '%s\n' "$OUT" | tail -1))"
	fi
}

# monitor_ready FILE: wait until the monitor writing FILE has subscribed,
# seen by a denial in the scratch cgroup reaching it (a fixed sleep was too
# short on a loaded machine).
monitor_ready() {
	local i
	for i in $(seq 1 60); do
		sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" rawsock' sh \
			"$READY_CG" "$PROBE" >/dev/null 2>&1
		grep -q '"/ctgrt-ready"' "$1" && return 0
		sleep 0.5
	done
	bail "ctguard monitor did not report a denial in 30 s: $(head -3 "$1")"
}

# confined_case RT NAME LABEL CGROUP DESC [container.py options...]: run
# the container NAME (in CGROUP) while `ctguard monitor` watches from
# outside; its normal work must run and every escape attempt get EPERM, and
# the monitor must report each (check_monitor, under LABEL).
confined_case() {
	local rt=$1 name=$2 label=$3 cg=$4 desc=$5 i
	shift 5
	"$C" monitor --json >"$TMP/mon-$name-$rt.json" 2>&1 &
	MON=$!
	monitor_ready "$TMP/mon-$name-$rt.json"
	container "$rt" "$name" "$@"
	expect_ops "$rt: $desc: normal work runs, every escape attempt gets EPERM" \
		work=ok dev:/dev/null=ok mount=EPERM rawsock=EPERM dmesg=EPERM \
		mknod=EPERM chroot=EPERM dev:/dev/zero=EPERM
	# Events reach the monitor asynchronously: give a loaded machine time.
	for i in $(seq 1 20); do
		monitor_verdict "$TMP/mon-$name-$rt.json" "$cg" && break
		sleep 0.5
	done
	kill "$MON" 2>/dev/null
	wait "$MON" 2>/dev/null
	MON=
	check_monitor "$label" "$TMP/mon-$name-$rt.json" "$cg"
}

policy_count() {
	"$C" status --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["kernel"]["nr_policies"])'
}

[ "$(id -u)" = 0 ] || bail "run as root (in the test VM)"
[ -x "$HOOK" ] || bail "no $HOOK (make user)"
[ -x "$PROBE" ] || bail "no $PROBE (make -C selftests)"
command -v crun >/dev/null || bail "crun is not installed (make deps)"
command -v runc >/dev/null || bail "runc is not installed (make deps)"
[ -e /sys/module/ctguard ] || bail "the ctguard module is not loaded"
policy_count >/dev/null || bail "ctguard status --json does not work"

mkdir -p "$READY_CG" && "$C" set --cgroup /ctgrt-ready --deny rawsock >/dev/null ||
	bail "could not confine the scratch cgroup $READY_CG"

# Each runtime's own default spec, which container.py edits.
for rt in crun runc; do
	mkdir -p "$TMP/spec-$rt"
	(cd "$TMP/spec-$rt" && "$rt" spec) || bail "$rt spec failed"
done

CONFINED=(--annotation io.ctguard.deny=mount,rawsock,dmesg,mknod
	--annotation io.ctguard.deny-cap=sys_chroot
	--annotation "io.ctguard.allow-dev=c 1:3 rwm; c 1:8 rwm; c 1:9 rwm; c 5:* rwm; c 136:* rwm"
	--annotation io.ctguard.mode=enforce)

for rt in crun runc; do
	base=$(policy_count)

	# 1. Unconfined: every attempt succeeds, so each refusal below can fail.
	container "$rt" free
	expect_ops "$rt: without annotations every escape attempt succeeds" \
		work=ok dev:/dev/null=ok mount=ok rawsock=ok dmesg=ok mknod=ok \
		chroot=ok dev:/dev/zero=ok

	# 2. Confined by annotations; the monitor watches from outside.
	confined_case "$rt" conf "$rt" "/ctgrt-$rt-conf" "annotated container" \
		"${CONFINED[@]}"

	# 3. The container profile (Docker's defaults: chroot and /dev/zero stay).
	container "$rt" prof --annotation io.ctguard.profile=container
	expect_ops "$rt: io.ctguard.profile=container refuses mount, raw sockets, dmesg, mknod" \
		work=ok dev:/dev/null=ok mount=EPERM rawsock=EPERM dmesg=EPERM \
		mknod=EPERM chroot=ok dev:/dev/zero=ok

	# 4. Nothing left behind once the containers are gone.
	for i in $(seq 1 20); do
		[ "$(policy_count)" = "$base" ] && break
		sleep 1
	done
	RC=0 OUT=$(policy_count) ERR=
	if [ "$OUT" = "$base" ]; then
		ok "$rt: no policy left after the containers ($base before and after)"
	else
		not_ok "$rt: policies left behind: $OUT, were $base"
	fi
done

# --- path rules: no hook at all ---------------------------------------------
# `ctguard rule add --path --on-exec` before the container exists; the
# container's cgroupsPath matches the rule, its config.json has neither hook
# nor annotation: the module gives the cgroup its policy when the runtime
# creates it, in force from the runtime's exec of the container's program
# (the runtime mounts the root and calls pivot_root in the cgroup first;
# runc's init re-executes itself there too, in the host's mount namespace).
RULE_OPTS=(--on-exec --deny mount,rawsock,dmesg,mknod,devices --deny-cap sys_chroot
	--allow-dev "c 1:3 rwm" --allow-dev "c 1:8 rwm" --allow-dev "c 1:9 rwm"
	--allow-dev "c 5:* rwm" --allow-dev "c 136:* rwm" --mode enforce)
for rt in crun runc; do
	pat="/ctgrule-$rt-*"
	base=$(policy_count)
	OUT=$("$C" rule add --path "$pat" "${RULE_OPTS[@]}" 2>&1)
	RC=$?
	ERR=
	if [ "$RC" -ne 0 ]; then
		not_ok "$rt: ctguard rule add --path '$pat'"
		continue
	fi
	NOHOOK=1 CGROUP="/ctgrule-$rt-1" confined_case "$rt" rule "$rt (rule)" \
		"/ctgrule-$rt-1" "no hook, cgroup matching a rule"
	# The same container in a cgroup the rule does not match runs free.
	NOHOOK=1 CGROUP="/ctgrule-$rt" container "$rt" norule
	expect_ops "$rt: no hook, cgroup not matching the rule: every escape attempt succeeds" \
		work=ok dev:/dev/null=ok mount=ok rawsock=ok dmesg=ok mknod=ok \
		chroot=ok dev:/dev/zero=ok
	OUT=$("$C" rule del --path "$pat" 2>&1)
	RC=$?
	for i in $(seq 1 20); do
		[ "$(policy_count)" = "$base" ] && break
		sleep 1
	done
	if [ "$RC" -eq 0 ] && [ "$(policy_count)" = "$base" ]; then
		ok "$rt: rule deleted, no policy left"
	else
		OUT+=" policies: $(policy_count), were $base"
		not_ok "$rt: rule deleted, no policy left"
	fi
done

# --- error paths: the runtime must refuse to start the container ------------
# crun does not pass a hook's stderr on; its run.oci.hooks.stderr
# annotation sends it to a file, where the user finds the message.
container crun badann --annotation io.ctguard.deny=mout \
	--annotation "run.oci.hooks.stderr=$TMP/hook-badann.err"
ERR+=$'\n'$(cat "$TMP/hook-badann.err" 2>/dev/null)
if [ "$RC" -ne 0 ] && [[ $ERR == *"unknown class 'mout'"* ]] && [ -z "$(result work)" ]; then
	ok "crun: a malformed annotation stops the container, naming it"
else
	not_ok "crun: a malformed annotation stops the container, naming it"
fi
container runc badkey --annotation io.ctguard.deny-caps=sys_admin
if [ "$RC" -ne 0 ] && [[ $ERR == *"unknown annotation io.ctguard.deny-caps"* ]] && [ -z "$(result work)" ]; then
	ok "runc: an unknown io.ctguard annotation stops the container, naming it"
else
	not_ok "runc: an unknown io.ctguard annotation stops the container, naming it"
fi

# The module missing: refused, not started unconfined.
if rmmod ctguard 2>"$TMP/rmmod.err"; then
	container crun nomod --annotation io.ctguard.profile=container \
		--annotation "run.oci.hooks.stderr=$TMP/hook-nomod.err"
	ERR+=$'\n'$(cat "$TMP/hook-nomod.err" 2>/dev/null)
	if [ "$RC" -ne 0 ] && [[ $ERR == *"module not loaded"* ]] && [ -z "$(result work)" ]; then
		ok "crun: without the module the container is not started"
	else
		not_ok "crun: without the module the container is not started"
	fi
	insmod "$KO" || bail "insmod $KO failed: the module is gone"
else
	RC=1 OUT= ERR=$(cat "$TMP/rmmod.err")
	not_ok "rmmod ctguard for the module-missing case"
fi

# hookcase DESC STDIN WANT-STDERR: run the hook directly.
hookcase() {
	OUT=$(printf '%s' "$2" | "$HOOK" create 2>"$TMP/err")
	RC=$?
	ERR=$(cat "$TMP/err")
	# $3 [$4]: the message, or another acceptable one.
	if [ "$RC" -eq 1 ] && { [[ $ERR == *"$3"* ]] || { [ -n "${4:-}" ] && [[ $ERR == *"$4"* ]]; }; }; then
		ok "hook: $1"
	else
		not_ok "hook: $1"
	fi
}
mkdir -p "$TMP/b"
echo '{"ociVersion":"1.0.2","annotations":{"io.ctguard.profile":"container"}}' >"$TMP/b/config.json"
hookcase "bad JSON" '{"pid": 1, "bundle": ' "invalid JSON"
hookcase "not an object" '[1, 2]' "not an object"
hookcase "no pid" "{\"bundle\": \"$TMP/b\"}" 'no "pid"'
hookcase "no bundle" '{"pid": 1}' 'no "bundle"'
hookcase "config.json missing" '{"pid": 1, "bundle": "/nonexistent"}' "/nonexistent/config.json"
sleep 0.1 &
gone=$!
wait "$gone"
hookcase "the container's process is gone" "{\"pid\": $gone, \"bundle\": \"$TMP/b\"}" "No such process"
# The container's process is still there but its cgroup was removed: a
# zombie (its parent never reaps it) whose cgroup is rmdir'ed once empty.
gonecg=/sys/fs/cgroup/ctgrt-gone
mkdir -p "$gonecg"
bash -c 'echo $$ >'"$gonecg"'/cgroup.procs; sleep 0.2 & echo $! >'"$TMP/zpid"';
	echo $$ >/sys/fs/cgroup/cgroup.procs; exec sleep 30' &
zparent=$!
# The cgroup is empty, and rmdir succeeds, before bash has joined it too:
# wait for the zombie's pid first.
for i in $(seq 1 50); do
	[ -s "$TMP/zpid" ] && break
	sleep 0.2
done
for i in $(seq 1 50); do
	[ -s "$TMP/zpid" ] && rmdir "$gonecg" 2>/dev/null && break
	sleep 0.2
done
zpid=$(cat "$TMP/zpid" 2>/dev/null)
if [ -n "$zpid" ] && [ ! -d "$gonecg" ] && [ -e "/proc/$zpid" ]; then
	# 6.1 still names the removed cgroup for the zombie; 6.12 shows it in
	# the root cgroup, which the hook refuses as well.
	hookcase "the container's cgroup is gone" \
		"{\"pid\": $zpid, \"bundle\": \"$TMP/b\"}" "its cgroup /ctgrt-gone was removed" "root cgroup"
else
	RC=1 OUT= ERR="rmdir $gonecg: $(ls "$gonecg" 2>&1 | head -1); /proc/$zpid: $(ls -d "/proc/$zpid" 2>&1)"
	not_ok "hook: the container's cgroup is gone (could not set the case up)"
fi
kill "$zparent" 2>/dev/null
wait "$zparent" 2>/dev/null
sleep 60 &
rootproc=$!
echo "$rootproc" >/sys/fs/cgroup/cgroup.procs
hookcase "a process in the root cgroup" "{\"pid\": $rootproc, \"bundle\": \"$TMP/b\"}" "root cgroup"
kill "$rootproc"
hookcase "a malformed device rule" \
	"{\"pid\": $gone, \"bundle\": \"$TMP/b\", \"annotations\": {\"io.ctguard.allow-dev\": \"c 1:3 rwx\"}}" \
	"io.ctguard.allow-dev: rule 1"
# Malformed values and keys, given in the state's annotations.
ann() { printf '{"pid": %s, "bundle": "%s", "annotations": {%s}}' "$gone" "$TMP/b" "$1"; }
hookcase "a malformed mode" "$(ann '"io.ctguard.mode": "enforcing"')" "annotation io.ctguard.mode:"
hookcase "an unknown capability" "$(ann '"io.ctguard.deny-cap": "sys_admn"')" "annotation io.ctguard.deny-cap:"
hookcase "an unknown profile" "$(ann '"io.ctguard.profile": "docker"')" "annotation io.ctguard.profile:"
hookcase "a value that is not a string" "$(ann '"io.ctguard.deny": 3')" "annotation io.ctguard.deny: not a string"
hookcase "annotations that deny nothing" "$(ann '"io.ctguard.mode": "complain"')" "deny nothing"
OUT=$(printf '{"pid": 1, "bundle": "%s"}' "$TMP/b" | "$HOOK" --default-profile nope create 2>&1)
RC=$?
if [ "$RC" -ne 0 ] && [[ $OUT == *"unknown profile 'nope'"* ]]; then ok "hook: an unknown --default-profile"; else not_ok "hook: an unknown --default-profile"; fi

# The hook applied to a process in a cgroup of its own: what it sets.
dcg=/ctgrt-direct
mkdir -p "/sys/fs/cgroup$dcg"
sleep 120 &
dpid=$!
echo "$dpid" >"/sys/fs/cgroup$dcg/cgroup.procs"
printf '{"ociVersion": "1.0.2", "linux": {"cgroupsPath": "%s"}}\n' "$dcg" >"$TMP/b/config.json"
# hookapply DESC STATE-ANNOTATIONS HOOK-OPTIONS WANT: WANT is "none" (no
# policy) or "MODE DENY-CLASSES" as `ctguard show --json` gives them.
hookapply() {
	"$C" unset --cgroup "$dcg" >/dev/null 2>&1
	OUT=$(printf '{"pid": %s, "bundle": "%s", "annotations": {%s}}' "$dpid" "$TMP/b" "$2" |
		"$HOOK" $3 create 2>&1)
	RC=$?
	ERR=$("$C" show --cgroup "$dcg" --json 2>&1)
	local got
	got=$(printf '%s' "$ERR" | "$PY" -c 'import json,sys
try:
    p = json.load(sys.stdin)
except ValueError:
    print("none"); sys.exit()
print(p["mode"], ",".join(p["deny"]), "pending" if p.get("pending") else "in-force")' 2>/dev/null)
	if [ "$RC" -eq 0 ] && [ "$got" = "$4" ]; then ok "hook: $1"; else OUT+=" (got: $got)"; not_ok "hook: $1"; fi
}
hookapply "no io.ctguard annotation: nothing is set" '"other": "x"' "" "none"
hookapply "no annotation, --default-profile container: the profile, pending until the exec" \
	'"other": "x"' "--default-profile container" "enforce mount,rawsock,dmesg,mknod,devices,userns pending"
hookapply "deny and mode=complain" '"io.ctguard.deny": "mount,dmesg", "io.ctguard.mode": "complain"' "" \
	"complain mount,dmesg pending"
hookapply "profile audit" '"io.ctguard.profile": "audit"' "" "complain mount,rawsock,dmesg,mknod,devices,userns pending"
printf '{"pid": %s, "bundle": "%s"}' "$dpid" "$TMP/b" | "$HOOK" poststop >"$TMP/err" 2>&1
RC=$?
ERR=$(cat "$TMP/err")
OUT=$("$C" show --cgroup "$dcg" 2>&1)
if [ "$RC" -eq 0 ] && ! "$C" show --cgroup "$dcg" >/dev/null 2>&1; then
	ok "hook: poststop removes the policy of a cgroup that still exists (config's cgroupsPath)"
else
	not_ok "hook: poststop removes the policy of a cgroup that still exists (config's cgroupsPath)"
fi
kill "$dpid"
wait "$dpid" 2>/dev/null
rmdir "/sys/fs/cgroup$dcg" 2>/dev/null

OUT=$(echo "{\"pid\": 1, \"bundle\": \"$TMP/b\", \"annotations\": {\"other\": \"x\"}}" |
	sed "s|$TMP/b|$TMP/nob|" | "$HOOK" poststop 2>&1)
RC=$?
if [ "$RC" -eq 0 ]; then ok "hook: poststop of a container whose bundle is gone succeeds"; else not_ok "hook: poststop of a container whose bundle is gone succeeds"; fi

echo "1..$n"
[ "$failed" -eq 0 ]
