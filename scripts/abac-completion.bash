# SPDX-License-Identifier: GPL-2.0-only
#
# bash completion for abac(8).  Source it, or install it as
# /usr/share/bash-completion/completions/abac.
#
# The objects and verbs here must be exactly those that "abac help --list"
# prints (the table in tools/abac/main.c); _abac_list prints them in the
# same format so that a test can compare the two:
#
#	diff <(bash -c '. scripts/abac-completion.bash; _abac_list') \
#	     <(build/abac help --list)

_abac_objects='policy label subject kube env run events status help'
_abac_verbs_policy='check apply show source compile eval who-can what-can diff test replay suggest draft help'
_abac_verbs_label='set get rm help'
_abac_verbs_subject='tag untag list bind unbind bindings help'
_abac_verbs_kube='sync watch help'
_abac_verbs_env='set get help'

_abac_global_opts='-j --json -p --pretty --socket -h --help -V --version'
_abac_ops='read write exec create delete relabel connect bind listen administer'
_abac_common_opts='-j --json -p --pretty -h --help'

# Print every "object verb" (an object without verbs alone), in order.
_abac_list()
{
	local o v verbs

	for o in $_abac_objects; do
		verbs=$(_abac_verbs_of "$o")
		if [ -z "$verbs" ]; then
			echo "$o"
			continue
		fi
		for v in $verbs; do
			echo "$o $v"
		done
	done
}

# The verbs of object $1 (nothing for an object without verbs).
_abac_verbs_of()
{
	local v=_abac_verbs_$1

	[[ $1 =~ ^[a-z]+$ ]] && echo "${!v}"
}

# Where cgroup v2 is mounted: the first cgroup2 line of mountinfo.
_abac_cg2_mount()
{
	local m

	m=$(awk '{ for (i = 7; i < NF; i++) if ($i == "-") {
			if ($(i + 1) == "cgroup2") { print $5; exit }
			break } }' /proc/self/mountinfo 2>/dev/null)
	echo "${m:-/sys/fs/cgroup}"
}

# Complete cgroup directories, absolute or relative to the cgroup2 mount.
_abac_cgroups()
{
	local cur=$1 mnt d

	if [[ $cur == /* ]]; then
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return
	fi
	mnt=$(_abac_cg2_mount)
	COMPREPLY=()
	for d in $(compgen -d -- "$mnt/$cur"); do
		COMPREPLY+=("${d#"$mnt"/}/")
	done
	compopt -o nospace 2>/dev/null
}

_abac_files()
{
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -f -- "$1")
}

# The options of a policy verb, beyond --json and --pretty.
_abac_policy_opts()
{
	case $1 in
	check) echo --layers ;;
	apply) echo --allow-degraded ;;
	compile) echo -o --output ;;
	eval) echo --op --subject --object --path --addr --env --time ;;
	who-can) echo --object --path --env --exact --live --under ;;
	what-can) echo --subject --op --env --exact --live --under ;;
	test) echo --fail-uncovered ;;
	replay | suggest) echo --events --limit ;;
	draft) echo --id ;;
	esac
}

_abac()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local i w object='' verb='' nargs=0 dashdash=0 verbs

	# Find the object, the verb and how many operands precede the cursor.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((dashdash)); then
			((nargs++))
			continue
		fi
		case $w in
		--socket | -n | --name)
			((i++))
			continue
			;;
		-o | --owner)
			[ "$object" = subject ] && ((i++))
			continue
			;;
		--)
			dashdash=$i
			nargs=0
			continue
			;;
		-*)
			continue
			;;
		esac
		if [ -z "$object" ]; then
			object=$w
		elif [ -z "$verb" ] && [ -n "$(_abac_verbs_of "$object")" ]; then
			verb=$w
		else
			((nargs++))
		fi
	done

	case $prev in
	--socket)
		_abac_files "$cur"
		return
		;;
	-n | --name)
		return
		;;
	-o | --owner)
		[ "$object" = subject ] && return
		;;
	esac
	if [ "$object" = kube ]; then
		case $prev in
		--node | -i | --interval)
			return
			;;
		-f | --pods)
			_abac_files "$cur"
			return
			;;
		-d | --cgroup-driver)
			mapfile -t COMPREPLY < <(compgen -W "cgroupfs systemd" -- "$cur")
			return
			;;
		-r | --cgroup-root)
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -d -- "$cur")
			return
			;;
		esac
	fi

	if [ -z "$object" ]; then
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$_abac_global_opts" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$_abac_objects" -- "$cur")
		fi
		return
	fi

	verbs=$(_abac_verbs_of "$object")
	if [ -n "$verbs" ] && [ -z "$verb" ]; then
		mapfile -t COMPREPLY < <(compgen -W "$verbs --help" -- "$cur")
		return
	fi

	if [[ $cur == -* ]] && ((!dashdash)); then
		case $object in
		run) w="-n --name -k --keep $_abac_common_opts" ;;
		events) w="-f --follow --log --since --rule --op --comm --path --subject $_abac_common_opts" ;;
		label) w="-L --follow $_abac_common_opts" ;;
		subject) case $verb in
			bind | unbind) w="-o --owner $_abac_common_opts" ;;
			*) w=$_abac_common_opts ;;
			esac ;;
		status) w="-w --wait -r --rules $_abac_common_opts" ;;
		kube)
			w="-f --pods -n --node -d --cgroup-driver -r --cgroup-root -h --help"
			[ "$verb" = watch ] && w="$w -i --interval"
			;;
		help) w="--list" ;;
		policy) w="$(_abac_policy_opts "$verb") $_abac_common_opts" ;;
		*) w=$_abac_common_opts ;;
		esac
		mapfile -t COMPREPLY < <(compgen -W "$w" -- "$cur")
		return
	fi

	if [ "$object" = policy ] && [ "$prev" = --op ]; then
		mapfile -t COMPREPLY < <(compgen -W "$_abac_ops" -- "$cur")
		return
	fi
	case $object/$verb in
	policy/who-can)
		if ((nargs == 0)); then
			mapfile -t COMPREPLY < <(compgen -W "$_abac_ops" -- "$cur")
		else
			_abac_files "$cur"
		fi
		;;
	policy/check | policy/apply | policy/show | policy/compile | \
	policy/eval | policy/what-can | policy/diff | policy/test | \
	policy/replay | policy/suggest | policy/draft | \
	label/get | label/rm)
		_abac_files "$cur"
		;;
	label/set)
		((nargs == 0)) && _abac_files "$cur"
		;;
	subject/tag | subject/untag | subject/bind | subject/unbind)
		((nargs == 0)) && _abac_cgroups "$cur"
		;;
	run/)
		if ((dashdash && nargs == 0)); then
			mapfile -t COMPREPLY < <(compgen -c -- "$cur")
		elif ((dashdash)); then
			_abac_files "$cur"
		fi
		;;
	help/)
		((nargs == 0)) && mapfile -t COMPREPLY < <(compgen -W "$_abac_objects --list" -- "$cur")
		;;
	esac
}

complete -F _abac abac
