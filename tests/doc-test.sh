#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/doc-test.sh: the man page doc/vgpu-nl.8 and the bash completion
# against the tool:
#   - groff -ww and man --warnings render the page without a warning;
#   - its version (.TH) is dkms.conf's PACKAGE_VERSION;
#   - it has the sections a man page needs;
#   - every object and command the built tool lists in its help
#     (vgpu-nl help, vgpu-nl OBJECT help) is in the page, and every object
#     is offered by the completion;
#   - every --option in a command's usage is in the page, and the
#     completion offers it after the command's first argument;
#   - then tests/completion-test.sh (the completion's own cases).
# Needs userspace/vgpu-nl (make). Prints TAP lines and "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. tests/lib/tap.sh

page=doc/vgpu-nl.8
tool=userspace/vgpu-nl
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
export LC_ALL=C.UTF-8 MANWIDTH=80

# Warnings go to stderr; the page itself is not wanted here.
no_warnings() {
	local err
	err=$("$@" 2>&1 >/dev/null)
	[ -z "$err" ] || { echo "$err"; return 1; }
}
check "man: groff -man -ww: no warnings" no_warnings groff -man -Tutf8 -ww -z "$page"
check "man: man --warnings -l: no warnings" no_warnings man --warnings -l "$page"
expect_out "^\.TH VGPU\\\\-NL 8 .*\"vgpu\\\\-nl $ver\"" \
	"man: .TH says version $ver (dkms.conf)" grep '^\.TH' "$page"
for s in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' FILES EXAMPLES 'SEE ALSO'; do
	check "man: section $s" grep -qx "\.SH \"\?$s\"\?" "$page"
done

text=$(man -l "$page" 2>/dev/null | col -b)
if [ ! -x "$tool" ]; then
	not_ok "man: $tool is not built (make)"
	tap_done
	exit 1
fi
objects=$("$tool" help | sed -n '/^Objects:/,/^$/s/^  \([a-z]\+\) .*/\1/p' | grep -vx help)
check "man: the tool lists objects ($(echo $objects))" test -n "$objects"

# shellcheck source=/dev/null
. userspace/vgpu-nl.bash
COMP_WORDS=(vgpu-nl "")
COMP_CWORD=1
_vgpu_nl
offered=" ${COMPREPLY[*]} "
for o in $objects; do
	check "man: documents object $o" grep -q "vgpu-nl $o\\b" <<<"$text"
	check "completion: offers object $o" test "${offered/ $o /}" != "$offered"
	# "Usage: vgpu-nl dev set DEV ..." -> "vgpu-nl dev set"
	for c in $("$tool" "$o" help | sed -n 's/^\(Usage:\)\? \+vgpu-nl '"$o"' \([a-z-]\+\).*/\2/p' |
			grep -vx help | sort -u); do
		check "man: documents 'vgpu-nl $o $c'" grep -q "vgpu-nl $o $c" <<<"$text"
	done
done

# The usage lines of OBJECT's help, one per command, continuations joined:
# "snippet VF|UUID|DEV --format ... [--index N] [--mapping NAME] ...".
usages() {
	"$tool" "$1" help | sed -n '1,/^$/p' |
		sed -E 's/^(Usage:)? +//' |
		awk '/^vgpu-nl / { if (l) print l; l = $0; next } NF { l = l " " $0 } END { if (l) print l }'
}

# complete_after LINE: what the completion offers at the end of LINE.
complete_after() {
	COMP_WORDS=($1)
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_vgpu_nl
	printf ' %s ' "${COMPREPLY[@]}"
}

for o in $objects; do
	while IFS= read -r u; do
		# "vgpu-nl host plan gvt|..." -> command "plan"; "vgpu-nl doctor [DEV]" -> none
		read -r _ _ c first _ <<<"$u"
		case $c in [a-z]*) words="$o $c" ;; *) words=$o ;; esac
		[ "$c" = help ] && continue
		for opt in $(grep -oE -- '--[a-z][a-z-]+' <<<"$u" | sort -u); do
			check "man: documents $opt of 'vgpu-nl $words'" grep -q -- "$opt" <<<"$text"
			# The first argument: a device, or for host the mode
			# the option is for (some are one mode's only).
			arg=00:02.0
			if [ "$o" = host ]; then
				for arg in ${first//|/ }; do
					offered=$(complete_after "vgpu-nl $words $arg --")
					[ "${offered/ $opt /}" != "$offered" ] && break
				done
			fi
			offered=$(complete_after "vgpu-nl $words $arg --")
			check "completion: offers $opt after 'vgpu-nl $words $arg'" \
				test "${offered/ $opt /}" != "$offered"
		done
	done < <(usages "$o")
done

tap_run tests/completion-test.sh
while IFS= read -r line; do
	case $line in
	'ok '*) ok "${line#ok * - }" ;;
	'not ok '*) not_ok "${line#not ok * - }" ;;
	'#'*) echo "$line" ;;
	esac
done <<<"$TAP_OUT"
[ $TAP_RC -eq 0 ] || [ "$TAP_FAILED" -gt 0 ] || not_ok "completion-test.sh exited $TAP_RC"
tap_done
