#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Drive the real module through the ctguard command: every subcommand, the
# JSON outputs (parsed back with Python's json), and every error path of
# the contract (usage errors, unknown names with suggestions, missing
# cgroup, not cgroup v2, module missing, permission denied, confined
# caller, the kernel's extack text). Prints TAP.
#
# Run it as root in the test VM, from the top of the tree, with the module
# loaded:  selftests/vm/run --kernel 6.12 --load -- selftests/cli_test.sh
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
C=${CTGUARD:-$ROOT/user/ctguard/ctguard}
PY=/usr/bin/python3
CG=/sys/fs/cgroup
T=ctgcli$$
TMP=$(mktemp -d /tmp/ctgcli.XXXXXX)
VERSION=$(cat "$ROOT/VERSION")
KO=${CTGUARD_MODULE:-$ROOT/build/${CTGUARD_RELEASE:-$(uname -r)}/ctguard.ko}

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
	# What the command said, as TAP comments.
	[ -n "$OUT" ] && printf '%s\n' "$OUT" | head -20 | sed 's/^/#   stdout: /'
	[ -n "$ERR" ] && printf '%s\n' "$ERR" | head -20 | sed 's/^/#   stderr: /'
	echo "#   exit status $RC"
}

bail() {
	echo "Bail out! $*"
	exit 1
}

# run ARGS...: the command's stdout, stderr and status in OUT, ERR, RC.
run() {
	OUT=$("$C" "$@" 2>"$TMP/err")
	RC=$?
	ERR=$(cat "$TMP/err")
}

# run_as_nobody ARGS...: the same without any privilege.
run_as_nobody() {
	OUT=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$C" "$@" 2>"$TMP/err")
	RC=$?
	ERR=$(cat "$TMP/err")
}

# expect DESC STATUS [STDERR-SUBSTRING...]: check the last run.
expect() {
	local desc=$1 want=$2 s
	shift 2
	if [ "$RC" -ne "$want" ]; then
		not_ok "$desc (exit $RC, want $want)"
		return 1
	fi
	for s in "$@"; do
		if [[ $ERR != *"$s"* ]]; then
			not_ok "$desc (stderr lacks '$s')"
			return 1
		fi
	done
	ok "$desc"
}

# out_has DESC SUBSTRING...: the last stdout contains each.
out_has() {
	local desc=$1 s
	shift
	for s in "$@"; do
		if [[ $OUT != *"$s"* ]]; then
			not_ok "$desc (stdout lacks '$s')"
			return 1
		fi
	done
	ok "$desc"
}

# json DESC PYTHON-EXPR: the last stdout parses as JSON and EXPR (over d)
# is true.
json() {
	local desc=$1 expr=$2 res
	res=$(printf '%s' "$OUT" | "$PY" -c '
import json, sys
d = json.loads(sys.stdin.read())
sys.exit(0 if ('"$expr"') else 3)' 2>&1)
	case $? in
	0) ok "$desc" ;;
	3) not_ok "$desc (false: $expr)" ;;
	*) not_ok "$desc (not JSON: $res)" ;;
	esac
}

# in_cgroup CGROUP CMD...: run CMD inside CGROUP (below $CG).
in_cgroup() {
	local cg=$1
	shift
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$CG/$cg" "$@"
}

# A mount(2) that the mount class refuses, onto a directory of ours (and
# undone if it is let through). Succeeds when the mount did.
try_mount() {
	mkdir -p "$TMP/mnt"
	if in_cgroup "$1" mount -t tmpfs ctgtest "$TMP/mnt" 2>/dev/null; then
		umount "$TMP/mnt"
		return 0
	fi
	return 1
}

cleanup() {
	local d p
	# Our rules first, or they would confine what we remove.
	for p in $("$C" rule list --json 2>/dev/null | "$PY" -c '
import json, sys
for r in json.load(sys.stdin)["rules"]:
    if r["pattern"].startswith("/'"$T"'/"):
        print(r["pattern"])' 2>/dev/null); do
		"$C" rule del --path "$p" >/dev/null 2>&1
	done
	for d in $(find "$CG/$T" -depth -type d 2>/dev/null); do
		"$C" unset --cgroup "$d" >/dev/null 2>&1
		rmdir "$d" 2>/dev/null
	done
	rm -rf "$TMP"
	# The module must stay loaded for the runner to unload it.
	[ -d /sys/module/ctguard ] || insmod "$KO" 2>/dev/null
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || bail "run as root (in the VM)"
[ -x "$C" ] || bail "$C not built (make -C user)"
[ -d /sys/module/ctguard ] || bail "the ctguard module is not loaded"
[ "$(stat -f -c %T $CG)" = cgroup2fs ] || bail "$CG is not cgroup2"
mkdir -p "$CG/$T/a/b" "$CG/$T/other" "$CG/$T/conf" "$CG/$T/mon" \
	"$CG/$T/noise" "$CG/$T/flood" || bail "cannot create test cgroups"

# --- Usage -------------------------------------------------------------

run --version
expect "--version" 0 && out_has "--version prints the version" "ctguard $VERSION"
run help
expect "help" 0 && out_has "help lists every subcommand" \
	set unset show list status stats monitor help
run help set
expect "help set" 0 && out_has "help set lists the options" --deny --allow \
	--deny-cap --allow-cap --allow-dev --profile --mode
run show --help
expect "show --help" 0 && out_has "show --help shows its usage" "ctguard show"
run
expect "no subcommand: usage error" 2 "missing subcommand"
run frobnicate
expect "unknown subcommand: usage error" 2 "unknown subcommand 'frobnicate'"
run help frobnicate
expect "help of an unknown subcommand: usage error" 2 "frobnicate"
run set --deny mount
expect "set without a cgroup: usage error" 2 "--cgroup, --id or --pid"
run set --cgroup "$T/a" --id 5 --deny mount
expect "two targets: usage error" 2 "--cgroup and --id"
run set --cgroup "$T/a"
expect "nothing to set: usage error" 2 "nothing to set"
run list --bogus
expect "unknown option: usage error naming it" 2 "unknown option '--bogus'"
run show --cgroup
expect "option without its argument: usage error" 2 "--cgroup needs an argument"
run list extra
expect "stray argument: usage error" 2 "unexpected argument 'extra'"
run monitor --count 0
expect "--count 0: usage error" 2 "--count"

# --- Bad names ---------------------------------------------------------

run set --cgroup "$T/a" --deny mout
expect "unknown class: usage error with a suggestion" 2 "--deny" \
	"unknown class 'mout'" "did you mean 'mount'"
run set --cgroup "$T/a" --allow mount,bogusclass
expect "unknown class in --allow" 2 "--allow" "unknown class 'bogusclass'"
run set --cgroup "$T/a" --deny-cap CAP_SYS_ADMN
expect "unknown capability: usage error with a suggestion" 2 "--deny-cap" \
	"unknown capability 'CAP_SYS_ADMN'" "did you mean 'sys_admin'"
run set --cgroup "$T/a" --allow-cap net_rawr
expect "unknown capability in --allow-cap" 2 "--allow-cap" "did you mean 'net_raw'"
run set --cgroup "$T/a" --allow-dev "c 1:x rw"
expect "bad device rule: usage error" 2 "--allow-dev" "c 1:x rw"
run set --cgroup "$T/a" --allow-dev "c 1:3 rwz"
expect "bad device access" 2 "access 'z'"
run set --cgroup "$T/a" --mode strict
expect "unknown mode" 2 "--mode" "unknown mode 'strict'"
run set --cgroup "$T/a" --profile containr
expect "unknown profile with a suggestion" 2 "--profile" "did you mean 'container'"
run set --id abc --deny mount
expect "bad --id: usage error" 2 "--id 'abc'"
run set --pid -3 --deny mount
expect "bad --pid: usage error" 2 "--pid '-3'"

# --- Targets that do not resolve -----------------------------------------

run set --cgroup "$T/nope" --deny mount
expect "missing cgroup: error naming it" 1 "no cgroup /$T/nope" \
	"$CG/$T/nope does not exist"
run show --cgroup "$CG/$T/nope"
expect "missing cgroup given with the mount point" 1 "no cgroup /$T/nope"
CTGUARD_CGROUP_ROOT=$TMP run set --cgroup x --deny mount
expect "not cgroup v2: error saying so" 1 "$TMP is not a cgroup v2 mount"
run set --pid 4000000 --deny mount
expect "missing process" 1 "--pid 4000000" "no such process"
run set --id 999999999 --deny mount
expect "cgroup id that does not exist: the kernel's extack" 1 \
	"cgroup id 999999999" "ctguard:" "[CTGUARD_A_CGROUP_ID]"
run set --cgroup / --deny mount
expect "root cgroup: the kernel's extack text and attribute" 1 \
	"root cgroup" "[CTGUARD_A_CGROUP_ID]"

# --- set, show, merge semantics ----------------------------------------

run set --cgroup "$T/a" --deny mount
expect "set --deny mount" 0
run show --cgroup "$T/a" --json
expect "show --json" 0 && json "new policy: deny [mount], enforce, no caps or devices" \
	"d['path'] == '/$T/a' and d['deny'] == ['mount'] and d['mode'] == 'enforce' and d['deny_caps'] == [] and d['devices'] == []"
id_a=$(stat -c %i "$CG/$T/a")
json "show --json: id is the cgroup's inode number" "d['id'] == $id_a"
json "show --json: stats object" \
	"sorted(d['stats']) == ['complained', 'denied', 'events_lost', 'log_suppressed']"

run set --cgroup "/$T/a" --deny-cap sys_admin,CAP_NET_RAW
expect "set --deny-cap, path with a leading slash" 0
run show --cgroup "$CG/$T/a" --json
json "set merges: mount kept, caps added" \
	"d['deny'] == ['mount'] and d['deny_caps'] == ['net_raw', 'sys_admin']"

run set --cgroup "$T/a" --allow mount --deny dmesg,userns
expect "set --allow mount --deny dmesg,userns" 0
run show --cgroup "$T/a" --json
json "--allow removes a class, --deny adds" \
	"d['deny'] == ['dmesg', 'userns'] and d['deny_caps'] == ['net_raw', 'sys_admin']"

run set --cgroup "$T/a" --allow-dev "c 1:3 rw" --allow-dev "c 136:* rwm"
expect "set --allow-dev twice" 0
run set --cgroup "$T/a" --allow-dev "c 1:3 rw"
run show --cgroup "$T/a" --json
json "device rules added once each, wildcard minor is null" \
	"[r['rule'] for r in d['devices']] == ['c 1:3 rw', 'c 136:* rwm'] and d['devices'][1]['major'] == 136 and d['devices'][1]['minor'] is None"
run set --cgroup "$T/a" --clear-dev --allow-dev "b 8:* r" --mode complain
expect "set --clear-dev --allow-dev --mode complain" 0
run show --cgroup "$T/a" --json
json "--clear-dev replaced the allowlist, mode complain" \
	"[r['rule'] for r in d['devices']] == ['b 8:* r'] and d['mode'] == 'complain'"
run set --cgroup "$T/a" --allow-cap all --allow all --mode enforce
run show --cgroup "$T/a" --json
json "--allow all and --allow-cap all empty the policy" \
	"d['deny'] == [] and d['deny_caps'] == [] and d['mode'] == 'enforce'"

run set --cgroup "$T/a" --allow all --deny mount
run show --cgroup "$T/a" --json
json "options apply in order: --allow all --deny mount" "d['deny'] == ['mount']"
run set --cgroup "$T/a" --deny all --allow userns --deny-cap all --allow-cap chown
run show --cgroup "$T/a" --json
json "options apply in order: --deny all --allow userns" \
	"d['deny'] == ['mount', 'rawsock', 'dmesg', 'mknod', 'devices'] and len(d['deny_caps']) == 40 and 'chown' not in d['deny_caps']"

run set --cgroup "$T/a" --profile container
expect "set --profile container" 0
run show --cgroup "$T/a" --json
json "container: every class, 27 caps, runc's 9 devices" \
	"d['deny'] == ['mount', 'rawsock', 'dmesg', 'mknod', 'devices', 'userns'] and len(d['deny_caps']) == 27 and 'sys_admin' in d['deny_caps'] and 'net_raw' not in d['deny_caps'] and len(d['devices']) == 9 and 'c 10:200 rwm' in [r['rule'] for r in d['devices']]"
run set --cgroup "$T/a" --profile container --allow-cap sys_admin --allow userns
run show --cgroup "$T/a" --json
json "profile, then the options" \
	"'sys_admin' not in d['deny_caps'] and 'userns' not in d['deny'] and len(d['deny_caps']) == 26"
run set --cgroup "$T/a" --profile audit
run show --cgroup "$T/a" --json
json "audit = container in complain mode" \
	"d['mode'] == 'complain' and len(d['deny']) == 6 and len(d['devices']) == 9"
run set --cgroup "$T/a" --profile strict
run show --cgroup "$T/a" --json
json "strict: every capability, no tun" \
	"len(d['deny_caps']) == 41 and 'c 10:200 rwm' not in [r['rule'] for r in d['devices']]"

run show --cgroup "$T/a"
expect "show (table)" 0
out_has "show prints the fields" "cgroup          /$T/a" "mode            enforce" \
	"deny            mount,rawsock,dmesg,mknod,devices,userns" "c 136:* rw" \
	"denied  " "events-lost     0"

run show --cgroup "$T/a/b"
expect "show of a cgroup confined by its parent only" 1 \
	"no policy of its own" "/$T/a"
run show --cgroup "$T/other"
expect "show of a cgroup without policy: the kernel's message" 1 "no policy"

# --id and --pid
id_b=$(stat -c %i "$CG/$T/a/b")
run set --id "$id_b" --deny dmesg
expect "set --id" 0
run show --id "$id_b" --json
json "show --id: the kernel names the path" "d['path'] == '/$T/a/b' and d['deny'] == ['dmesg']"
sleep 1000 &
sleeper=$!
echo "$sleeper" >"$CG/$T/other/cgroup.procs"
run set --pid "$sleeper" --deny userns
expect "set --pid" 0
run show --cgroup "$T/other" --json
json "--pid tagged the process's cgroup" "d['deny'] == ['userns']"
run show --pid "$sleeper"
expect "show --pid" 0 && out_has "show --pid names the cgroup" "/$T/other"
kill "$sleeper"
wait "$sleeper" 2>/dev/null

# --- list --------------------------------------------------------------

run list
expect "list" 0
out_has "list has a header and the paths" "ID" "MODE" "PATH" "/$T/a" "/$T/a/b" "/$T/other"
hdr=$(printf '%s\n' "$OUT" | head -1)
col=${hdr%%PATH*}
col=${#col}
bad=$(printf '%s\n' "$OUT" | tail -n +2 | while IFS= read -r line; do
	[ "${line:$col:1}" = / ] || echo "$line"; done)
if [ -z "$bad" ]; then ok "list columns are aligned"; else not_ok "list columns are aligned: '$bad'"; fi
run list --json
expect "list --json" 0 && json "list --json has every policy with its path" \
	"sorted(p['path'] for p in d['policies'] if p['path'].startswith('/$T/')) == ['/$T/a', '/$T/a/b', '/$T/other'] and all(set(p) >= {'id', 'path', 'mode', 'deny', 'deny_caps', 'devices', 'stats'} for p in d['policies'])"

# --- stats and status ----------------------------------------------------

run set --cgroup "$T/a" --clear-dev --allow all --deny mount --allow-cap all
before=$("$C" stats --cgroup "$T/a" --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["stats"]["denied"])')
if try_mount "$T/a"; then
	not_ok "mount denied in the tagged cgroup (it succeeded)"
else
	ok "mount denied in the tagged cgroup"
fi
run stats --cgroup "$T/a" --json
expect "stats --cgroup --json" 0 && json "the denial was counted" \
	"d['path'] == '/$T/a' and d['id'] == $id_a and d['stats']['denied'] >= ${before:-0} + 1"
run stats --cgroup "$T/a"
expect "stats --cgroup (table)" 0 && out_has "stats shows the counters" \
	"cgroup          /$T/a" "denied          "
run stats
expect "stats of all" 0 && out_has "stats has the global row and the cgroups" \
	"(global)" "/$T/a" "/$T/other" "EVENTS-LOST"
run stats --json
expect "stats --json" 0 && json "stats --json: global and per cgroup" \
	"d['global']['denied'] >= 1 and '/$T/a' in [c['path'] for c in d['cgroups']]"
run stats --cgroup "$T/conf"
expect "stats of a cgroup without policy" 1 "no policy"

run status
expect "status" 0 && out_has "status: module, counters, hooks" \
	"module          loaded (live), version $VERSION" "policies  " \
	"HOOK" "security_capable" "STATE"
run status --json
expect "status --json" 0
json "status --json: module loaded, its version and refcount" \
	"d['module']['loaded'] is True and d['module']['version'] == open('/sys/module/ctguard/version').read().strip() and isinstance(d['module']['refcount'], int)"
json "status --json: kernel part with hooks" \
	"d['kernel']['version'] == '$VERSION' and d['kernel']['nr_policies'] >= 3 and len(d['kernel']['hooks']) > 0 and all(set(h) == {'name', 'class', 'state', 'hits', 'missed'} for h in d['kernel']['hooks']) and 'armed' in [h['state'] for h in d['kernel']['hooks']]"

# --- unset -------------------------------------------------------------

run unset --cgroup "$T/a/b"
expect "unset" 0
run show --cgroup "$T/a/b"
expect "show after unset: no policy of its own" 1 "no policy of its own"
run unset --cgroup "$T/a/b"
expect "unset without policy: the kernel's message" 1 "no policy" \
	"[CTGUARD_A_CGROUP_ID]"

# --- Permissions -------------------------------------------------------

run_as_nobody list
expect "unprivileged list: needs CAP_NET_ADMIN" 1 "permission denied" "CAP_NET_ADMIN"
run_as_nobody set --cgroup "$T/other" --deny mount
expect "unprivileged set: needs CAP_NET_ADMIN" 1 "CAP_NET_ADMIN"
run_as_nobody status
expect "unprivileged status: needs CAP_NET_ADMIN" 1 "CAP_NET_ADMIN"
run_as_nobody monitor --count 1
expect "unprivileged monitor: needs CAP_NET_ADMIN" 1 "CAP_NET_ADMIN"

run set --cgroup "$T/conf" --deny dmesg
OUT=$(in_cgroup "$T/conf" "$C" set --cgroup "$T/other" --deny mount 2>"$TMP/err")
RC=$?
ERR=$(cat "$TMP/err")
expect "confined caller cannot set: the kernel says so" 1 "permission denied" "confined"
OUT=$(in_cgroup "$T/conf" "$C" unset --cgroup "$T/conf" 2>"$TMP/err")
RC=$?
ERR=$(cat "$TMP/err")
expect "confined caller cannot unset its own policy" 1 "confined"
run show --cgroup "$T/conf" --json
json "the confined cgroup's policy is intact" "d['deny'] == ['dmesg']"

# --- monitor -----------------------------------------------------------

run set --cgroup "$T/mon" --deny mount
run set --cgroup "$T/noise" --deny mount

# Denials race the subscription: repeat until the monitor has its event.
# Each round makes noise first, so a broken filter would print noise.
monitor_until_done() {
	local pid=$1 cg=$2 i
	for i in $(seq 60); do
		kill -0 "$pid" 2>/dev/null || return 0
		try_mount "$T/noise"
		try_mount "$cg"
		sleep 0.25
	done
	kill "$pid" 2>/dev/null
	return 1
}

"$C" monitor --json --count 1 --cgroup "$T/mon" >"$TMP/mon.json" 2>"$TMP/mon.err" &
mpid=$!
monitor_until_done "$mpid" "$T/mon"
wait "$mpid"
RC=$?
OUT=$(cat "$TMP/mon.json")
ERR=$(cat "$TMP/mon.err")
expect "monitor --json --count 1 --cgroup exits 0 after one event" 0
lines=$(printf '%s\n' "$OUT" | grep -c .)
[ "$lines" -eq 1 ] && ok "monitor printed one line" || not_ok "monitor printed $lines lines"
json "monitor --json: the denial of the filtered cgroup, another process's" \
	"d['type'] == 'event' and d['class'] == 'mount' and d['verdict'] == 'denied' and d['cgroup'] == '/$T/mon' and d['comm'] == 'mount' and d['mount_op'] == 'mount' and d['pid'] > 0 and d['policy_cgroup'] == '/$T/mon'"

"$C" monitor --count 1 --cgroup "$T/mon" >"$TMP/mon.txt" 2>"$TMP/mon.err" &
mpid=$!
monitor_until_done "$mpid" "$T/mon"
wait "$mpid"
RC=$?
OUT=$(cat "$TMP/mon.txt")
ERR=$(cat "$TMP/mon.err")
expect "monitor (text) exits 0 after one event" 0
if [[ $OUT =~ ^[0-9T:.+-]+\ denied\ mount\ cgroup=/$T/mon\ pid=[0-9]+\ tgid=[0-9]+\ uid=0\ comm=mount\ op=mount ]]; then
	ok "monitor line: time verdict class cgroup pid comm detail"
else
	not_ok "monitor line: time verdict class cgroup pid comm detail"
fi

# Overrun the monitors' sockets: stop them, make many denials, resume.
run set --cgroup "$T/flood" --deny rawsock
"$C" monitor --json --cgroup "$T/flood" >"$TMP/flood.json" 2>"$TMP/flood.err" &
fj=$!
"$C" monitor --cgroup "$T/flood" >"$TMP/flood.txt" 2>&1 &
ft=$!
# Wait until both listen: an event reaches both.
for i in $(seq 60); do
	in_cgroup "$T/flood" "$PY" -c '
import socket
try: socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
except PermissionError: pass'
	sleep 0.25
	grep -q rawsock "$TMP/flood.json" && grep -q rawsock "$TMP/flood.txt" && break
done
kill -STOP "$fj" "$ft"
# Batches of 1000 denials until the kernel counts a lost event: how many
# events a socket buffer holds depends on the kernel's skb sizes (the
# debug kernel's held 1000).
for i in $(seq 10); do
	in_cgroup "$T/flood" "$PY" -c '
import socket
for i in range(1000):
    try: socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    except PermissionError: pass'
	lost=$("$C" stats --cgroup "$T/flood" --json |
		"$PY" -c 'import json,sys; print(json.load(sys.stdin)["stats"]["events_lost"])')
	[ "${lost:-0}" -gt 0 ] && break
done
echo "# flood: $i batch(es) of 1000 denials until an event was lost"
kill -CONT "$fj" "$ft"
sleep 2
kill -TERM "$fj" "$ft"
wait "$fj"
RC=$?
OUT=$(grep -c '"type":"lost"' "$TMP/flood.json")
ERR=$(cat "$TMP/flood.err")
expect "monitor exits 0 on SIGTERM" 0
[ "${OUT:-0}" -ge 1 ] && ok "monitor --json reports lost events" ||
	not_ok "monitor --json reports lost events ($(wc -l <"$TMP/flood.json") lines, none lost)"
wait "$ft"
grep -q "events lost" "$TMP/flood.txt" && ok "monitor (text) reports lost events" ||
	not_ok "monitor (text) reports lost events"
run stats --cgroup "$T/flood" --json
json "the kernel counted the undelivered events" "d['stats']['events_lost'] > 0 and d['stats']['denied'] >= 1000"

# --- rules by cgroup path ------------------------------------------------

rules_t0=$SECONDS
RP="/$T/r-*"
mkdir -p "$CG/$T/r-1" "$CG/$T/rx-1"
run help rule
expect "help rule" 0 && out_has "help rule: the actions and --path" \
	"ctguard rule add --path PATTERN" "ctguard rule del --path PATTERN" \
	"ctguard rule list [--json]" "'*' and '?' match"
run rule
expect "rule without an action: usage error" 2 "missing action"
run rule frob --path "$RP"
expect "rule with an unknown action: usage error" 2 "unknown action 'frob'"
run rule add --deny mount
expect "rule add without --path: usage error" 2 "give --path"
run rule add --path "$RP"
expect "rule add without anything to set: usage error" 2 "nothing to set"
run rule add --path "$RP" --deny mont
expect "rule add with a bad class: usage error with a suggestion" 2 "mount"
run rule del --path "$RP" --deny mount
expect "rule del takes no policy option" 2 "unknown option '--deny'"
run rule list --path "$RP"
expect "rule list takes no --path" 2 "unknown option '--path'"
run rule add --path "r-*" --deny mount
expect "relative pattern: the kernel's message and attribute" 1 \
	"absolute" "[CTGUARD_A_RULE_PATTERN]"
run rule add --path "/$T//x" --deny mount
expect "pattern with an empty component refused" 1 "empty component"

run rule add --path "$RP" --profile container
expect "rule add --profile container" 0
run status --json
json "status --json counts the rule and gives the limit" \
	"d['kernel']['nr_rules'] >= 1 and d['kernel']['max_rules'] == int(open('/sys/module/ctguard/parameters/max_rules').read())"
run status
out_has "status: rules line" "rules           "
run show --cgroup "$T/r-1" --json
expect "an existing matching cgroup has a policy" 0 && \
	json "it is derived from the rule" "d['rule'] == '$RP' and 'mount' in d['deny']"
run show --cgroup "$T/r-1"
out_has "show names the rule" "rule            $RP (derived from this rule)"
mkdir "$CG/$T/r-2"
run show --cgroup "$T/r-2" --json
expect "a new matching cgroup has a policy at once" 0 && \
	json "derived from the rule too" "d['rule'] == '$RP'"
if try_mount "$T/r-2"; then
	not_ok "mount denied in the new matching cgroup (it succeeded)"
else
	ok "mount denied in the new matching cgroup"
fi
if try_mount "$T/rx-1"; then
	ok "mount allowed in a cgroup the rule does not match"
else
	not_ok "mount allowed in a cgroup the rule does not match (refused)"
fi
run show --cgroup "$T/rx-1"
expect "a cgroup the rule does not match has no policy" 1 "no policy"
run list
expect "list with derived policies" 0 && out_has "list has a RULE column" \
	"RULE" "/$T/r-1" "$RP"
run list --json
json "list --json: rule of derived policies, null for explicit ones" \
	"[p['rule'] for p in d['policies'] if p['path'] in ('/$T/r-1', '/$T/r-2')] == ['$RP', '$RP'] and all(p['rule'] is None for p in d['policies'] if p['path'] == '/$T/a')"
run rule list
expect "rule list" 0 && out_has "rule list: header and the rule" \
	"PATTERN" "MATCHED" "$RP"
run rule list --json
expect "rule list --json" 0 && json "rule list --json: fields and matched count" \
	"[r for r in d['rules'] if r['pattern'] == '$RP'][0]['matched'] == 2 and all(set(r) == {'pattern', 'mode', 'deny', 'deny_caps', 'devices', 'on_exec', 'matched'} for r in d['rules'])"
run rule show --path "$RP"
expect "rule show" 0 && out_has "rule show: the rule's fields" \
	"pattern    $RP" "mode       enforce" "matched    2" "c 1:3 rwm" "on-exec    no"
run rule add --path "$RP" --allow mount --mode complain
expect "rule add on an existing rule changes it" 0
run rule show --path "$RP" --json
json "the rule was merged, not replaced" \
	"'mount' not in d['deny'] and 'rawsock' in d['deny'] and d['mode'] == 'complain' and len(d['devices']) > 0"
run show --cgroup "$T/r-2" --json
json "the derived policies follow the rule" "'mount' not in d['deny'] and d['mode'] == 'complain'"
run rule add --path "$RP" --on-exec --no-on-exec
expect "rule add --on-exec --no-on-exec: usage error" 2 "given twice"
run rule add --path "$RP" --on-exec
expect "rule add --on-exec on an existing rule" 0
run rule show --path "$RP" --json
json "--on-exec alone keeps the rest of the rule" \
	"d['on_exec'] is True and d['mode'] == 'complain' and 'rawsock' in d['deny']"
run rule show --path "$RP"
out_has "rule show: on-exec" "on-exec    yes"
run rule list
out_has "rule list: ON-EXEC column" "ON-EXEC"
run show --cgroup "$T/r-2" --json
json "a cgroup that existed stays in force" "d['pending'] is False"
mkdir "$CG/$T/r-3"
run show --cgroup "$T/r-3" --json
expect "a new cgroup of an on-exec rule has a policy" 0 && \
	json "pending, from the rule" "d['pending'] is True and d['rule'] == '$RP'"
run show --cgroup "$T/r-3"
out_has "show says it is pending" "pending"
run rule add --path "$RP" --deny dmesg
expect "rule add without --on-exec on an on-exec rule" 0
run rule show --path "$RP" --json
json "keeps on-exec" "d['on_exec'] is True and 'dmesg' in d['deny']"
run show --cgroup "$T/r-3" --json
json "the update left the new cgroup's policy pending" "d['pending'] is True and 'dmesg' in d['deny']"
run rule add --path "$RP" --no-on-exec
expect "rule add --no-on-exec" 0
run rule show --path "$RP" --json
json "on-exec off" "d['on_exec'] is False"
run set --cgroup "$T/r-1" --deny mount
expect "set on a derived policy" 0
run show --cgroup "$T/r-1" --json
json "set made it explicit" "d['rule'] is None and 'mount' in d['deny']"
run_as_nobody rule list
expect "unprivileged rule list: needs CAP_NET_ADMIN" 1 "CAP_NET_ADMIN"
OUT=$(in_cgroup "$T/r-2" "$C" rule del --path "$RP" 2>"$TMP/err")
RC=$?
ERR=$(cat "$TMP/err")
expect "a task confined by a rule cannot delete it" 1 "confined"
run rule del --path "$RP"
expect "rule del" 0
run show --cgroup "$T/r-2"
expect "rule del removed its derived policies" 1 "no policy"
run show --cgroup "$T/r-1"
if [ "$RC" -eq 0 ] && [[ $OUT != *"derived from this rule"* ]]; then
	ok "and kept the explicit one"
else
	not_ok "and kept the explicit one"
fi
run rule del --path "$RP"
expect "rule del of an unknown pattern: the kernel's message" 1 "no rule has this pattern"
run rule show --path "$RP"
expect "rule show of an unknown pattern" 1 "no rule has this pattern"
run rule list
if [ "$RC" -eq 0 ] && [[ $OUT != *"$RP"* ]]; then
	ok "rule list: gone"
else
	not_ok "rule list: gone"
fi
echo "# rules by cgroup path: $((SECONDS - rules_t0)) s"

# --- Module missing ----------------------------------------------------

# A monitor that is listening (it has seen an event) when the module goes.
"$C" monitor --cgroup "$T/mon" >"$TMP/gone.txt" 2>"$TMP/gone.err" &
gpid=$!
for i in $(seq 60); do
	try_mount "$T/mon"
	sleep 0.25
	grep -q denied "$TMP/gone.txt" && break
done
for d in $(find "$CG/$T" -depth -type d); do
	"$C" unset --cgroup "$d" >/dev/null 2>&1
done
if rmmod ctguard; then
	for i in $(seq 40); do
		kill -0 "$gpid" 2>/dev/null || break
		sleep 0.25
	done
	kill "$gpid" 2>/dev/null
	wait "$gpid"
	RC=$?
	OUT=$(cat "$TMP/gone.txt")
	ERR=$(cat "$TMP/gone.err")
	expect "monitor exits when the module is unloaded" 1 "module was unloaded"
	run list
	expect "module missing: list says how to load it" 1 \
		"ctguard module not loaded (try: modprobe ctguard)"
	run set --cgroup "$T/a" --deny mount
	expect "module missing: set says how to load it" 1 "modprobe ctguard"
	run status
	expect "module missing: status fails" 1 "not loaded"
	out_has "module missing: status says not loaded" "module          not loaded"
	run status --json
	json "module missing: status --json" "d['module']['loaded'] is False and d['kernel'] is None"
	insmod "$KO" || bail "cannot reload $KO"
	run list
	expect "module back: list works" 0
else
	not_ok "rmmod ctguard"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
