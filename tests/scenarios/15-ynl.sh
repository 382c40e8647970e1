#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own generic netlink client, tools/net/ynl's cli.py, drives
# the "vgpu" family from Documentation/netlink/specs/vgpu.yaml alone: it
# lists every operation and runs each read operation (do and dump, with
# the dump filters), and decodes an event of the monitor group. The spec
# sits in a scratch tree laid out like the kernel's, next to that kernel's
# genetlink-c.yaml, so that ynl finds the kernel's default schema by
# itself (no --schema, no --no-schema); ynl refuses any attribute the spec
# lacks, so a decoded reply is a reply the spec describes completely.
#
# Clients: Debian 12's linux-source-6.12 (tools/net/ynl/cli.py, extracted
# into build/kernel-src/ by tests/host/contract.sh) and every tree of
# VGPU_KERNEL_SRC (default /var/tmp/src/linux-source-*) with the newer
# layout, tools/net/ynl/pyynl/cli.py.
#
# Topology (tests/vm/run): the emulated SR-IOV PF bound to vgpu_sim, an
# mdev parent with 4 types; 2 VFs and one mdev are made here (and left:
# the guest goes with the scenario).
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"

SPEC=$VGPU_CHECKOUT/Documentation/netlink/specs/vgpu.yaml
# The mdev each client adds itself (and removes again).
ynl_uuid=15000000-0000-4000-8000-000000000015
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# ynl ARGS...: the current client on the scratch copy of the spec.
ynl() {
	/usr/bin/python3 "$cli" --spec "$tree_spec" --output-json "$@"
}

# ynl_check DESC FILTER ARGS...: ynl succeeds and jq -e FILTER holds on
# its JSON (one document per line: a do's reply, or a dump's list).
ynl_check() {
	local desc=$1 filter=$2
	shift 2
	tap_run ynl "$@"
	if [[ $TAP_RC -eq 0 ]] && jq -e -s "$filter" >/dev/null 2>&1 <<<"$TAP_OUT"; then
		ok "$name: $desc"
	else
		not_ok "$name: $desc"
		diag "expected exit status 0 and jq -e -s '$filter' to hold"
		tap_show
	fi
}

setup() {
	local type
	check "2 VFs for the dumps" vgpu-nl dev set "$VGPU_DEV" numvfs 2
	type=$(vgpu-nl -j type show "$VGPU_DEV" | jq -r '.types[0].name')
	tap_run vgpu-nl mdev add "$VGPU_DEV" type "$type"
	uuid=$TAP_OUT
	if [[ $TAP_RC -eq 0 && $uuid =~ ^[0-9a-f-]{36}$ ]]; then
		ok "an mdev for the dumps: $uuid"
	else
		not_ok "an mdev for the dumps"
		tap_show
	fi
	vf=$(vgpu-nl -j vf show "$VGPU_DEV" | jq -r '.vfs[0].handle')
	type_name=$type
}

# run_client NAME TREE CLI: every check with one client.
run_client() {
	name=$1
	local tree=$2 ops want add_type
	cli=$3
	mkdir -p "$scratch/$name/Documentation/netlink/specs"
	cp "$tree/Documentation/netlink/genetlink-c.yaml" "$scratch/$name/Documentation/netlink/"
	cp "$SPEC" "$scratch/$name/Documentation/netlink/specs/vgpu.yaml"
	tree_spec=$scratch/$name/Documentation/netlink/specs/vgpu.yaml

	# Every op with its modes ("dev-get do dump"); events are messages.
	want=$(/usr/bin/python3 -c '
import sys, yaml
for op in yaml.safe_load(open(sys.argv[1]))["operations"]["list"]:
    modes = [m for m in ("do", "dump") if m in op]
    if modes:
        print(op["name"], *modes)' "$SPEC" | sort)
	tap_run /usr/bin/python3 "$cli" --spec "$tree_spec" --list-ops
	ops=$(tr -d '[],' <<<"$TAP_OUT" | awk '{ $1 = $1; n = split($0, w, " ");
		out = w[1]; if (n > 2 && w[2] > w[3]) { t = w[2]; w[2] = w[3]; w[3] = t }
		for (i = 2; i <= n; i++) out = out " " w[i]; print out }' | sort)
	if [[ $TAP_RC -eq 0 && $ops == "$want" ]]; then
		ok "$name: --list-ops lists the $(wc -l <<<"$want") operations of the spec, with do and dump"
	else
		not_ok "$name: --list-ops lists the operations of the spec, with do and dump"
		diag "want: $(tr '\n' ';' <<<"$want")"
		diag "have: $(tr '\n' ';' <<<"$ops")"
		tap_show
	fi
	expect_out '^event +\[ event \]' "$name: --list-msgs has the event notification" \
		/usr/bin/python3 "$cli" --spec "$tree_spec" --list-msgs

	ynl_check "version-get do: the module's version and API version" \
		".[0].version == \"$(cat $VGPU_SYSFS/version)\" and
		 .[0][\"api-version\"] == $(cat $VGPU_SYSFS/api_version)" \
		--do version-get
	ynl_check "dev-get dump: the PF with its sriov nest" \
		"[.[0][] | select(.[\"dev-handle\"] == \"$VGPU_DEV\")] | length == 1 and
		 .[0][\"dev-sriov\"].totalvfs == 7 and .[0][\"dev-sriov\"].numvfs == 2" \
		--dump dev-get
	ynl_check "dev-get do: the PF" \
		".[0][\"dev-handle\"] == \"$VGPU_DEV\" and .[0][\"dev-vendor\"] == 6966" \
		--do dev-get --json "{\"dev-handle\": \"$VGPU_DEV\"}"
	ynl_check "vf-get dump: both VFs" \
		"[.[0][] | select(.[\"vf-pf\"] == \"$VGPU_DEV\")] | length == 2" \
		--dump vf-get
	ynl_check "vf-get dump filtered by the PF" \
		".[0] | length == 2 and all(.[\"vf-pf\"] == \"$VGPU_DEV\")" \
		--dump vf-get --json "{\"dev-handle\": \"$VGPU_DEV\"}"
	ynl_check "vf-get do: one VF with index and PF" \
		".[0][\"vf-handle\"] == \"$vf\" and .[0][\"vf-index\"] == 0" \
		--do vf-get --json "{\"vf-handle\": \"$vf\"}"
	ynl_check "type-get dump: the 4 types of the parent" \
		"[.[0][] | select(.[\"dev-handle\"] == \"$VGPU_DEV\")] | length == 4" \
		--dump type-get
	ynl_check "type-get dump filtered by the parent" \
		".[0] | length == 4" \
		--dump type-get --json "{\"dev-handle\": \"$VGPU_DEV\"}"
	ynl_check "type-get do: one type" \
		".[0][\"type-name\"] == \"$type_name\" and (.[0][\"type-available\"] | type == \"number\")" \
		--do type-get --json "{\"dev-handle\": \"$VGPU_DEV\", \"type-name\": \"$type_name\"}"
	ynl_check "mdev-get dump: the mdev, owned" \
		"[.[0][] | select(.[\"mdev-uuid\"] == \"$uuid\")] |
		 length == 1 and .[0][\"mdev-owned\"] == 1" \
		--dump mdev-get
	ynl_check "mdev-get dump filtered by the parent" \
		"[.[0][] | .[\"mdev-parent\"]] | unique == [\"$VGPU_DEV\"]" \
		--dump mdev-get --json "{\"dev-handle\": \"$VGPU_DEV\"}"
	ynl_check "mdev-get do: the mdev and its type" \
		".[0][\"mdev-uuid\"] == \"$uuid\" and .[0][\"mdev-type\"] == \"$type_name\"" \
		--do mdev-get --json "{\"mdev-uuid\": \"$uuid\"}"
	ynl_check "mdev-get do: mdev-in-use 0 (nobody holds it)" \
		".[0][\"mdev-in-use\"] == 0" \
		--do mdev-get --json "{\"mdev-uuid\": \"$uuid\"}"
	ynl_check "mdev-get dump: no mdev-in-use (asked one mdev at a time)" \
		"[.[0][] | has(\"mdev-in-use\")] | any | not" \
		--dump mdev-get
	# The setup's mdev may have taken the last instance of its type:
	# add one of a type that still has room.
	add_type=$(vgpu-nl -j type show "$VGPU_DEV" |
		jq -r '[.types[] | select(.available_instances > 0)][0].name // "none"')
	ynl_check "mdev-add do ($add_type): the new mdev, without mdev-in-use (not asked)" \
		".[0][\"mdev-uuid\"] == \"$ynl_uuid\" and (.[0] | has(\"mdev-in-use\") | not)" \
		--do mdev-add --json "{\"dev-handle\": \"$VGPU_DEV\", \"type-name\": \"$add_type\", \"mdev-uuid\": \"$ynl_uuid\"}"
	check "and it is removed again" vgpu-nl mdev del "$ynl_uuid"
	ynl_check "resource-get dump: the PF's report with nested resources" \
		"[.[0][] | select(.[\"dev-handle\"] == \"$VGPU_DEV\") | .resource // [] | .[] |
		  select(.child | length > 0)] | length > 0" \
		--dump resource-get
	ynl_check "resource-get dump filtered by the device (the tool's request)" \
		"[.[0][] | .[\"dev-handle\"]] | unique == [\"$VGPU_DEV\"]" \
		--dump resource-get --json "{\"dev-handle\": \"$VGPU_DEV\"}"
	ynl_check "resource-get do: one device" \
		".[0][\"dev-handle\"] == \"$VGPU_DEV\"" \
		--do resource-get --json "{\"dev-handle\": \"$VGPU_DEV\"}"

	# An event: ynl subscribes to "monitor", then listens for 12 s; autoprobe
	# is switched again and again until ynl is done, however long its
	# start-up takes (under TCG, beside other guests, it took over 20 s on
	# the debug kernel). A ynl that never finishes is stopped after
	# VGPU_HANG_SECS.
	ynl --subscribe monitor --sleep 12 >"$scratch/$name.events" 2>&1 &
	local pid=$! t0=$SECONDS
	while kill -0 "$pid" 2>/dev/null; do
		if ((SECONDS - t0 > ${VGPU_HANG_SECS:-600})); then
			kill "$pid"
			break
		fi
		sleep 1
		vgpu-nl dev set "$VGPU_DEV" autoprobe off
		vgpu-nl dev set "$VGPU_DEV" autoprobe on
	done
	if wait "$pid" && jq -e -s "[.[] | if type == \"array\" then .[] else . end |
	       select(.name == \"event\") | .msg | select(.event == \"dev-change\" and
	       .[\"dev-handle\"] == \"$VGPU_DEV\")] | length >= 1" \
	       "$scratch/$name.events" >/dev/null 2>&1; then
		ok "$name: --subscribe monitor decodes a dev-change event"
	else
		not_ok "$name: --subscribe monitor decodes a dev-change event"
		diag "$(head -c 2000 "$scratch/$name.events")"
	fi
}

setup
deb=$VGPU_CHECKOUT/build/kernel-src/linux-source-6.12
if [[ -f $deb/tools/net/ynl/cli.py ]]; then
	run_client ynl-6.12 "$deb" "$deb/tools/net/ynl/cli.py"
else
	not_ok "ynl-6.12: $deb/tools/net/ynl/cli.py (tests/host/contract.sh extracts it)"
fi
IFS=: read -r -a trees <<<"${VGPU_KERNEL_SRC:-$(ls -d /var/tmp/src/linux-source-*/ 2>/dev/null | tr '\n' :)}"
for t in "${trees[@]}"; do
	t=${t%/}
	[[ -f $t/tools/net/ynl/pyynl/cli.py ]] || continue
	run_client "ynl-${t##*linux-source-}" "$t" "$t/tools/net/ynl/pyynl/cli.py"
done
tap_done
