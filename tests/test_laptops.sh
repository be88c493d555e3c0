#!/bin/sh
# test_laptops.sh: what learners' laptops need from the scripts and make
# targets. scripts/install-deps and scripts/doctor run with a PATH that holds
# only a few basic tools and fakes (each package manager, sudo, pkg-config
# reporting every library missing, id, uname, ldd), and must print and run the
# right command for that manager; build/tools/timeout must stop a command and
# its children and pass statuses through, build/tools/peak-rss measure a
# command's peak memory; compile_commands.json must give
# clangd every header; make play must build a learner's file.
# Prints cmocka's lines ("[  PASSED  ] N test(s).") so tests/run counts them.
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
# A make started by this suite must not take the outer make's jobserver or
# variables (make asan, CONTEXT=ucontext): it builds the default variant.
unset MAKEFLAGS MFLAGS MAKELEVEL GNUMAKEFLAGS SAN BUILD BIN BUILD_TAG CONTEXT
# What the fakes read (a test sets them; each test runs in a subshell of its own)
unset EXTRA_PKGS FAKE_UID FAKE_CPU FAKE_LIBC
export EXTRA_PKGS FAKE_UID FAKE_CPU FAKE_LIBC
TMP=$(mktemp -d "${TMPDIR:-/tmp}/test_laptops.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
TIMEOUT_TOOL=$ROOT/build/tools/timeout

passed=0 failed=0 skipped=0 ran=0 failed_names="" skipped_names=""

# run NAME: runs the function NAME in a subshell; 0 passes, 77 skips
# (after printing why), anything else fails (after printing why).
run() {
    echo "[ RUN      ] $1"
    ran=$((ran + 1))
    ( "$1" )
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "[       OK ] $1"; passed=$((passed + 1))
    elif [ $rc -eq 77 ]; then
        echo "[  SKIPPED ] $1"; skipped=$((skipped + 1)); skipped_names="$skipped_names $1"
    else
        echo "[  FAILED  ] $1"; failed=$((failed + 1)); failed_names="$failed_names $1"
    fi
}

say() { printf '    %s\n' "$*"; }
show() { printf '%s\n' "$1" | sed 's/^/      | /'; }
# has TEXT NEEDLE / hasnt TEXT NEEDLE: a fixed string in TEXT, or not
has() {
    case $1 in *"$2"*) return 0 ;; esac
    say "expected to find: $2"; say "in:"; show "$1"; return 1
}
hasnt() {
    case $1 in *"$2"*) say "expected NOT to find: $2"; say "in:"; show "$1"; return 1 ;; esac
    return 0
}
status_is() {   # status_is WANT GOT WHAT
    [ "$2" -eq "$1" ] && return 0
    say "$3 exited $2, expected $1"; return 1
}

# ------------------------------------------------------------------ fakes
stub() { printf '#!/bin/sh\n%s\n' "$2" > "$1" && chmod +x "$1"; }
tool_path() {   # the file NAME in $PATH (command -v names a builtin as itself)
    IFS=:
    for d in $PATH; do
        if [ -x "$d/$1" ]; then unset IFS; echo "$d/$1"; return 0; fi
    done
    unset IFS
    return 1
}

# fakes DIR WORD...: DIR becomes a PATH with only basic tools and fakes.
# Each WORD is a package manager to fake (apt-get, dnf, apk, pacman, brew),
# or +sudo (a sudo that runs its command), -cc (no compiler nor make),
# -pkg-config (no pkg-config). Every fake writes its command line to $FAKE_LOG.
# id -u says $FAKE_UID (default 1000), uname -m $FAKE_CPU (default x86_64),
# ldd --version $FAKE_LIBC (default glibc's first line).
fakes() {
    dir=$1; shift
    mkdir -p "$dir" || return 1
    for tool in sh cat head grep dirname ls true; do
        ln -s "$(tool_path "$tool")" "$dir/$tool" || return 1
    done
    cc=yes pc=yes
    for w in "$@"; do
        case $w in
            +sudo) stub "$dir/sudo" 'echo "sudo $*" >> "$FAKE_LOG"; [ "$1" = -n ] && shift; exec "$@"' ;;
            -cc) cc=no ;;
            -pkg-config) pc=no ;;
            *) stub "$dir/$w" "echo \"$w \$*\" >> \"\$FAKE_LOG\"" ;;
        esac
    done
    stub "$dir/id" '[ "$1" = -u ] && echo "${FAKE_UID:-1000}"'
    stub "$dir/uname" 'echo "${FAKE_CPU:-x86_64}"'
    stub "$dir/ldd" 'echo "${FAKE_LIBC:-ldd (Debian GLIBC 2.36-9) 2.36}" >&2'
    if [ $pc = yes ]; then
        stub "$dir/pkg-config" 'case $1 in --version) echo 1.9.5 ;; *) exit 1 ;; esac'
    fi
    if [ $cc = yes ]; then
        stub "$dir/cc" 'echo "cc (fake) 1.0"'
        stub "$dir/make" 'echo "GNU Make 4.4 (fake)"'
    fi
}

# with_fakes WORD... -- SCRIPT [ARG...]: runs scripts/SCRIPT on such a PATH, stdin not
# a terminal; sets $out (stdout and stderr), $rc and $log (the fakes' calls).
with_fakes() {
    words=""
    while [ "$1" != -- ]; do words="$words $1"; shift; done
    shift
    d=$(mktemp -d "$TMP/fake.XXXXXX") || return 1
    # shellcheck disable=SC2086
    fakes "$d" $words || return 1
    FAKE_LOG=$d.log
    : > "$FAKE_LOG"
    script=$1; shift
    out=$(PATH=$d FAKE_LOG=$FAKE_LOG "$ROOT/scripts/$script" "$@" < /dev/null 2>&1)
    rc=$?
    log=$(cat "$FAKE_LOG")
}

# ---------------------------------------------- each manager's command
APT_PKGS="libuv1-dev libcurl4-openssl-dev libcmocka-dev pkg-config"
DNF_PKGS="libuv-devel libcurl-devel libcmocka-devel pkgconf-pkg-config"
APK_PKGS="libuv-dev curl-dev cmocka-dev pkgconf build-base"
PACMAN_PKGS="libuv curl cmocka pkgconf"
BREW_PKGS="libuv curl cmocka pkg-config"

install_as_root() {     # install_as_root MANAGER PRINTED LOGGED
    FAKE_UID=0; with_fakes "$1" +sudo -- install-deps
    status_is 0 $rc "install-deps" &&
        has "$out" "install-deps: $2" &&
        has "$log" "$3" &&
        hasnt "$log" "sudo"
}
install_deps_apt_as_root() {
    install_as_root apt-get "apt-get update && apt-get install -y $APT_PKGS" \
        "apt-get install -y -qq $APT_PKGS" && has "$log" "apt-get update -qq"
}
install_deps_dnf_as_root() {
    install_as_root dnf "dnf install -y $DNF_PKGS" "dnf install -y $DNF_PKGS"
}
install_deps_apk_as_root() {
    install_as_root apk "apk add $APK_PKGS" "apk add $APK_PKGS"
}
install_deps_pacman_as_root() {
    install_as_root pacman "pacman -S --needed --noconfirm $PACMAN_PKGS" \
        "pacman -S --needed --noconfirm $PACMAN_PKGS"
}
install_deps_brew_as_user_never_with_sudo() {
    FAKE_UID=501; with_fakes brew +sudo -- install-deps
    status_is 0 $rc "install-deps" &&
        has "$out" "install-deps: brew install $BREW_PKGS" &&
        has "$log" "brew install $BREW_PKGS" &&
        hasnt "$log" "sudo"
}
install_deps_brew_refuses_root() {
    FAKE_UID=0; with_fakes brew -- install-deps
    status_is 1 $rc "install-deps" &&
        has "$out" "as yourself, run:  brew install $BREW_PKGS" &&
        hasnt "$log" "brew"
}

through_sudo() {        # through_sudo MANAGER LOGGED
    FAKE_UID=1000; with_fakes "$1" +sudo -- install-deps
    status_is 0 $rc "install-deps" && has "$log" "sudo -n true" && has "$log" "sudo $2" && has "$log" "$2"
}
install_deps_apt_through_sudo() { through_sudo apt-get "apt-get install -y -qq $APT_PKGS"; }
install_deps_dnf_through_sudo() { through_sudo dnf "dnf install -y $DNF_PKGS"; }
install_deps_apk_through_sudo() { through_sudo apk "apk add $APK_PKGS"; }
install_deps_pacman_through_sudo() { through_sudo pacman "pacman -S --needed --noconfirm $PACMAN_PKGS"; }

without_sudo() {        # without_sudo MANAGER PRINTED
    FAKE_UID=1000; with_fakes "$1" -- install-deps
    status_is 1 $rc "install-deps" && has "$out" "please run:  $2" && hasnt "$log" "$1"
}
install_deps_apt_prints_without_sudo() {
    without_sudo apt-get "sudo apt-get update && sudo apt-get install -y $APT_PKGS"
}
install_deps_dnf_prints_without_sudo() { without_sudo dnf "sudo dnf install -y $DNF_PKGS"; }
install_deps_apk_prints_without_sudo() { without_sudo apk "sudo apk add $APK_PKGS"; }
install_deps_pacman_prints_without_sudo() {
    without_sudo pacman "sudo pacman -S --needed --noconfirm $PACMAN_PKGS"
}

doctor_says() {         # doctor_says MANAGER PRINTED [FAKE WORDS...]
    m=$1 want=$2; shift 2
    FAKE_UID=1000; with_fakes "$m" "$@" -- doctor
    status_is 1 $rc "doctor" && has "$out" "MISSING  " && has "$out" "to fix, run:
  $want" && hasnt "$log" "$m"
}
doctor_apt() { doctor_says apt-get "sudo apt-get update && sudo apt-get install -y libuv1-dev libcurl4-openssl-dev libcmocka-dev"; }
doctor_dnf() { doctor_says dnf "sudo dnf install -y libuv-devel libcurl-devel libcmocka-devel"; }
doctor_apk() { doctor_says apk "sudo apk add libuv-dev curl-dev cmocka-dev"; }
doctor_pacman() { doctor_says pacman "sudo pacman -S --needed --noconfirm libuv curl cmocka"; }
doctor_brew() { doctor_says brew "brew install libuv curl cmocka" && hasnt "$out" "sudo"; }
doctor_apk_without_compiler_nor_pkg_config() {
    doctor_says apk "sudo apk add build-base pkgconf libuv-dev curl-dev cmocka-dev" -cc -pkg-config &&
        has "$out" "MISSING  C compiler"
}
doctor_brew_without_compiler() {
    doctor_says brew "brew install libuv curl cmocka" -cc &&
        has "$out" "xcode-select --install" && has "$out" "PKG_CONFIG_PATH"
}
doctor_as_root_needs_no_sudo() {
    FAKE_UID=0; with_fakes dnf -- doctor
    status_is 1 $rc "doctor" && has "$out" "
  dnf install -y libuv-devel libcurl-devel libcmocka-devel" && hasnt "$out" "sudo"
}

the_system_manager_before_homebrew() {
    FAKE_UID=0; with_fakes brew dnf -- install-deps
    status_is 0 $rc "install-deps" && has "$log" "dnf install -y $DNF_PKGS" && hasnt "$log" "brew"
}

no_known_manager() {
    FAKE_UID=0; with_fakes -- install-deps
    status_is 1 $rc "install-deps" &&
        has "$out" "found none of the package managers the workbook knows (apt-get, dnf, apk, pacman, brew)" &&
        has "$out" "a C compiler, make, pkg-config, and the development files of libuv, libcurl and cmocka" || return 1
    with_fakes -- doctor
    status_is 1 $rc "doctor" && has "$out" "found none of the package managers"
}

extra_pkgs_go_to_apt_only() {
    EXTRA_PKGS="wrk nginx-light" FAKE_UID=0; with_fakes apt-get -- install-deps
    status_is 0 $rc "install-deps" && has "$log" "apt-get install -y -qq $APT_PKGS wrk nginx-light" || return 1
    EXTRA_PKGS="wrk nginx-light" FAKE_UID=0; with_fakes dnf -- install-deps
    status_is 0 $rc "install-deps" && has "$log" "dnf install -y $DNF_PKGS" && hasnt "$log" "wrk" &&
        has "$out" "EXTRA_PKGS names Debian packages (wrk nginx-light)"
}

musl_on_x86_64_builds_with_the_hand_written_switch() {
    FAKE_LIBC="musl libc (x86_64)" FAKE_CPU=x86_64 FAKE_UID=0; with_fakes apk -- install-deps
    status_is 0 $rc "install-deps" && has "$out" "musl libc (x86_64): the hand-written x86_64 context switch is used" &&
        has "$log" "apk add $APK_PKGS" || return 1
    FAKE_LIBC="musl libc (aarch64)" FAKE_CPU=aarch64; with_fakes apk -- doctor
    has "$out" "ok       context switch: hand-written for aarch64 (musl libc" && hasnt "$out" "NOT SUPPORTED"
}
musl_on_other_cpus_is_not_supported() {
    FAKE_LIBC="musl libc (riscv64)" FAKE_CPU=riscv64 FAKE_UID=0; with_fakes apk -- install-deps
    has "$out" "musl libc on riscv64: NOT SUPPORTED as it is" && has "$out" "which musl does not have" || return 1
    FAKE_LIBC="musl libc (riscv64)" FAKE_CPU=riscv64; with_fakes apk -- doctor
    status_is 1 $rc "doctor" && has "$out" "NO       context switch: musl libc on riscv64" &&
        has "$out" "the build stops with"
}
glibc_on_other_cpus_uses_ucontext() {
    FAKE_CPU=riscv64; with_fakes apt-get -- doctor
    has "$out" "ok       context switch: ucontext (riscv64 has no hand-written one)" && hasnt "$out" "NOT SUPPORTED"
}

scripts_are_posix_sh() {
    for s in install-deps doctor deps.sh compile-commands; do
        if command -v dash >/dev/null 2>&1; then
            dash -n "scripts/$s" || { say "dash cannot parse scripts/$s"; return 1; }
        fi
    done
    if ! command -v shellcheck >/dev/null 2>&1; then
        say "skipped: no shellcheck here (dash parsed the scripts)"; return 77
    fi
    shellcheck -x -s sh scripts/install-deps scripts/doctor scripts/deps.sh scripts/compile-commands &&
        shellcheck -s sh -S warning tests/test_laptops.sh
}

# The scripts a learner runs take no arguments: --help on stdout with status
# 0, anything else refused in one line with status 2, as the programs do.
# install-deps used to install the packages on `--help` (and doctor and the
# tour ran on `--bogus`).
scripts_answer_help_and_refuse_a_flag() {
    for s in install-deps doctor; do
        FAKE_UID=0; with_fakes apt-get +sudo -- $s --help
        status_is 0 $rc "$s --help" && has "$out" "usage: scripts/$s" &&
            hasnt "$out" "apt-get update" && [ -z "$log" ] || { say "log: $log"; return 1; }
        FAKE_UID=0; with_fakes apt-get +sudo -- $s --bogus
        status_is 2 $rc "$s --bogus" && has "$out" "$s: unknown flag '--bogus'" &&
            [ -z "$log" ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || { show "$out"; return 1; }
    done
    out=$(scripts/tour --bogus 2>&1)
    status_is 2 $? "tour --bogus" && has "$out" "tour: unknown flag '--bogus'" &&
        hasnt "$out" "== ./step1" || return 1
    out=$(scripts/tour --help 2>/dev/null)
    status_is 0 $? "tour --help" && has "$out" "usage: scripts/tour" || return 1
    [ -x "$ROOT/build/tools/peak-rss" ] || make -s build/tools/peak-rss >/dev/null || return 1
    for tool in timeout peak-rss; do
        out=$("$ROOT/build/tools/$tool" --help 2>/dev/null)
        status_is 0 $? "$tool --help" && has "$out" "usage: $tool" || return 1
    done
}

# --------------------------------------------------------------- timeout
alive() {       # alive PID: running (a zombie nobody reaped does not count)
    kill -0 "$1" 2>/dev/null || return 1
    st=$(ps -o stat= -p "$1" 2>/dev/null)
    case $st in Z*|"") return 1 ;; esac
    return 0
}
timeout_stops_a_command_and_its_children() {
    start=$(date +%s)
    err=$("$TIMEOUT_TOOL" 1 sh -c "sleep 60 & echo \$! > $TMP/pids; sleep 60 & echo \$! >> $TMP/pids; wait" 2>&1)
    rc=$? took=$(($(date +%s) - start))
    status_is 124 $rc "timeout 1 sh" && has "$err" "did not finish within 1 s; stopped it" || return 1
    [ $took -le 10 ] || { say "took $took s"; return 1; }
    sleep 0.2
    [ -s "$TMP/pids" ] || { say "no child pids written"; return 1; }
    left=""
    for p in $(cat "$TMP/pids"); do
        if alive "$p"; then left="$left $p"; fi
    done
    [ -z "$left" ] && return 0
    say "children still running:$left"; kill $left; return 1
}
timeout_kills_what_ignores_the_signal_after_the_grace() {
    start=$(date +%s)
    err=$("$TIMEOUT_TOOL" -k 1 1 sh -c "trap '' TERM; sleep 60 & echo \$! > $TMP/pids2; sleep 60" 2>&1)
    rc=$? took=$(($(date +%s) - start))
    status_is 124 $rc "timeout -k 1 1 sh" && has "$err" "still running 1 s later; killed it" || return 1
    [ $took -le 10 ] || { say "took $took s"; return 1; }
    sleep 0.2
    left=""
    for p in $(cat "$TMP/pids2"); do
        if alive "$p"; then left="$left $p"; fi
    done
    [ -z "$left" ] && return 0
    say "children still running:$left"; kill -9 $left; return 1
}
timeout_passes_the_status_through() {
    "$TIMEOUT_TOOL" 30 true; status_is 0 $? "timeout 30 true" || return 1
    "$TIMEOUT_TOOL" 30 sh -c 'exit 3'; status_is 3 $? "timeout 30 sh -c 'exit 3'" || return 1
    "$TIMEOUT_TOOL" 30 sh -c 'kill -9 $$'; status_is 137 $? "a command killed by SIGKILL" || return 1
    "$TIMEOUT_TOOL" 30 ./no-such-command-here 2>/dev/null; status_is 127 $? "a missing command" || return 1
    "$TIMEOUT_TOOL" 2>/dev/null; status_is 125 $? "timeout with no arguments" || return 1
    err=$("$TIMEOUT_TOOL" 30 sh -c 'echo out; echo err >&2' 2>&1)
    has "$err" "out" && has "$err" "err" && hasnt "$err" "timeout:"
}
timeout_preserve_status_with_another_signal() {
    "$TIMEOUT_TOOL" --preserve-status -s INT 1 sh -c 'trap "exit 130" INT; sleep 30 & wait' 2>/dev/null
    status_is 130 $? "timeout --preserve-status -s INT" || return 1
}
timeout_passes_on_a_signal_it_gets() {
    "$TIMEOUT_TOOL" 60 sh -c "echo \$\$ > $TMP/pid3; exec sleep 60" &
    t=$!
    i=0; while [ ! -s "$TMP/pid3" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    kill -TERM $t
    wait $t
    status_is 143 $? "timeout after a SIGTERM" || return 1
    p=$(cat "$TMP/pid3")
    if alive "$p"; then say "the command ($p) still runs"; kill "$p"; return 1; fi
}

peak_rss_measures_a_command() {
    tool=$ROOT/build/tools/peak-rss
    [ -x "$tool" ] || make -s build/tools/peak-rss >/dev/null || return 1
    # dd touches its whole 64 MiB buffer
    err=$("$tool" dd if=/dev/zero of=/dev/null bs=67108864 count=1 2>&1)
    status_is 0 $? "peak-rss dd" || return 1
    kib=$(printf '%s\n' "$err" | sed -n 's/^rss_kib \([0-9]*\)$/\1/p')
    [ -n "$kib" ] || { say "no rss_kib line:"; show "$err"; return 1; }
    [ "$kib" -ge 65536 ] && [ "$kib" -lt 262144 ] || { say "dd's 64 MiB buffer measured as $kib KiB"; return 1; }
    err=$("$tool" true 2>&1)
    kib=$(printf '%s\n' "$err" | sed -n 's/^rss_kib \([0-9]*\)$/\1/p')
    [ -n "$kib" ] && [ "$kib" -lt 32768 ] || { say "true measured as $kib KiB"; return 1; }
    "$tool" sh -c 'exit 3' 2>/dev/null; status_is 3 $? "peak-rss sh -c 'exit 3'"
}

no_gnu_only_tools_left() {
    # GNU timeout, /usr/bin/time -f/-v: none on macOS (comments may name them)
    hits=$(grep -nE '(^|[;&|( ]|then |do )timeout +(-|[0-9])|/usr/bin/time|gtime ' \
        tests/run tests/valgrind-steps mk/*.mk scripts/install-deps scripts/doctor scripts/tour \
        bench/run .ci/run 2>/dev/null | grep -vE '^[^:]+:[0-9]+: *#')
    [ -z "$hits" ] && return 0
    say "GNU-only commands:"; show "$hits"; return 1
}

# ------------------------------------------------- compile_commands.json
compile_commands_cover_every_file() {
    out=$(CPPFLAGS=-DLAPTOPS_PROBE make -s compile_commands.json 2>&1) || { show "$out"; return 1; }
    db=$(cat compile_commands.json)
    # every .c file of the workbook's folders (not a learner's own at the top)
    for f in $(find common step*-* mistakes tests exercises bench fuzz scripts -name '*.c' | sort); do
        has "$db" "\"file\": \"$ROOT/$f\"" || return 1
    done
    # every entry built from make's own flags: the probe put in CPPFLAGS is there
    # (fuzz/ and the tools in scripts/ have their own flags)
    n=$(grep -c '"command"' compile_commands.json)
    probed=$(grep '"command"' compile_commands.json | grep -c LAPTOPS_PROBE)
    own=$(grep '"command"' compile_commands.json | grep -cE ' -c (fuzz|scripts)/')
    [ $((probed + own)) -eq "$n" ] || { say "$probed of $n entries have CPPFLAGS ($own have their own)"; return 1; }
    make -s compile_commands.json >/dev/null 2>&1
    if grep -q LAPTOPS_PROBE compile_commands.json; then say "not rewritten without the probe"; return 1; fi
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import json,sys; json.load(open("compile_commands.json"))' || { say "not valid JSON"; return 1; }
    fi
}
make_writes_compile_commands() {
    out=$(make -n 2>&1)
    has "$out" "scripts/compile-commands"
}
clangd_finds_every_header() {
    if ! command -v clangd >/dev/null 2>&1; then say "skipped: no clangd here"; return 77; fi
    make -s compile_commands.json >/dev/null 2>&1 || return 1
    for f in step1-*/step1.c tests/test_core_tasks.c exercises/01-*/exercise.c; do
        out=$(clangd --check="$f" 2>&1)
        has "$out" "compilation database from $ROOT/compile_commands.json" &&
            hasnt "$out" "file not found" || { say "(clangd --check=$f)"; return 1; }
    done
    # a learner's own file at the top (make play) is in no database: clangd
    # takes the flags of its nearest neighbour in it
    probe=play_laptops_probe.c
    printf '#include "async.h"\nint main(void) { return async_sleep(0); }\n' > "$probe"
    out=$(clangd --check="$probe" 2>&1)
    rm -f "$probe"
    hasnt "$out" "file not found" || { say "(clangd --check=$probe, a file of one's own at the top)"; return 1; }
}

# ------------------------------------------------------------- make play
make_play_builds_a_program() {
    cat > "$TMP/laptops_hello.c" <<'EOF'
#include "async.h"
#include <stdio.h>

static int main_task(void *arg)
{
    (void)arg;
    int rc = async_sleep(0.05);
    if (rc)
        return rc;
    printf("slept 0.05 s in a task\n");
    return 0;
}

int main(void)
{
    return async_run(main_task, NULL) == 0 ? 0 : 1;
}
EOF
    out=$(make -s play FILE="$TMP/laptops_hello.c" 2>&1)
    status_is 0 $? "make play" && has "$out" "run it:  ./play-laptops_hello" || { show "$out"; return 1; }
    got=$(./play-laptops_hello)
    rc=$?
    rm -f play-laptops_hello
    status_is 0 $rc "./play-laptops_hello" && has "$got" "slept 0.05 s in a task"
}
make_play_says_what_is_wrong() {
    out=$(make -s play 2>&1)
    [ $? -ne 0 ] && has "$out" "usage: make play FILE=yours.c" || return 1
    out=$(make -s play FILE="$TMP/nothing-here.c" 2>&1)
    [ $? -ne 0 ] && has "$out" "make play: $TMP/nothing-here.c does not exist"
}

for t in \
    install_deps_apt_as_root install_deps_dnf_as_root install_deps_apk_as_root \
    install_deps_pacman_as_root install_deps_brew_as_user_never_with_sudo install_deps_brew_refuses_root \
    install_deps_apt_through_sudo install_deps_dnf_through_sudo install_deps_apk_through_sudo \
    install_deps_pacman_through_sudo \
    install_deps_apt_prints_without_sudo install_deps_dnf_prints_without_sudo \
    install_deps_apk_prints_without_sudo install_deps_pacman_prints_without_sudo \
    doctor_apt doctor_dnf doctor_apk doctor_pacman doctor_brew \
    doctor_apk_without_compiler_nor_pkg_config doctor_brew_without_compiler doctor_as_root_needs_no_sudo \
    the_system_manager_before_homebrew no_known_manager extra_pkgs_go_to_apt_only \
    musl_on_x86_64_builds_with_the_hand_written_switch musl_on_other_cpus_is_not_supported \
    glibc_on_other_cpus_uses_ucontext scripts_are_posix_sh scripts_answer_help_and_refuse_a_flag \
    timeout_stops_a_command_and_its_children timeout_kills_what_ignores_the_signal_after_the_grace \
    timeout_passes_the_status_through timeout_preserve_status_with_another_signal \
    timeout_passes_on_a_signal_it_gets peak_rss_measures_a_command no_gnu_only_tools_left \
    compile_commands_cover_every_file make_writes_compile_commands clangd_finds_every_header \
    make_play_builds_a_program make_play_says_what_is_wrong
do
    run "$t"
done

echo "[==========] $ran test(s) run."
echo "[  PASSED  ] $passed test(s)."
if [ $skipped -gt 0 ]; then
    echo "[  SKIPPED ] $skipped test(s), listed below:"
    for t in $skipped_names; do echo "[  SKIPPED ] $t"; done
fi
if [ $failed -gt 0 ]; then
    echo "[  FAILED  ] $failed test(s), listed below:"
    for t in $failed_names; do echo "[  FAILED  ] $t"; done
    exit 1
fi
exit 0
