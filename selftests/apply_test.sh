#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `ctguard apply` against the real module: configuration errors (each kind,
# each message naming its file and line, nothing applied), creating,
# changing and removing [cgroup] policies, a second apply that changes
# nothing, --dry-run, explicit policies left alone unless --prune, stale
# fields replaced, missing cgroups skipped, JSON, the module's limits, the
# module missing; rules created, changed and deleted so that exactly the
# config's exist, their derived policies left to them, a [cgroup] section
# over a derived policy. Prints TAP.
#
# Run it as root in the test VM, from the top of the tree, with the module
# loaded:  selftests/vm/run --kernel 6.12 --load -- selftests/apply_test.sh
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
C=${CTGUARD:-$ROOT/user/ctguard/ctguard}
PY=/usr/bin/python3
CG=/sys/fs/cgroup
T=ctgapply$$
TMP=$(mktemp -d /tmp/ctgapply.XXXXXX)
KO=${CTGUARD_MODULE:-$ROOT/build/${CTGUARD_RELEASE:-$(uname -r)}/ctguard.ko}
ETC=$TMP/etc
# apply remembers the cgroups it set here (default /run/ctguard/apply.state).
export CTGUARD_APPLY_STATE=$TMP/apply.state

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

run() {
	OUT=$("$C" "$@" 2>"$TMP/err")
	RC=$?
	ERR=$(cat "$TMP/err")
}

# apply [ARGS]: ctguard apply on the test configuration.
apply() {
	run apply --config "$ETC/ctguard.conf" --config "$ETC/conf.d" "$@"
}

# expect DESC STATUS [STDERR-SUBSTRING...]
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

# out_is DESC TEXT: the last stdout is exactly TEXT.
out_is() {
	if [ "$OUT" = "$2" ]; then
		ok "$1"
	else
		not_ok "$1 (stdout is not: $2)"
	fi
}

# out_has DESC SUBSTRING...
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

# out_lacks DESC SUBSTRING
out_lacks() {
	if [[ $OUT == *"$2"* ]]; then
		not_ok "$1 (stdout has '$2')"
	else
		ok "$1"
	fi
}

# json DESC PYTHON-EXPR over d, the last stdout parsed.
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

# policy CGROUP: its policy as JSON in OUT (show --json); RC 1 if none.
policy() {
	run show --cgroup "$1" --json
}

# no_policy DESC CGROUP
no_policy() {
	local o=$OUT e=$ERR r=$RC
	run show --cgroup "$2"
	if [ "$RC" -eq 1 ] && [[ $ERR == *"no policy"* ]]; then
		ok "$1"
	else
		not_ok "$1 (show exit $RC)"
	fi
	OUT=$o ERR=$e RC=$r
}

in_cgroup() {
	local cg=$1
	shift
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$CG/$cg" "$@"
}

try_mount() {
	mkdir -p "$TMP/mnt"
	if in_cgroup "$1" mount -t tmpfs ctgtest "$TMP/mnt" 2>/dev/null; then
		umount "$TMP/mnt"
		return 0
	fi
	return 1
}

cleanup() {
	local d
	for d in "/$T/r*" "/$T/x*"; do
		"$C" rule del --path "$d" >/dev/null 2>&1
	done
	for d in $(find "$CG/$T" -depth -type d 2>/dev/null); do
		"$C" unset --cgroup "$d" >/dev/null 2>&1
		rmdir "$d" 2>/dev/null
	done
	rm -rf "$TMP"
	[ -d /sys/module/ctguard ] || insmod "$KO" 2>/dev/null
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || bail "run as root (in the VM)"
[ -x "$C" ] || bail "$C not built (make -C user)"
[ -d /sys/module/ctguard ] || bail "the ctguard module is not loaded"
[ "$(stat -f -c %T $CG)" = cgroup2fs ] || bail "$CG is not cgroup2"
mkdir -p "$CG/$T/a" "$CG/$T/b" "$CG/$T/c" "$ETC/conf.d" || bail "cannot create test cgroups"

# Start from no rule and no policy at all: apply deletes every rule the
# config does not have, and --prune below every explicit policy.
"$C" rule list --json | "$PY" -c 'import json,sys; [print(r["pattern"]) for r in json.load(sys.stdin)["rules"]]' |
while IFS= read -r pat; do
	"$C" rule del --path "$pat" >/dev/null 2>&1
done
for id in $("$C" list --json | "$PY" -c 'import json,sys; [print(p["id"]) for p in json.load(sys.stdin)["policies"]]'); do
	"$C" unset --id "$id" >/dev/null 2>&1
done

# --- Usage ---------------------------------------------------------------

run help apply
expect "help apply" 0 && out_has "help apply lists the options" --config --dry-run --prune --check --json
run apply --check --dry-run
expect "--check with --dry-run: usage error" 2 "--check only reads"
run apply --frob
expect "unknown option: usage error" 2 "unknown option '--frob'"
run apply extra
expect "stray argument: usage error" 2 "unexpected argument 'extra'"
run apply --check
if [ -e /etc/ctguard/ctguard.conf ]; then
	expect "--check reads /etc/ctguard/ctguard.conf by default" 0
else
	expect "default config: /etc/ctguard/ctguard.conf, missing here, is an error" 1 \
		"/etc/ctguard/ctguard.conf: No such file or directory"
fi

# --- Configuration errors: each names FILE:LINE, nothing is applied ---------

# bad NAME DESC CONFIG-TEXT EXPECTED-STDERR...: a config with one mistake
# (and a valid [cgroup] for $T/a, which must not be applied) fails.
bad() {
	local name=$1 desc=$2 text=$3
	shift 3
	printf '[cgroup %s/a]\ndeny = mount\n\n%b' "$T" "$text" >"$TMP/$name.conf"
	run apply --config "$TMP/$name.conf"
	expect "config error, $desc" 1 "$@" "nothing changed"
}
F=$TMP
bad e1 "unknown section" '[rules /x]\ndeny = all\n' "$F/e1.conf:4: unknown section [rules]"
bad e2 "a line that is no KEY = VALUE" 'x' "$F/e2.conf:4: expected 'KEY = VALUE'"
printf '# top\ndeny = mount\n[cgroup %s/a]\ndeny = mount\n' "$T" >"$TMP/e0.conf"
run apply --config "$TMP/e0.conf"
expect "config error, key outside a section" 1 "$TMP/e0.conf:2: 'deny' outside a section" "nothing changed"
bad e3 "unknown key" '[cgroup /x]\ndenny = mount\n' "$F/e3.conf:5: unknown key 'denny'"
bad e4 "unknown class" '[cgroup /x]\ndeny = mout\n' "$F/e4.conf:5: deny: unknown class 'mout' (did you mean 'mount'?)"
bad e5 "unknown capability" '[cgroup /x]\ndeny-cap = sys_admn\n' "$F/e5.conf:5: deny-cap: unknown capability 'sys_admn'"
bad e6 "bad device rule" '[cgroup /x]\nallow-dev = c 1:x rw\n' "$F/e6.conf:5: allow-dev:" "c 1:x rw"
bad e7 "unknown mode" '[cgroup /x]\nmode = strict\n' "$F/e7.conf:5: mode: unknown mode 'strict'"
bad e8 "unknown profile" '[cgroup /x]\nprofile = containr\n' "$F/e8.conf:5: [cgroup /x]: profile: unknown profile 'containr'"
bad e9 "built-in profile redefined" '[profile container]\ndeny = all\n' "$F/e9.conf:4: [profile container]: 'container' is a built-in profile"
bad e10 "profile cycle" '[profile p]\nbase-profile = q\n[profile q]\nbase-profile = p\n' "$F/e10.conf:5: [profile p]: base-profile makes a cycle: p -> q -> p"
bad e11 "duplicate section" "[cgroup $T/a/]\\ndeny = all\\n" "$F/e11.conf:4: [cgroup /$T/a] is already defined at $F/e11.conf:1"
bad e12 "empty section" '[cgroup /x]\n' "$F/e12.conf:4: [cgroup /x] is empty"
bad e13 "rule pattern not absolute" '[rule system.slice/*]\ndeny = all\n' "$F/e13.conf:4: [rule system.slice/*]: a rule pattern is an absolute path"
bad e14 "the root cgroup" '[cgroup /]\ndeny = all\n' "$F/e14.conf:4: [cgroup /]: the root cgroup cannot be confined"
bad e15 "mode twice" '[cgroup /x]\nmode = enforce\nmode = complain\n' "$F/e15.conf:6: mode given twice in [cgroup /x] (first at line 5)"
bad e16 "header without ]" '[cgroup /x\n' "$F/e16.conf:4: section header without a closing ']'"
bad e17 "missing value" '[cgroup /x]\ndeny =\n' "$F/e17.conf:5: deny: missing value"
# Several mistakes: every one is reported, with the count.
bad e18 "three mistakes, all reported" '[cgroup /x]\ndeny = mout\nmode = x\n[nope]\n' \
	"e18.conf:5:" "e18.conf:6:" "e18.conf:7:" "3 errors in the configuration"
# A duplicate across files names both.
printf '[cgroup %s/a]\ndeny = all\n' "$T" >"$ETC/ctguard.conf"
printf '# other\n[cgroup %s/a]\ndeny = mount\n' "$T" >"$ETC/conf.d/50-dup.conf"
apply
expect "config error, duplicate across files: both named" 1 \
	"$ETC/conf.d/50-dup.conf:2: [cgroup /$T/a] is already defined at $ETC/ctguard.conf:1" "nothing changed"
rm -f "$ETC/conf.d/50-dup.conf"
run apply --config "$TMP/nonexistent.conf"
expect "config error, a missing --config file" 1 "$TMP/nonexistent.conf: No such file or directory"
no_policy "nothing was applied by any failing config" "$T/a"
run apply --check --config "$TMP/e4.conf"
expect "--check reports the same errors" 1 "e4.conf:5: deny: unknown class"

# --- Creating -------------------------------------------------------------

cat >"$ETC/ctguard.conf" <<EOF
# The test's configuration.
[profile web]
base-profile = container
allow = userns     # web servers may unshare
deny-cap = net_raw

[cgroup $T/a]
profile = web
EOF
cat >"$ETC/conf.d/10-b.conf" <<EOF
[cgroup /sys/fs/cgroup/$T/b]
deny = mount
mode = complain
EOF
run apply --check --config "$ETC/ctguard.conf" --config "$ETC/conf.d"
expect "--check of a valid config" 0 && out_is "--check summary" \
	"configuration OK: 2 files, 1 profile, 0 rules, 2 cgroups"
apply --dry-run
expect "dry run on a fresh config" 0 && out_is "dry run lists both creations" \
"+ cgroup /$T/a (profile web)
+ cgroup /$T/b (mode: complain; deny: mount)
(dry run: nothing changed)"
no_policy "dry run created nothing (a)" "$T/a"
no_policy "dry run created nothing (b)" "$T/b"
[ ! -e "$CTGUARD_APPLY_STATE" ] && ok "dry run wrote no state" || not_ok "dry run wrote no state"

apply
expect "apply creates" 0 && out_is "apply reports both creations" \
"+ cgroup /$T/a (profile web)
+ cgroup /$T/b (mode: complain; deny: mount)"
policy "$T/a"
json "a: container's classes but userns, enforce" \
	"d['deny'] == ['mount','rawsock','dmesg','mknod','devices'] and d['mode'] == 'enforce'"
json "a: net_raw denied too, sys_admin denied, chown allowed" \
	"'net_raw' in d['deny_caps'] and 'sys_admin' in d['deny_caps'] and 'chown' not in d['deny_caps']"
json "a: container's device list" "len(d['devices']) == 9 and d['devices'][0]['rule'] == 'c 1:3 rwm'"
policy "$T/b"
json "b: mount, complain, nothing else" \
	"d['deny'] == ['mount'] and d['mode'] == 'complain' and d['deny_caps'] == [] and d['devices'] == []"
if try_mount "$T/a"; then not_ok "a mount in a is refused"; else ok "a mount in a is refused"; fi
if try_mount "$T/b"; then ok "a mount in b is let through (complain)"; else not_ok "a mount in b is let through (complain)"; fi

# --- Idempotent -------------------------------------------------------------

apply
expect "second apply" 0 && out_is "second apply: no changes" "no changes"
apply --dry-run
expect "dry run after apply" 0 && out_is "dry run: no changes" "no changes"

# --- Editing -----------------------------------------------------------------

sed -i 's/^deny = mount$/deny = mount,dmesg/' "$ETC/conf.d/10-b.conf"
apply --dry-run
expect "dry run of an edit" 0 && out_is "dry run reports the change" \
"~ cgroup /$T/b (deny: mount -> mount,dmesg)
(dry run: nothing changed)"
policy "$T/b"
json "dry run changed nothing" "d['deny'] == ['mount']"
apply
expect "apply the edit" 0 && out_is "apply reports the change" \
	"~ cgroup /$T/b (deny: mount -> mount,dmesg)"
policy "$T/b"
json "b now denies mount and dmesg" "d['deny'] == ['mount','dmesg'] and d['mode'] == 'complain'"
sed -i 's/^mode = complain$/mode = enforce/' "$ETC/conf.d/10-b.conf"
apply
expect "apply a mode change" 0 && out_is "mode change reported" \
	"~ cgroup /$T/b (mode: complain -> enforce)"
if try_mount "$T/b"; then not_ok "b refuses mounts now"; else ok "b refuses mounts now"; fi

# A field someone added by hand goes (CTGUARD_F_REPLACE).
"$C" set --cgroup "$T/a" --allow-dev "c 4:1 r" --allow all
apply
expect "apply over a hand-made change" 0 && out_has "reports the fields it puts back" \
	"~ cgroup /$T/a (deny: none -> mount,rawsock,dmesg,mknod,devices; allow-dev: " \
	"c 10:200 rwm, c 4:1 r -> c 1:3 rwm"
policy "$T/a"
json "a is the config's policy again, without the extra device" \
	"len(d['devices']) == 9 and 'c 4:1 r' not in [x['rule'] for x in d['devices']] and 'userns' not in d['deny']"

# --- Explicit policies not in the config ----------------------------------------

"$C" set --cgroup "$T/c" --deny userns
apply
expect "apply with a foreign policy" 0 && out_is "a policy apply did not set is left alone" "no changes"
policy "$T/c"
json "c keeps its policy" "d['deny'] == ['userns']"

# --- Removing a section ------------------------------------------------------------

bid=$(stat -c %i "$CG/$T/b")
rm "$ETC/conf.d/10-b.conf"
apply --dry-run
expect "dry run of a removal" 0 && out_is "dry run reports the removal" \
"- cgroup /$T/b (id $bid)
(dry run: nothing changed)"
policy "$T/b"
[ "$RC" -eq 0 ] && ok "dry run kept b's policy" || not_ok "dry run kept b's policy"
apply
expect "apply the removal" 0 && out_is "removal reported" "- cgroup /$T/b (id $bid)"
no_policy "b has no policy any more" "$T/b"
policy "$T/c"
[ "$RC" -eq 0 ] && ok "c (not apply's) still has its policy" || not_ok "c (not apply's) still has its policy"
apply
expect "apply after the removal" 0 && out_is "then no changes" "no changes"

# --- --prune -------------------------------------------------------------------------

cid=$(stat -c %i "$CG/$T/c")
apply --prune --dry-run
expect "--prune --dry-run" 0 && out_is "--prune --dry-run lists the foreign policy" \
"- cgroup /$T/c (id $cid)
(dry run: nothing changed)"
policy "$T/c"
[ "$RC" -eq 0 ] && ok "--dry-run kept it" || not_ok "--dry-run kept it"
apply --prune
expect "--prune" 0 && out_is "--prune deletes it" "- cgroup /$T/c (id $cid)"
no_policy "c's policy is gone" "$T/c"
policy "$T/a"
[ "$RC" -eq 0 ] && ok "--prune kept the config's own policy" || not_ok "--prune kept the config's own policy"

# --- A cgroup that does not exist (yet) -----------------------------------------------

printf '[cgroup %s/later]\ndeny = dmesg\n' "$T" >"$ETC/conf.d/20-later.conf"
apply
expect "a missing cgroup is a warning naming file:line, not an error" 0 \
	"warning: $ETC/conf.d/20-later.conf:1: [cgroup /$T/later]: no such cgroup; skipped"
out_is "nothing else to do" "no changes"
apply --json
json "JSON lists it as skipped" \
	"d['skipped'] == [{'type': 'cgroup', 'name': '/$T/later', 'source': '$ETC/conf.d/20-later.conf:1', 'reason': 'no such cgroup'}] and d['changes'] == [] and d['error'] is None and d['dry_run'] is False"
mkdir "$CG/$T/later"
lid=$(stat -c %i "$CG/$T/later")
apply --json
expect "apply --json once it exists" 0
json "JSON: one creation, with source, id and the new policy" \
	"len(d['changes']) == 1 and d['changes'][0]['action'] == 'add' and d['changes'][0]['type'] == 'cgroup' and d['changes'][0]['name'] == '/$T/later' and d['changes'][0]['id'] == $lid and d['changes'][0]['source'] == '$ETC/conf.d/20-later.conf:1' and d['changes'][0]['old'] is None and d['changes'][0]['new']['deny'] == ['dmesg'] and d['skipped'] == []"
sed -i 's/^deny = dmesg$/deny = dmesg,mknod/' "$ETC/conf.d/20-later.conf"
apply --json --dry-run
json "JSON dry run: a change with old and new" \
	"d['dry_run'] is True and [(c['action'], c['old']['deny'], c['new']['deny']) for c in d['changes']] == [('change', ['dmesg'], ['dmesg','mknod'])]"
rm "$ETC/conf.d/20-later.conf"
apply --json
json "JSON: the deletion of a removed section" \
	"[(c['action'], c['id'], c['new']) for c in d['changes']] == [('delete', $lid, None)]"

# --- Rules ---------------------------------------------------------------------------

mkdir -p "$CG/$T/r1"
cat >"$ETC/conf.d/40-rules.conf" <<EOF
[rule /$T/r*]
profile = web
EOF
apply --dry-run
expect "dry run of a new rule" 0 && out_is "dry run reports the rule" \
"+ rule /$T/r* (profile web)
(dry run: nothing changed)"
no_policy "dry run: no derived policy" "$T/r1"
apply
expect "apply a rule" 0 && out_is "rule creation reported" "+ rule /$T/r* (profile web)"
policy "$T/r1"
json "an existing matching cgroup got the rule's policy" \
	"d['deny'] == ['mount','rawsock','dmesg','mknod','devices'] and 'net_raw' in d['deny_caps']"
mkdir "$CG/$T/r2"
policy "$T/r2"
json "a new matching cgroup has it from its creation" \
	"d['deny'] == ['mount','rawsock','dmesg','mknod','devices'] and d['mode'] == 'enforce'"
apply
expect "apply with the rule in place" 0 && out_is "rule in place, derived policies: no changes" "no changes"
apply --prune --dry-run
expect "--prune with derived policies" 0 && out_is "--prune leaves derived policies to their rule" \
"no changes"
printf 'mode = complain\n' >>"$ETC/conf.d/40-rules.conf"
apply
expect "apply a rule edit" 0 && out_is "rule change reported" \
	"~ rule /$T/r* (mode: enforce -> complain)"
policy "$T/r2"
json "the derived policy follows the rule" "d['mode'] == 'complain'"
printf 'on-exec = yes\n' >>"$ETC/conf.d/40-rules.conf"
apply
expect "apply on-exec = yes" 0 && out_is "on-exec change reported" \
	"~ rule /$T/r* (on-exec: no -> yes)"
run rule show --path "/$T/r*" --json
json "the rule has on-exec" "d['on_exec'] is True and d['mode'] == 'complain'"
mkdir "$CG/$T/r3"
policy "$T/r3"
json "a new matching cgroup's policy waits for the exec" "d['pending'] is True"
apply
expect "apply again with on-exec" 0 && out_is "on-exec rule in place: no changes" "no changes"
sed -i '/^on-exec = yes$/d' "$ETC/conf.d/40-rules.conf"
apply
expect "apply without on-exec" 0 && out_is "on-exec off reported" \
	"~ rule /$T/r* (on-exec: yes -> no)"
run rule add --path "/$T/x*" --deny mount
expect "a rule added by hand" 0
apply --dry-run
expect "dry run with a foreign rule" 0 && out_is "dry run: the foreign rule would go" \
"- rule /$T/x*
(dry run: nothing changed)"
run rule show --path "/$T/x*"
expect "dry run kept the foreign rule" 0
apply
expect "apply with a foreign rule" 0 && out_is "rules are exactly the config's: foreign rule deleted" "- rule /$T/x*"
run rule show --path "/$T/x*"
expect "the foreign rule is gone" 1
# A [cgroup] section over a derived policy makes it the section's own.
printf '[cgroup %s/r1]\nprofile = web\nmode = complain\n' "$T" >"$ETC/conf.d/45-r1.conf"
apply
expect "[cgroup] over a derived policy" 0 && out_is "reported as made explicit" \
	"~ cgroup /$T/r1 (from rule /$T/r* -> explicit)"
apply
expect "apply again" 0 && out_is "then no changes" "no changes"
rm "$ETC/conf.d/40-rules.conf"
apply
expect "apply without the rule section" 0 && out_is "rule deletion reported" "- rule /$T/r*"
no_policy "the rule's derived policy went with it" "$T/r2"
policy "$T/r1"
json "the explicit policy of r1 stays" "d['mode'] == 'complain'"
rm "$ETC/conf.d/45-r1.conf"
rid=$(stat -c %i "$CG/$T/r1")
apply
expect "apply without the [cgroup] section" 0 && out_is "its policy goes" "- cgroup /$T/r1 (id $rid)"

# --- The module's limits are checked before anything changes ----------------------------

{
	echo "[cgroup $T/b]"
	for i in $(seq 1 129); do echo "allow-dev = c 1:$i r"; done
} >"$ETC/conf.d/30-many.conf"
echo "[cgroup $T/c]" >>"$ETC/conf.d/30-many.conf"
echo "deny = mount" >>"$ETC/conf.d/30-many.conf"
apply
expect "129 device rules: refused before any change" 1 \
	"$ETC/conf.d/30-many.conf:1: [cgroup /$T/b]: 129 device rules, the module takes at most 128" "nothing changed"
no_policy "and the valid section beside it was not applied" "$T/c"
rm "$ETC/conf.d/30-many.conf"

# --- Module missing ------------------------------------------------------------------------

for id in $("$C" list --json | "$PY" -c 'import json,sys; [print(p["id"]) for p in json.load(sys.stdin)["policies"]]'); do
	"$C" unset --id "$id" >/dev/null 2>&1
done
if rmmod ctguard; then
	apply
	expect "module missing: apply fails, says so" 1 "not loaded"
	run apply --check --config "$ETC/ctguard.conf"
	expect "module missing: --check still works" 0
	insmod "$KO" || bail "cannot reload $KO"
	apply
	expect "module back (policies gone): apply" 0 && out_is "recreates a's policy" \
		"+ cgroup /$T/a (profile web)"
else
	not_ok "rmmod ctguard"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
