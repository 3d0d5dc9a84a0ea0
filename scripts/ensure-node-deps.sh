#!/usr/bin/env bash
# Make sure Node.js and npm are installed and tests/e2e/node_modules matches
# tests/e2e/package-lock.json (virtual-alexa, used by the end-to-end tests).
# Idempotent: installs Node with apt-get only when `node` (or `npm`) is missing,
# and runs `npm ci` only when node_modules is missing or older than the lock file.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/tests/e2e"
NAME=ensure-node-deps
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

# Debian's nodejs package has no npm; NodeSource's has it built in. So install
# npm on its own only when node is there and npm is not.
if ! command -v node >/dev/null 2>&1; then
    if command -v npm >/dev/null 2>&1; then apt_install nodejs; else apt_install nodejs npm; fi
elif ! command -v npm >/dev/null 2>&1; then
    apt_install npm
fi
command -v node >/dev/null 2>&1 || { say "node still missing after apt-get" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { say "npm still missing after apt-get" >&2; exit 1; }

# Two test runs starting at once must not run npm ci over each other.
if command -v flock >/dev/null 2>&1; then
    exec 9>"${TMPDIR:-/tmp}/small-steps-ensure-node-deps.lock"
    flock 9
fi

stamp="$E2E/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$E2E/package-lock.json" -nt "$stamp" ]; then
    say "npm ci in tests/e2e (node $(node --version), npm $(npm --version 2>/dev/null))"
    # No install scripts are needed (plain JavaScript packages only).
    (cd "$E2E" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
else
    say "tests/e2e/node_modules is up to date (node $(node --version))"
fi
