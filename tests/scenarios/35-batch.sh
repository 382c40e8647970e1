#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Batch mode and the monitor under load: a file of 1000 mixed commands run
# by one process on one netlink socket (counted with strace), a bad line
# 500 that stops it there, -force, JSON per line, stdin, a stop signal in
# the middle of an add or a del (SIGTERM or SIGHUP: it ends the batch,
# after that line's bookkeeping), a monitor's hangup (and under nohup);
# then a burst of
# 10,000 events with one monitor reading and one stopped (SIGSTOP): the
# first gets them all, the second says exactly how many it lost.
#
# Topology (tests/vm/run): the PF $VGPU_DEV bound to vgpu_sim, an SR-IOV
# PF and an mdev parent (7 instances of the _8 type);
# /sys/kernel/vgpu_nl/<pf>/autoprobe makes one dev-change event per
# change, which is what the burst writes.
set -eu
. "$VGPU_CHECKOUT/tests/lib/tap.sh"
. "$VGPU_CHECKOUT/tests/lib/vgpu.sh"

MDEVS=/sys/bus/mdev/devices
TYPE=$(ls "$PCI/$VGPU_PF/mdev_supported_types" | grep '_8$')
AP=$VGPU_SYSFS/$VGPU_PF/autoprobe
B=/tmp/mixed.batch
modprobe vfio_iommu_type1 2>/dev/null || true

n_mdevs() { ls $MDEVS 2>/dev/null | wc -l; }
uuid_of() { printf '%08x-0000-4000-8000-%012x' "$1" "$1"; }

# 1000 lines, 250 groups of four: add an mdev, a read, remove it, another
# command; comments and blank lines count as lines too.
mixed_batch() {
	local i reads=("type show $VGPU_DEV" "dev show $VGPU_DEV" version \
		"mdev show $VGPU_DEV")
	local others=("vf show $VGPU_DEV" "resource show $VGPU_DEV" \
		"dev set $VGPU_DEV autoprobe on" "# a comment")
	for ((i = 0; i < 250; i++)); do
		echo "mdev add $VGPU_DEV type $TYPE uuid $(uuid_of "$i")"
		echo "${reads[i % 4]}"
		echo "mdev del $(uuid_of "$i")"
		if [ $((i % 8)) = 7 ]; then
			echo
		else
			echo "${others[i % 4]}"
		fi
	done
}

# The UUIDs "mdev add" printed in the last tap_run (not mdev show's lines).
uuids_printed() {
	grep -cE '^[0-9a-f]{8}-0000-4000-8000-[0-9a-f]{12}$' <<<"$TAP_OUT" || true
}

# socket_calls FILE: the socket() count of an "strace -c" summary.
socket_calls() {
	awk '$NF == "socket" { print $4 }' "$1"
}

test_thousand_lines() {
	local out=/tmp/strace.out
	mixed_batch >$B
	same "the batch has 1000 lines" "$(wc -l <$B)" 1000
	tap_run strace -f -c -o $out vgpu-nl -batch $B
	if [ "$TAP_RC" = 0 ] && [ -z "$TAP_ERR" ]; then
		ok "1000 mixed lines run, exit 0, nothing on stderr"
	else
		not_ok "1000 mixed lines run, exit 0, nothing on stderr"
		tap_show
	fi
	same "250 UUIDs printed" "$(uuids_printed)" 250
	same "one socket() for the whole batch (strace -c -f)" "$(socket_calls $out)" 1
	same "one process (one execve)" "$(awk '$NF == "execve" { print $4 }' $out)" 1
	same "every mdev made was removed" "$(n_mdevs)" 0
	diag "$(head -12 $out)"

	# libnl peeks at each message before reading it unless told a size.
	printf 'dev show %s\nmdev show\nversion\n' "$VGPU_DEV" >/tmp/reads.batch
	strace -f -e trace=recvmsg -o /tmp/strace.recv vgpu-nl -b /tmp/reads.batch >/dev/null
	check "replies were read" grep -q recvmsg /tmp/strace.recv
	same "each read once: no MSG_PEEK" "$(grep -c MSG_PEEK /tmp/strace.recv || true)" 0
}

test_stop_at_500() {
	local bad=/tmp/bad.batch gone=00000000-dead-4000-8000-000000000000
	mixed_batch | sed "500s/.*/mdev del $gone/" >$bad
	same "line 500 is the bad one" "$(sed -n 500p $bad)" "mdev del $gone"
	expect_fail 1 "^Error: $bad:500: no mdev $gone\$" \
		"a bad line 500 stops the batch there, named $bad:500" \
		strace -f -c -o /tmp/strace.bad vgpu-nl -b $bad
	same "... one error line" "$(wc -l <<<"$TAP_ERR")" 1
	same "... lines 1-499 ran: 125 UUIDs printed" "$(uuids_printed)" 125
	check "... line 501 did not run (its mdev does not exist)" \
		test ! -e "$MDEVS/$(uuid_of 125)"
	same "... nothing left behind" "$(n_mdevs)" 0
	same "... still one socket()" "$(socket_calls /tmp/strace.bad)" 1

	expect_fail 1 "^Error: $bad:500: no mdev $gone\$" \
		"-force runs every line, exits 1 for line 500" vgpu-nl -force -batch $bad
	same "... all 250 mdevs made" "$(uuids_printed)" 250
	same "... one error line" "$(wc -l <<<"$TAP_ERR")" 1
	same "... the last one was removed too" "$(n_mdevs)" 0

	printf 'version\n\nmdev add %s type nosuch-type\nversion\n' "$VGPU_DEV" >$bad
	expect_fail 1 "^Error: $bad:3: pci/$VGPU_PF has no mdev type \"nosuch-type\"" \
		"the kernel's refusal named by its line" vgpu-nl -b $bad
	printf 'dev show\nmdev del not-a-uuid\n' >$bad
	expect_fail 2 "^Error: $bad:2: malformed UUID 'not-a-uuid'" \
		"a usage error: exit 2, the line named" vgpu-nl -b $bad
	# Not text: a NUL byte ends no line early (the add would run).
	printf 'version\nmdev add %s type %s uuid %s\0junk\n' \
		"$VGPU_DEV" "$TYPE" "$(uuid_of 9)" >$bad
	expect_fail 2 "^Error: $bad:2: a NUL byte in the line" \
		"a line with a NUL byte: exit 2, the line named" vgpu-nl -b $bad
	same "... and not run" "$(n_mdevs)" 0
}

test_json_and_stdin() {
	printf 'dev show %s\nmdev show\n# nothing\nversion\n' "$VGPU_DEV" >$B
	jq_check "-j: one JSON document per line that prints one" \
		'length == 3 and (.[0].devices | length == 1) and (.[1] | has("mdevs")) and
		 (.[2] | has("api_version"))' sh -c "vgpu-nl -j -b $B | jq -s ."
	same "-j: one document per output line" "$(vgpu-nl -j -b $B | wc -l)" 3
	expect_out '^vgpu-nl tool' "- reads the batch from stdin" \
		sh -c "printf 'version\n' | vgpu-nl -b -"
	expect_fail 2 "^Error: <stdin>:1: monitor runs until it is interrupted" \
		"monitor cannot be a batch line" sh -c "echo monitor | vgpu-nl -b -"
	expect_fail 1 "^Error: <stdin>:2: Operation not permitted" \
		"an unprivileged batch: reads run, changes are refused by line" \
		unpriv sh -c "printf 'dev show\ndev set $VGPU_DEV autoprobe on\n' | vgpu-nl -b -"
}

# sig_batch SIG WATCH OUT ERR ARGS...: "vgpu-nl ARGS" in the background
# (to OUT and ERR), sent SIG once WATCH (one of the two) has 10 lines;
# its exit status in $rc.
sig_batch() {
	local sig=$1 watch=$2 out=$3 err=$4 pid i
	shift 4
	: >"$out"
	: >"$err"
	vgpu-nl "$@" >"$out" 2>"$err" &
	pid=$!
	for ((i = 0; i < 6000; i++)); do
		[ "$(wc -l <"$watch")" -ge 10 ] && break
		sleep 0.01
	done
	kill -"$sig" $pid
	rc=0
	wait $pid || rc=$?
}

# A stop signal ends a batch, also in the middle of an add or a del, which
# hold it back only until their bookkeeping is done (SIGTERM: a background
# job of this shell ignores SIGINT).
test_interrupt() {
	local b=/tmp/stop.batch out=/tmp/stop.out err=/tmp/stop.err
	local n=100000 ran u rc
	# Every line a del that fails (-force goes on): most of the batch's
	# time is inside a del. uuid_of's form, made by one process (a shell
	# loop takes minutes).
	awk -v n=$n 'BEGIN { for (i = 1; i <= n; i++)
		printf "mdev del %08x-0000-4000-8000-%012x\n", i, i }' >$b
	sig_batch TERM $err /dev/null $err -force -b $b
	ran=$(grep -c '^Error: .*: no mdev' $err || true)
	same "SIGTERM ends a batch of dels: killed by it (128+15)" "$rc" 143
	check "... before its end ($ran of $n lines ran)" test "$ran" -lt $n
	check "... and after 10 lines" test "$ran" -ge 10

	# Pairs of add and del (pairs_stopped() uses b, u, out and err).
	u=$(uuid_of 777)
	awk -v n=$((n / 2)) -v d="$VGPU_DEV" -v t="$TYPE" -v u="$u" \
		'BEGIN { for (i = 0; i < n; i++)
			printf "mdev add %s type %s uuid %s\nmdev del %s\n", d, t, u, u }' >$b
	pairs_stopped TERM 143 "SIGTERM ends a batch of adds and dels: killed by it"
	# The admin's ssh session goes: SIGHUP, held back the same way.
	pairs_stopped HUP 129 "SIGHUP ends a batch of adds and dels: killed by it (128+1)"
}

# pairs_stopped SIG RC DESC: the batch of add/del pairs $b (of mdev $u),
# sent SIG, exits RC; wherever the signal lands, the mdev, if there, is
# recorded as vgpu-nl's (the add finished its bookkeeping).
pairs_stopped() {
	sig_batch "$1" $out $out $err -b $b
	same "$3" "$rc" "$2"
	check "... the mdev, if there, is recorded as vgpu-nl's" \
		test ! -e "$MDEVS/$u" -o -s "/run/vgpu-nl/mdevs/$u"
	[ ! -e "$MDEVS/$u" ] || vgpu-nl mdev del "$u"
	same "... nothing left behind" "$(n_mdevs)" 0
}

# listening FILE: until the monitor writing FILE prints events (it has
# subscribed), making dev-change events; 1 if none came.
listening() {
	local i
	for ((i = 0; i < 50; i++)); do
		echo 0 >"$AP"
		echo 1 >"$AP"
		[ "$(dev_changes "$1")" -gt 0 ] && return 0
		sleep 0.2
	done
	return 1
}

# A monitor ends on a hangup (exit 0), unless started under nohup.
test_hangup() {
	local out=/tmp/hup.out pid rc=0
	echo 1 >"$AP"
	vgpu-nl -j monitor >$out 2>$out.err &
	pid=$!
	check "hangup: the monitor listens" listening $out
	kill -HUP $pid
	wait $pid || rc=$?
	same "hangup: the monitor ends with exit 0" "$rc" 0
	same "... and no error" "$(cat $out.err)" ""

	rc=0
	nohup vgpu-nl -j monitor >$out 2>$out.err &
	pid=$!
	check "nohup: the monitor listens" listening $out
	kill -HUP $pid
	sleep 1
	check "nohup: a hangup leaves it running" kill -0 $pid
	kill -TERM $pid
	wait $pid || rc=$?
	same "nohup: SIGTERM ends it, exit 0" "$rc" 0
}

# dev_changes FILE: the dev-change events a monitor printed.
dev_changes() { grep -c '"dev-change"' "$1" || true; }
# lost_said FILE: what the monitor's warnings say it lost, summed.
lost_said() {
	sed -n 's/^Warning: \([0-9][0-9]*\) events were lost.*/\1/p' "$1" |
		awk '{ s += $1 } END { print s + 0 }'
}

# wait_lines FILE N SECS: until FILE has N dev-change lines.
wait_lines() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		[ "$(dev_changes "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

test_burst() {
	local run=/tmp/mon.run stop=/tmp/mon.stop run_pid stop_pid i n=10000
	local base_run base_stop got_run got_stop prev
	echo 1 >"$AP"
	vgpu-nl -j monitor >$run 2>$run.err &
	run_pid=$!
	vgpu-nl -j monitor >$stop 2>$stop.err &
	stop_pid=$!
	for ((i = 0; i < 50; i++)); do
		echo 0 >"$AP"
		echo 1 >"$AP"
		[ "$(dev_changes $run)" -gt 0 ] && [ "$(dev_changes $stop)" -gt 0 ] && break
		sleep 0.2
	done
	sleep 0.5
	base_run=$(dev_changes $run)
	base_stop=$(dev_changes $stop)
	kill -STOP $stop_pid
	for ((i = 0; i < n / 2; i++)); do
		echo 0 >"$AP"
		echo 1 >"$AP"
	done
	wait_lines $run $((base_run + n)) 180 || true
	got_run=$(($(dev_changes $run) - base_run))
	same "burst: the running monitor received all $n events" "$got_run" $n
	same "burst: ... and says it lost none" "$(lost_said $run.err)" 0

	kill -CONT $stop_pid
	# It reads what its queue kept, then counts the rest by sequence number.
	prev=-1
	for ((i = 0; i < 100; i++)); do
		sleep 0.3
		[ "$(dev_changes $stop)" = "$prev" ] && grep -q 'events were lost' $stop.err && break
		prev=$(dev_changes $stop)
	done
	got_stop=$(($(dev_changes $stop) - base_stop))
	check "burst: the stopped monitor lost some (the queue overflowed: $((n - got_stop)) missing)" \
		test "$got_stop" -lt $n
	same "burst: the stopped monitor reports exactly how many it lost" \
		"$(lost_said $stop.err)" $((n - got_stop))
	diag "$(grep -h Warning $run.err $stop.err | head -3)"
	kill -INT $run_pid $stop_pid
	wait $run_pid $stop_pid || true
	check "burst: the running monitor ended cleanly" test -z "$(grep -v '^Warning' $run.err)"
}

test_thousand_lines
test_stop_at_500
test_json_and_stdin
test_interrupt
test_hangup
test_burst
tap_done
