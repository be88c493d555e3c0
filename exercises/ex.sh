#!/bin/sh
# ex.sh: the exercises' commands, run by make (mk/exercises.mk):
#   ex.sh list            make exercises: each one's state, progress, the next one
#   ex.sh check N         make check-exercise N: build and run N's check
#   ex.sh hint N          make hint N: the next hint of N only
#   ex.sh reset N         make reset-exercise N: the starting file back (yours kept)
#   ex.sh watch           make watch: re-check the current exercise on every save
#   ex.sh ci              make exercises-ci: starting files fail, solutions pass,
#                         every wrong answer fails with its message, a check
#                         refuses --bogus and fails on a full disk
# Make passes EX_CC (compiler and flags), EX_LIBS (the core and its libraries),
# EX_BUILD (where checks are built) and, if there is one, EX_TIMEOUT (a timeout
# program: an outer bound; each check also bounds itself, see check.h).
# What a learner did (hints shown, exercises passed) is kept in exercises/.state/,
# which git ignores and `make clean` leaves alone. POSIX sh only.
set -u
cd "$(dirname "$0")/.." || exit 2
STATE=exercises/.state
EX_BUILD=${EX_BUILD:-build/exercises}
EX_TIMEOUT=${EX_TIMEOUT:-}

all_dirs() {
    for d in exercises/[0-9][0-9]-*; do
        [ -d "$d" ] && echo "$d"
    done
}
count_dirs() { all_dirs | wc -l | tr -d ' '; }
num_of() { n=$(basename "$1"); n=${n%%-*}; echo "${n#0}"; }
two_digits() { printf '%02d' "$1"; }
# "# Exercise 3: all at once (step 2)" -> "all at once (step 2)"
title_of() { sed -n '1s/^# Exercise [0-9]*: //p' "$1/README.md"; }
step_of() { sed -n '1s/.*(step \([0-9]\)).*/\1/p' "$1/README.md"; }
minutes_of() { sed -n 's/^Time: about \([0-9-]*\) minutes.*/\1/p' "$1/README.md" | head -n 1; }

usage_n() {
    echo "usage: make $1 N (N is an exercise's number, 1 to $(count_dirs); \`make exercises\` lists them)" >&2
    exit 2
}

# The folder of exercise $2, or a usage line for command $1.
dir_of() {
    case "$2" in ''|*[!0-9]*) usage_n "$1" ;; esac
    n=$(echo "$2" | sed 's/^0*//')             # 08 is 8, not an octal mistake
    [ -n "$n" ] || usage_n "$1"
    for d in exercises/"$(two_digits "$n")"-*; do
        [ -d "$d" ] && { echo "$d"; return 0; }
    done
    echo "make $1: there is no exercise $2 (they are numbered 1 to $(count_dirs))" >&2
    exit 2
}

sum_of() { cksum < "$1" | tr -d ' '; }
passed_file() { echo "$STATE/passed-$(basename "$1")"; }
is_passed() {
    f=$(passed_file "$1")
    [ -f "$f" ] && [ -f "$1/exercise.c" ] && [ "$(cat "$f")" = "$(sum_of "$1/exercise.c")" ]
}
record_pass() { mkdir -p "$STATE" && sum_of "$1/exercise.c" > "$(passed_file "$1")"; }
untouched() { cmp -s "$1/exercise.c" "$1/start/exercise.c"; }

# build DIR SOURCE OUT: compiler messages on stderr, status 1 if it fails.
build() {
    mkdir -p "$(dirname "$3")"
    # shellcheck disable=SC2086  # EX_CC and EX_LIBS are word lists
    ${EX_CC:?run this through make} -DEXERCISE_N="$(num_of "$1")" -Iexercises -I"$1" \
        "$2" "$1/given.c" "$1/check.c" ${EX_LIBS:?run this through make} -o "$3"
}

# run N PROGRAM: the check's words on stdout; a check ended by a signal (the
# core aborts on some mistakes, after saying which on stderr) gets a line too.
run() {
    if [ -n "$EX_TIMEOUT" ]; then
        $EX_TIMEOUT 60 "$2"
    else
        "$2"
    fi
    st=$?
    if [ "$st" -gt 128 ] && [ "$st" -ne 124 ]; then
        sig=$(kill -l $((st - 128)) 2>/dev/null || echo "$((st - 128))")
        if [ "$sig" = ABRT ]; then
            echo "exercise $1: not yet: the core stopped the check (SIGABRT): its message" \
                 "above, starting with 'async:', names the mistake"
        else
            echo "exercise $1: not yet: the check crashed (signal SIG$sig): a line from the" \
                 "core above, if any, names the mistake; else suspect a pointer used after" \
                 "what it points to ended (a task's argument, a scope left open)"
        fi
        echo "  stuck? \`make hint $1\` shows the next hint (one at a time)"
    elif [ "$st" -eq 124 ]; then
        echo "exercise $1: not yet: the check did not finish within 60 s"
        echo "  stuck? \`make hint $1\` shows the next hint (one at a time)"
    elif [ "$st" -ne 0 ] && [ "$st" -ne 1 ]; then
        echo "exercise $1: not yet: the check ended with status $st (the lines above say why)"
        echo "  stuck? \`make hint $1\` shows the next hint (one at a time)"
    fi
    return "$st"
}

# check DIR: build and run the learner's exercise.c, in full view.
check_one() {
    n=$(num_of "$1")
    out="$EX_BUILD/$(basename "$1")/learner"
    if ! build "$1" "$1/exercise.c" "$out"; then
        echo "exercise $n: $1/exercise.c does not build: the compiler's messages above say where"
        return 1
    fi
    if run "$n" "$out"; then
        record_pass "$1"
        return 0
    fi
    return 1
}

# A word for each exercise's state; a check is built and run only when the
# file changed since it last passed.
state_of() {
    if untouched "$1"; then
        echo "not started"
    elif is_passed "$1"; then
        echo "passes"
    elif ! build "$1" "$1/exercise.c" "$EX_BUILD/$(basename "$1")/learner" >/dev/null 2>&1; then
        echo "does not build (make check-exercise $(num_of "$1") shows why)"
    elif run "$(num_of "$1")" "$EX_BUILD/$(basename "$1")/learner" >/dev/null 2>&1; then
        record_pass "$1"
        echo "passes"
    else
        echo "not yet"
    fi
}

cmd_list() {
    total=0 done=0 next=""
    printf '   #  step  minutes  exercise                                       state\n'
    for d in $(all_dirs); do
        total=$((total + 1))
        s=$(state_of "$d")
        if [ "$s" = passes ]; then done=$((done + 1)); elif [ -z "$next" ]; then next=$d; fi
        printf '  %2d  %4s  %7s  %-45s  %s\n' "$(num_of "$d")" "$(step_of "$d")" \
            "$(minutes_of "$d")" "$(title_of "$d" | sed 's/ (step [0-9])//')" "$s"
    done
    echo "progress: $done / $total done"
    if [ -n "$next" ]; then
        n=$(num_of "$next")
        echo "next: exercise $n, $(title_of "$next")"
        echo "      read $next/README.md, edit $next/exercise.c,"
        echo "      then \`make check-exercise $n\`, or \`make watch\` (it re-checks on every save)"
    else
        echo "every exercise passes: well done"
    fi
}

cmd_hint() {
    d=$(dir_of hint "$1") || exit 2
    n=$(num_of "$d")
    total=$(grep -c '^## Hint' "$d/hints.md")
    f="$STATE/hints-$(basename "$d")"
    shown=$(cat "$f" 2>/dev/null || echo 0)
    if [ "$shown" -ge "$total" ]; then
        echo "exercise $n has $total hints and all are shown; the last one again:"
        k=$total
    else
        k=$((shown + 1))
        mkdir -p "$STATE" && echo "$k" > "$f"
        echo "exercise $n, hint $k of $total:"
    fi
    awk -v k="$k" '/^## Hint/ { i++; next } i == k { print "  " $0 }' "$d/hints.md" |
        sed -e :a -e '/^ *$/{$d;N;ba' -e '}'
    if [ "$k" -lt "$total" ]; then
        echo "(\`make hint $n\` again for the next one)"
    else
        echo "(that was the last hint; a solution is in exercises/solutions/$(basename "$d").c)"
    fi
}

cmd_reset() {
    d=$(dir_of reset-exercise "$1") || exit 2
    if [ -f "$d/exercise.c" ] && untouched "$d"; then
        echo "$d/exercise.c is already its starting file: nothing to restore"
        return 0
    fi
    if [ -f "$d/exercise.c" ]; then
        b="$d/exercise.c.backup-$(date +%Y%m%d-%H%M%S)"
        cp "$d/exercise.c" "$b" || exit 1
        echo "your work is kept in $b"
    fi
    cp "$d/start/exercise.c" "$d/exercise.c" || exit 1
    rm -f "$(passed_file "$d")"
    echo "$d/exercise.c is its starting file again"
}

first_not_passed() {
    for d in $(all_dirs); do
        is_passed "$d" || { echo "$d"; return 0; }
    done
}

cmd_watch() {
    trap 'echo; echo "watch: stopped (make watch starts again where you are)"; exit 0' INT TERM
    mkdir -p "$STATE"
    stamp="$STATE/watch-stamp"
    while :; do
        d=$(first_not_passed)
        if [ -z "$d" ]; then
            echo "every exercise passes: well done"
            return 0
        fi
        n=$(num_of "$d")
        echo
        echo "== exercise $n: $(title_of "$d"); the task is in $d/README.md"
        touch "$stamp"
        if check_one "$d"; then
            echo "on to the next one"
            continue
        fi
        echo "watching $d/exercise.c: save it to check again (Ctrl-C stops)"
        while [ -z "$(find "$d/exercise.c" -newer "$stamp" 2>/dev/null)" ]; do
            sleep 1
        done
    done
}

# ci_expect_fail DIR SOURCE WHAT EXPECTED OUT: SOURCE must build, and its check
# must fail, in words (no hex), with EXPECTED in its output if given.
ci_fail=0
ci_say() { echo "$*"; }
ci_bad() { echo "FAILED: $*"; ci_fail=1; }

ci_expect_fail() {
    out="$EX_BUILD/ci/$(basename "$1")/$5"
    log="$out.log"
    mkdir -p "$(dirname "$out")"
    if ! build "$1" "$2" "$out" 2>"$log"; then
        cat "$log"; ci_bad "$2 does not build"; return
    fi
    # Under SAN=asan, a wrong answer's leaks would add LeakSanitizer's report
    # (addresses in hex) to the check's words: the checks count what matters.
    if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} run "$(num_of "$1")" "$out" >"$log" 2>&1; then
        cat "$log"; ci_bad "$2 ($3) PASSES its check"; return
    fi
    if grep -q '0x' "$log"; then
        cat "$log"; ci_bad "$2: its check's message has hex in it"; return
    fi
    if ! grep -q "make hint" "$log"; then
        cat "$log"; ci_bad "$2: its check's message does not point at \`make hint\`"; return
    fi
    if [ -n "$4" ] && ! grep -qF -- "$4" "$log"; then
        cat "$log"; ci_bad "$2: expected the message to say: $4"; return
    fi
    ci_say "  ok: $3 fails: $(grep -m1 'not yet' "$log" | sed 's/^exercise [0-9]*: not yet: //' | cut -c1-110)"
}

# The check, run by hand: --bogus refused in one line (status 2); its words
# lost to a full disk are a line on stderr and status 1, never a pass.
ci_check_speaks_as_a_program() {
    "$2" --bogus >"$2.log" 2>&1
    st=$?
    if [ "$st" -ne 2 ] || [ "$(wc -l < "$2.log")" -ne 1 ]; then
        cat "$2.log"; ci_bad "$1's check given --bogus ended with status $st (expected 2, one line)"
    fi
    "$2" >/dev/full 2>"$2.log"
    st=$?
    if [ "$st" -ne 1 ] || ! grep -q "cannot write to stdout: no space left on device" "$2.log"; then
        cat "$2.log"; ci_bad "$1's check with stdout on a full disk ended with status $st (expected 1)"
    fi
}

cmd_ci() {
    total=0 wrongs=0
    for d in $(all_dirs); do
        total=$((total + 1))
        name=$(basename "$d")
        echo "$name:"
        if git rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
           git cat-file -e "HEAD:$d/exercise.c" 2>/dev/null &&
           ! git show "HEAD:$d/exercise.c" | cmp -s - "$d/start/exercise.c"; then
            ci_bad "$d/exercise.c (as committed) differs from $d/start/exercise.c"
        fi
        if ! [ -f "$d/hints.md" ] || [ "$(grep -c '^## Hint' "$d/hints.md")" -lt 2 ]; then
            ci_bad "$d/hints.md needs at least two hints"
        fi
        ci_expect_fail "$d" "$d/start/exercise.c" "the starting file" "" start
        for w in "$d"/wrong/*.c; do
            [ -f "$w" ] || continue
            wrongs=$((wrongs + 1))
            expect=$(sed -n 's/^ \* expect: //p' "$w" | head -n 1)
            [ -n "$expect" ] || ci_bad "$w has no ' * expect: ' line"
            ci_expect_fail "$d" "$w" "wrong/$(basename "$w")" "$expect" "wrong-$(basename "$w" .c)"
        done
        sol="exercises/solutions/$name.c"
        out="$EX_BUILD/ci/$name/solution"
        if ! build "$d" "$sol" "$out" 2>"$out.log"; then
            cat "$out.log"; ci_bad "$sol does not build"
        elif run "$(num_of "$d")" "$out" >"$out.log" 2>&1; then
            echo "  ok: the solution passes"
            ci_check_speaks_as_a_program "$d" "$out"
        else
            cat "$out.log"; ci_bad "$sol FAILS its check"
        fi
    done
    if [ "$ci_fail" -eq 0 ]; then
        echo "exercises: $total exercises: starting files fail, solutions pass, $wrongs wrong answers caught"
    else
        echo "exercises: some failed (the FAILED lines above)"
    fi
    return "$ci_fail"
}

cmd=${1:-list}
[ $# -gt 0 ] && shift
case "$cmd" in
    list)  cmd_list ;;
    check) d=$(dir_of check-exercise "${1:-}") || exit 2; check_one "$d" ;;
    hint)  cmd_hint "${1:-}" ;;
    reset) cmd_reset "${1:-}" ;;
    watch) cmd_watch ;;
    ci)    cmd_ci ;;
    *)     echo "ex.sh: unknown command '$cmd'" >&2; exit 2 ;;
esac
