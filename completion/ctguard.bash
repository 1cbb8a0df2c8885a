# SPDX-License-Identifier: GPL-2.0
# bash completion for ctguard(8)

_ctguard_list()
{
	# Complete the last element of a comma list of $2 words.
	local cur=$1 words=$2 prefix=
	[[ $cur == *,* ]] && prefix=${cur%,*},
	COMPREPLY=($(compgen -P "$prefix" -W "$words" -- "${cur##*,}"))
	compopt -o nospace 2>/dev/null
}

_ctguard_caps()
{
	# The names the tool knows, from capabilities(7) via the kernel headers.
	local caps
	caps=$(sed -n 's/^#define CAP_\([A-Z_]*\)[[:space:]]\+[0-9]\+.*/\1/p' \
		/usr/include/linux/capability.h 2>/dev/null | tr 'A-Z' 'a-z')
	echo "all $caps"
}

_ctguard_cgroups()
{
	# Directories below the cgroup v2 mount, relative to it.
	local root=${CTGUARD_CGROUP_ROOT:-} cur=$1
	if [ -z "$root" ]; then
		root=/sys/fs/cgroup
		[ "$(stat -f -c %T "$root" 2>/dev/null)" = cgroup2fs ] ||
			root=/sys/fs/cgroup/unified
	fi
	local lead=
	[[ $cur == /* ]] && lead=/
	COMPREPLY=($(cd "$root" 2>/dev/null &&
		compgen -d -- "${cur#/}" | sed "s|^|$lead|; s|\$|/|"))
	compopt -o nospace 2>/dev/null
}

_ctguard()
{
	local cur prev words cword
	_init_completion 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	}
	local cmds="set unset show list status stats monitor apply rule help"
	local classes="mount rawsock dmesg mknod devices userns all"
	local target="--cgroup --id --pid"

	if [ "$cword" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$cmds --version --help" -- "$cur"))
		return
	fi
	case $prev in
	--deny|--allow)
		_ctguard_list "$cur" "$classes"
		return ;;
	--deny-cap|--allow-cap)
		_ctguard_list "$cur" "$(_ctguard_caps)"
		return ;;
	--cgroup)
		_ctguard_cgroups "$cur"
		return ;;
	--pid)
		COMPREPLY=($(compgen -W "$(ps -e -o pid= 2>/dev/null)" -- "$cur"))
		return ;;
	--id|--count|--allow-dev)
		return ;;
	--config)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--path)
		if [ "${words[1]}" = rule ] && { [ "${words[2]}" = del ] || [ "${words[2]}" = show ]; }; then
			# The rules that exist (needs the module and privilege).
			COMPREPLY=($(compgen -W "$(ctguard rule list 2>/dev/null |
				awk 'NR > 1 { print $1 }')" -- "$cur"))
		else
			# A pattern starts as a cgroup path below the root.
			[[ $cur == /* ]] || cur=/$cur
			_ctguard_cgroups "$cur"
		fi
		return ;;
	--profile)
		COMPREPLY=($(compgen -W "container strict audit" -- "$cur"))
		return ;;
	--mode)
		COMPREPLY=($(compgen -W "enforce complain" -- "$cur"))
		return ;;
	esac
	case ${words[1]} in
	set)
		COMPREPLY=($(compgen -W "$target --deny --allow --deny-cap --allow-cap --allow-dev --clear-dev --profile --mode --on-exec --help" -- "$cur")) ;;
	unset)
		COMPREPLY=($(compgen -W "$target --help" -- "$cur")) ;;
	show|stats)
		COMPREPLY=($(compgen -W "$target --json --help" -- "$cur")) ;;
	list|status)
		COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
	monitor)
		COMPREPLY=($(compgen -W "$target --json --count --help" -- "$cur")) ;;
	apply)
		COMPREPLY=($(compgen -W "--config --dry-run --prune --json --check --help" -- "$cur")) ;;
	rule)
		if [ "$cword" -eq 2 ]; then
			COMPREPLY=($(compgen -W "add del list show --help" -- "$cur"))
			return
		fi
		case ${words[2]} in
		add)
			COMPREPLY=($(compgen -W "--path --deny --allow --deny-cap --allow-cap --allow-dev --clear-dev --profile --mode --on-exec --no-on-exec --help" -- "$cur")) ;;
		del)
			COMPREPLY=($(compgen -W "--path --help" -- "$cur")) ;;
		show)
			COMPREPLY=($(compgen -W "--path --json --help" -- "$cur")) ;;
		list)
			COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
		esac ;;
	help)
		[ "$cword" -eq 2 ] && COMPREPLY=($(compgen -W "$cmds" -- "$cur")) ;;
	esac
}
complete -F _ctguard ctguard
