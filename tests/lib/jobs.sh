# SPDX-License-Identifier: GPL-2.0
#
# jobs.sh - a run made of named jobs, $JOBS cores at a time (make check,
# make check-debug). Each job ends in "N passed, N failed" (TAP); a job
# that failed without saying how counts as one failure.
#
#   job NAME SLOTS "DEPS" CMD...   declares a job: SLOTS of the $JOBS
#                                  cores it keeps busy, DEPS the jobs that
#                                  must have ended first (passed or not)
#   jobs_run                       runs them, in the order declared as far
#                                  as their dependencies allow; each job's
#                                  output is printed whole when it ends,
#                                  with its counts and time. A function
#                                  jobs_ended NAME, if defined, is called
#                                  after each (it may declare more jobs)
#   jobs_report TITLE [LINE...]    the table of all jobs, what failed again,
#                                  the LINEs, the time taken and, last and
#                                  alone, the sum "N passed, N failed";
#                                  returns 1 if anything failed
#
# CHECK_JOBS sets $JOBS (default 2: a TCG guest keeps one core busy).
# CHECK_ONLY=REGEX runs only the jobs whose names match, and those named
# in $JOBS_KEEP (what the others' declaration needs); the others are
# listed as skipped (for development).

JOBS=${CHECK_JOBS:-2}
ONLY=${CHECK_ONLY:-}
JOBS_KEEP=${JOBS_KEEP:-}
jobs_logdir=$(mktemp -d)
trap 'rm -rf "$jobs_logdir"; kill $(jobs -p) 2>/dev/null' EXIT
jobs_t0=$(date +%s)

declare -a ORDER=() SKIPPED=() FAILS=()
declare -A SLOTS=() DEPS=() CMD=() STATE=() PID=() T0=() SECS=() PASSED=() \
	FAILED=() LOG=()

job() {
	local name=$1 slots=$2 deps=$3
	shift 3
	ORDER+=("$name")
	SLOTS[$name]=$slots
	DEPS[$name]=$deps
	CMD[$name]=$(printf '%q ' "$@")
	STATE[$name]=wait
	if [[ -n $ONLY && ! $name =~ $ONLY && " $JOBS_KEEP " != *" $name "* ]]; then
		STATE[$name]=done
		SECS[$name]=0 PASSED[$name]=0 FAILED[$name]=0
		SKIPPED+=("$name")
	fi
}

jobs_free=$JOBS

jobs_ready() {
	local d
	[[ ${STATE[$1]} == wait && ${SLOTS[$1]} -le $jobs_free ]] || return 1
	# Job names contain spaces ("build K"): match whole names.
	for d in "${ORDER[@]}"; do
		[[ " ${DEPS[$1]} " == *" $d "* && ${STATE[$d]} != done ]] && return 1
	done
	return 0
}

jobs_start() {
	local name=$1 log=$jobs_logdir/$BASHPID.$RANDOM
	STATE[$name]=run
	T0[$name]=$(date +%s)
	jobs_free=$((jobs_free - SLOTS[$name]))
	LOG[$name]=$log
	eval "${CMD[$name]}" >"$log" 2>&1 &
	PID[$name]=$!
}

jobs_finish() {
	local name=$1 rc=$2 log=${LOG[$1]} line p=0 f=0
	STATE[$name]=done
	jobs_free=$((jobs_free + SLOTS[$name]))
	SECS[$name]=$(($(date +%s) - T0[$name]))
	line=$(grep -aE '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		p=${BASH_REMATCH[1]}
		f=${BASH_REMATCH[2]}
	fi
	echo "=== $name"
	cat "$log"
	if [[ $rc -ne 0 && $f -eq 0 ]]; then
		echo "not ok - $name exited with status $rc"
		f=1
	fi
	PASSED[$name]=$p
	FAILED[$name]=$f
	# What failed, again at the end (a CI log may keep only its tail).
	[[ $f -eq 0 ]] || FAILS+=("$name"$'\n'"$(grep -a -E '^not ok|^vm: ' "$log" |
		head -n 4 | cut -c1-160 | sed 's/^/      /')")
	echo "=== $name: $p passed, $f failed ($(jobs_fmt_secs "${SECS[$name]}"))"
}

jobs_fmt_secs() {
	printf '%dm%02ds' $(($1 / 60)) $(($1 % 60))
}

jobs_run() {
	local name pid rc any
	while :; do
		any=
		for name in "${ORDER[@]}"; do
			if jobs_ready "$name"; then
				jobs_start "$name"
			fi
			[[ ${STATE[$name]} == done ]] || any=1
		done
		[[ -n $any ]] || break
		wait -n -p pid
		rc=$?
		for name in "${ORDER[@]}"; do
			if [[ ${STATE[$name]} == run && ${PID[$name]} == "$pid" ]]; then
				jobs_finish "$name" "$rc"
				if declare -F jobs_ended >/dev/null; then
					jobs_ended "$name"
				fi
			fi
		done
	done
}

jobs_report() {
	local title=$1 name passed=0 failed=0
	shift
	echo
	echo "=== $title: parts, results and times ($JOBS at a time)"
	for name in "${ORDER[@]}"; do
		[[ " ${SKIPPED[*]} " == *" $name "* ]] && continue
		printf '  %-52s %5d passed %3d failed  %s\n' "$name" "${PASSED[$name]}" \
			"${FAILED[$name]}" "$(jobs_fmt_secs "${SECS[$name]}")"
		passed=$((passed + PASSED[$name]))
		failed=$((failed + FAILED[$name]))
	done
	if [[ ${#FAILS[@]} -gt 0 ]]; then
		echo "=== failed parts (each part's output above has the details)"
		printf '  %s\n' "${FAILS[@]}"
	fi
	[[ ${#SKIPPED[@]} -eq 0 ]] || echo "=== skipped (CHECK_ONLY=$ONLY): ${#SKIPPED[@]} parts"
	[[ $# -eq 0 ]] || printf '%s\n' "$@"
	echo "=== $title took $(jobs_fmt_secs $(($(date +%s) - jobs_t0)))"
	echo "$passed passed, $failed failed"
	[[ $failed -eq 0 ]]
}
