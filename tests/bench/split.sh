# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Where one mdev add+del pair goes, sourced by guest.sh after its
# section 1: a -batch of the pairs and a shell loop of the same sysfs
# writes, in turn SPLIT_N times with the raw_syscalls tracepoints on,
# split into the time inside the requests (MDEV_ADD and MDEV_DEL:
# sendmsg) or the two writes, inside the process's other system calls
# (the tool's bookkeeping: its record in /run, the mdevctl definitions,
# signal masks, replies; the shell's opens, dup2s and closes), and
# outside system calls: the process's own code, its page faults, and
# what the kernel does on the way back to user space, which the
# tracepoints do not bracket (the release of a file that a request or a
# close let go, signal checks). The tracepoints slow every system call a
# little, the same for both: the figures are a breakdown, not a
# comparison with section 1's.
#
# Needs: guest.sh's WORK, PAIRS, SPLIT_N, SAMPLES, row(), median_ratio(),
# info_ratio() and sysfs_pairs().

TRACING=/sys/kernel/tracing
# x86_64 system call numbers (the guests are x86_64).
NR_WRITE=1
NR_SENDMSG=46

# split_trace PID FROM_NTH NR: "REQ OTHER SELF" microseconds of task PID,
# from the enter of its FROM_NTH system call NR on to its last exit.
split_trace() {
	sed -nE 's/^ *.+-([0-9]+) +\[[0-9]+\] [^ ]+ +([0-9]+\.[0-9]+): sys_(enter|exit): NR ([0-9]+) .*/\1 \2 \3 \4/p' \
		"$WORK/trace" |
		awk -v pid="$1" -v from="$2" -v nr="$3" '
		$1 != pid { next }
		{ t = $2 * 1000000 }
		$3 == "enter" {
			if ($4 == nr && ++seen == from)
				start = t
			if (start == "")
				next
			enter = t; enr = $4
			next
		}
		start != "" && enter != "" && $4 == enr {
			if (enr == nr)
				req += t - enter
			else
				other += t - enter
			end = t; enter = ""
		}
		END {
			wall = end - start
			printf "%d %d %d\n", req, other, wall - req - other
		}'
}

# trace_on / trace_off: the raw_syscalls tracepoints, into a fresh buffer.
trace_on() {
	echo 0 >"$TRACING/tracing_on"
	echo 8192 >"$TRACING/buffer_size_kb"
	echo >"$TRACING/trace"
	echo 1 >"$TRACING/events/raw_syscalls/enable"
	echo 1 >"$TRACING/tracing_on"
}

trace_off() {
	echo 0 >"$TRACING/tracing_on"
	echo 0 >"$TRACING/events/raw_syscalls/enable"
	cat "$TRACING/trace" >"$WORK/trace"
	echo >"$TRACING/trace"
	# "# entries-in-buffer/entries-written: N/M": a full buffer drops events.
	sed -n 's/^# entries-in-buffer\/entries-written: \([0-9]*\)\/\([0-9]*\).*/\1 \2/p' \
		"$WORK/trace" | while read -r kept written; do
		[ "$kept" = "$written" ] ||
			echo "bench: the trace dropped $((written - kept)) events: the split below is off"
	done
}

# split_once: one traced -batch and one traced shell loop, each part per
# pair into SAMPLES (split_b_req, ..., split_s_self).
split_once() {
	local b s pid

	trace_on
	vgpu-nl -batch "$WORK/pairs" >/dev/null &
	pid=$!
	wait "$pid"
	trace_off
	# From MDEV_ADD on: the first sendmsg resolves the family.
	read -r -a b <<<"$(split_trace "$pid" 2 "$NR_SENDMSG")"

	trace_on
	(echo "$BASHPID" >"$WORK/shell.pid"; sysfs_pairs)
	trace_off
	# From the first sysfs write on (the first write is the pid).
	read -r -a s <<<"$(split_trace "$(cat "$WORK/shell.pid")" 2 "$NR_WRITE")"

	split_add split_b "${b[@]}"
	split_add split_s "${s[@]}"
}

# split_add NAME REQ OTHER SELF: per pair into SAMPLES, as NAME_req,
# NAME_other, NAME_self and their sum NAME_all.
split_add() {
	SAMPLES["$1_req"]+="$(($2 / PAIRS)) "
	SAMPLES["$1_other"]+="$(($3 / PAIRS)) "
	SAMPLES["$1_self"]+="$(($4 / PAIRS)) "
	SAMPLES["$1_all"]+="$((($2 + $3 + $4) / PAIRS)) "
}

split_pairs() {
	local i

	mountpoint -q "$TRACING" || mount -t tracefs nodev "$TRACING" 2>/dev/null
	if [ "$(uname -m)" != x86_64 ] || [ ! -d "$TRACING/events/raw_syscalls" ]; then
		echo "bench: no raw_syscalls tracepoints here: no split of the pair"
		return 0
	fi
	for ((i = 0; i < SPLIT_N; i++)); do
		split_once
	done

	echo
	echo "bench: where one pair goes (median of $SPLIT_N traced runs of $PAIRS pairs; per pair)"
	row split_b_req "-batch: in MDEV_ADD + MDEV_DEL (sendmsg)"
	row split_b_other "-batch: in its other system calls"
	row split_b_self "-batch: outside system calls"
	row split_s_req "shell: in the two sysfs writes"
	row split_s_other "shell: in its other system calls"
	row split_s_self "shell: outside system calls"
	info_ratio "requests / sysfs writes" \
		"$(median_ratio split_b_req split_s_req)"
	info_ratio "(batch pair, traced) / (shell pair, traced)" \
		"$(median_ratio split_b_all split_s_all)"
}
