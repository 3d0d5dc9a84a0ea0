# Shared by the ensure-* scripts: source it after setting NAME.
#   say MESSAGE          a progress line, prefixed with the script's name
#   as_root CMD ...      run CMD as root (directly, or through sudo)
#   apt_install PKG ...  apt-get install, non-interactive; extra apt-get options may
#                        come first (e.g. --no-install-recommends)

say() { echo "$NAME: $*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        say "need root (or sudo) to run: $*" >&2
        exit 1
    fi
}

apt_install() {
    say "installing $* with apt-get"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}
