# SPDX-License-Identifier: GPL-2.0
#
# readme.sh (guest, test only): the README's recipes, as the README has
# them (SHARE/README.md is the checkout's), run as an admin would type
# them on this host.
#
#   readme_recipe NAME   the lines of the first ```sh block of the
#                        subsection "### NAME ..." of "## Setting a host
#                        up", without comments and blank lines
#   readme_run LINE      runs one line (a check in the current step), with
#                        the README's example addresses replaced by this
#                        host's: the GPU 00:02.0 by the emulated PF, the VF
#                        00:02.1 by the PF's first VF, UUID by the UUID the
#                        last "mdev add" printed

readme_recipe() {
	awk -v want="$1" '
		/^## /		{ setup = ($0 == "## Setting a host up"); sect = 0; next }
		/^### /		{ sect = setup && index($0, "### " want " ") == 1; code = 0; next }
		sect && /^```sh$/	{ code = 1; next }
		code && /^```/	{ code = 0; sect = 0; next }
		code		{ sub(/[ \t]+#.*$/, ""); sub(/^[ \t]+/, ""); if ($0 != "") print }
	' "$S/README.md"
}

# The address of the PF's first VF, short form.
first_vf() {
	local vf
	vf=$(vgpu-nl -j vf show "pci/$PF" | jq -r '.vfs[] | select(.index == 0) | .handle')
	echo "${vf#pci/0000:}"
}

README_UUID=
readme_run() {
	local line=$1 pf=${PF#0000:} vf
	line=${line//00:02.0/$pf}
	if [[ $line == *00:02.1* ]]; then
		vf=$(first_vf)
		line=${line//00:02.1/${vf:-no-VF-yet}}
	fi
	line=$(sed "s/\bUUID\b/${README_UUID:-no-mdev-yet}/g" <<<"$line")
	check "README: $line" bash -c "$line"
	printf '%s\n' "$TAP_OUT" | sed 's/^/  | /'
	[[ -z $TAP_ERR ]] || printf '%s\n' "$TAP_ERR" | sed 's/^/  ! /'
	if [[ $line =~ ^vgpu-nl\ host\ plan\ ([a-z]+) ]]; then
		printf '%s\n' "$TAP_OUT" >"$P/plan-${BASH_REMATCH[1]}"
	fi
	if [[ $line == "vgpu-nl mdev add "* && $TAP_RC -eq 0 ]]; then
		README_UUID=$TAP_OUT
		echo "$README_UUID" >>"$P/readme-uuids"
	fi
	[[ $TAP_RC -eq 0 ]]
}
