#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/style.sh: the project's mechanical style rules (checkpatch is not
# in Debian's header packages, so the rules that matter most are here):
#   - an SPDX line near the top of every source file;
#   - kernel code indented with tabs, lines at most 100 columns;
#   - no trailing whitespace anywhere;
#   - no #if on LINUX_VERSION_CODE: header probes decide kernel
#     differences (distributions backport), in the module's one compat
#     header (kmod/vgpu_compat.h; the test-only vgpu_sim has its own);
#   - userspace: a layer includes only itself and the layers below it
#     (userspace/Makefile names them).
# One TAP line per rule; "N passed, N failed" at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
. tests/lib/tap.sh

src=$(git ls-files '*.c' '*.h' '*.sh' '*.py' '*.yaml' 'Kbuild' 'Makefile' '*/Makefile' \
	'*.mk' 'tests/vm/*' '.ci/run' | sort -u)
kern=$(git ls-files 'kmod/*.c' 'kmod/*.h' 'tests/sim/*.c' 'tests/sim/*.h')

rule() {
	local desc=$1 bad=$2
	if [ -z "$bad" ]; then
		ok "style: $desc"
	else
		not_ok "style: $desc"
		diag "$bad"
	fi
}

rule "SPDX line in every source file" \
	"$(for f in $src; do head -n 5 "$f" | grep -q 'SPDX-License-Identifier' || echo "$f"; done)"
# As checkpatch: user-visible strings are not split, so their lines may run long.
rule "kernel code: no line over 100 columns (but string literals)" \
	"$(for f in $kern; do expand -t 8 "$f" | awk -v f="$f" 'length > 100 && !/"/ { print f ":" NR }'; done)"
rule "kernel code: indented with tabs" \
	"$(grep -nE '^ {8}' $kern | head)"
rule "no trailing whitespace" "$(grep -nE '[[:space:]]+$' $src | head)"
rule "no version checks: kernel differences are probed" \
	"$(grep -nE '^#\s*(el)?if.*(LINUX_VERSION_CODE|KERNEL_VERSION)' $kern)"
rule "probe switches used only in the compat headers" \
	"$(grep -lE 'VGPU_(SIM_)?HAVE_' $kern | grep -vE '^(kmod/vgpu_compat\.[ch]|tests/sim/sim_compat\.h)$')"
# userspace/LAYER: the layers its files may include.
declare -A below=(
	[output]="output" [kernel]="kernel" [host]="host kernel output"
	[cli]="cli host kernel output" [doctor]="doctor cli host kernel output"
	[persist]="persist cli host kernel output"
)
layer_bad() {
	local f layer inc
	for f in $(git ls-files 'userspace/*/*.c' 'userspace/*/*.h'); do
		layer=${f#userspace/}
		layer=${layer%%/*}
		[[ -n ${below[$layer]+x} ]] || continue
		for inc in $(sed -n 's|^#include "\([a-z]*\)/.*|\1|p' "$f"); do
			[[ " ${below[$layer]} " == *" $inc "* ]] || echo "$f includes $inc/"
		done
	done
}
rule "userspace: no layer includes one above it" "$(layer_bad)"
tap_done
