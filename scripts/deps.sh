# scripts/deps.sh: sourced by scripts/install-deps and scripts/doctor (POSIX sh).
# Which package manager this machine has, found by the command that exists
# (not by the system's name), what the workbook's needs are called there, and
# the command that installs them.

# The first of these that exists. Homebrew comes last: on a Linux machine that
# has it beside the system's manager, the system's libraries are the ones the
# compiler and pkg-config find by default.
DEPS_MANAGERS="apt-get dnf apk pacman brew"

deps_manager() {
    for _dp_m in $DEPS_MANAGERS; do
        if command -v "$_dp_m" >/dev/null 2>&1; then
            echo "$_dp_m"
            return 0
        fi
    done
    return 1
}

# deps_package MANAGER NEED: the package that provides NEED (cc, make,
# pkg-config, libuv, libcurl or cmocka) there; empty if the manager does not
# provide it (the compiler and make on macOS come from Apple).
deps_package() {
    case "$1:$2" in
        apt-get:cc) echo gcc ;;         apt-get:make) echo make ;;
        apt-get:pkg-config) echo pkg-config ;;
        apt-get:libuv) echo libuv1-dev ;;
        apt-get:libcurl) echo libcurl4-openssl-dev ;;
        apt-get:cmocka) echo libcmocka-dev ;;
        dnf:cc) echo gcc ;;             dnf:make) echo make ;;
        dnf:pkg-config) echo pkgconf-pkg-config ;;
        dnf:libuv) echo libuv-devel ;;
        dnf:libcurl) echo libcurl-devel ;;
        dnf:cmocka) echo libcmocka-devel ;;
        apk:cc|apk:make) echo build-base ;;
        apk:pkg-config) echo pkgconf ;;
        apk:libuv) echo libuv-dev ;;
        apk:libcurl) echo curl-dev ;;
        apk:cmocka) echo cmocka-dev ;;
        pacman:cc) echo gcc ;;          pacman:make) echo make ;;
        pacman:pkg-config) echo pkgconf ;;
        pacman:libuv) echo libuv ;;
        pacman:libcurl) echo curl ;;
        pacman:cmocka) echo cmocka ;;
        brew:pkg-config) echo pkg-config ;;
        brew:libuv) echo libuv ;;
        brew:libcurl) echo curl ;;
        brew:cmocka) echo cmocka ;;
    esac
}

# deps_packages MANAGER NEED...: the packages for those needs, each once
# (variables are global in sh: these functions' own start with _dp_).
deps_packages() {
    _dp_m=$1; shift
    _dp_list=""
    for _dp_need in "$@"; do
        _dp_p=$(deps_package "$_dp_m" "$_dp_need")
        case " $_dp_list " in
            *" $_dp_p "*) ;;
            *) [ -n "$_dp_p" ] && _dp_list="${_dp_list:+$_dp_list }$_dp_p" ;;
        esac
    done
    echo "$_dp_list"
}

# What install-deps installs: the libraries and pkg-config (and Alpine's
# compiler, which a fresh Alpine lacks).
deps_base_packages() {
    case "$1" in
        apk) deps_packages "$1" libuv libcurl cmocka pkg-config cc ;;
        *)   deps_packages "$1" libuv libcurl cmocka pkg-config ;;
    esac
}

# deps_command MANAGER PACKAGES: the install command, as root would type it.
deps_command() {
    case "$1" in
        apt-get) echo "apt-get update && apt-get install -y $2" ;;
        dnf)     echo "dnf install -y $2" ;;
        apk)     echo "apk add $2" ;;
        pacman)  echo "pacman -S --needed --noconfirm $2" ;;
        brew)    echo "brew install $2" ;;
    esac
}

# deps_user_command MANAGER PACKAGES: the same as this user types it: with
# sudo unless root; Homebrew never with sudo.
deps_user_command() {
    if [ "$1" = brew ] || [ "$(id -u)" = 0 ]; then
        deps_command "$1" "$2"
    elif [ "$1" = apt-get ]; then
        echo "sudo apt-get update && sudo apt-get install -y $2"
    else
        echo "sudo $(deps_command "$1" "$2")"
    fi
}

deps_none_message() {
    # shellcheck disable=SC2086
    set -- $DEPS_MANAGERS
    _dp_list=$1; shift
    for _dp_m in "$@"; do _dp_list="$_dp_list, $_dp_m"; done
    echo "found none of the package managers the workbook knows ($_dp_list);"
    echo "install with yours: a C compiler, make, pkg-config, and the development files of libuv, libcurl and cmocka"
}

# musl libc (Alpine) has no getcontext/makecontext/swapcontext: only the
# hand-written switch (x86-64, AArch64) builds there (common/core/context.h
# stops a ucontext build on musl with an #error saying so).
deps_is_musl() {
    if command -v ldd >/dev/null 2>&1; then
        ldd --version 2>&1 | grep -qi musl
        return
    fi
    # no ldd: not glibc (which answers getconf) and musl's loader is there
    ! getconf GNU_LIBC_VERSION >/dev/null 2>&1 && ls /lib/ld-musl-* >/dev/null 2>&1
}

deps_cpu() {
    uname -m 2>/dev/null
}

deps_has_switch() {     # a hand-written context switch for this CPU?
    case "$1" in x86_64|amd64|aarch64|arm64) return 0 ;; *) return 1 ;; esac
}

# One paragraph on musl for this CPU; returns 1 where the build cannot work.
deps_musl_note() {
    _dp_cpu=$(deps_cpu)
    if deps_has_switch "$_dp_cpu"; then
        echo "musl libc ($_dp_cpu): the hand-written $_dp_cpu context switch is used, and it needs"
        echo "nothing from the C library; make CONTEXT=ucontext does not build here (musl has no swapcontext)."
        return 0
    fi
    echo "musl libc on $_dp_cpu: NOT SUPPORTED as it is. This CPU has no hand-written context switch,"
    echo "so the workbook needs ucontext (swapcontext), which musl does not have: the build stops with"
    echo "an error. Use a glibc Linux (Debian, Ubuntu, Fedora, Arch) or an x86-64 or AArch64 machine"
    echo "(or, untested: libucontext, as common/core/context.h's error says)."
    return 1
}
