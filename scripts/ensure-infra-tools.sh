#!/usr/bin/env bash
# Make sure the tools the infra/ tests check the production files with are here:
# nginx (`nginx -t` on infra/nginx/small-steps.conf, and a live proxy test) and
# systemd-analyze (`verify` on the units). Installs them with apt-get only when
# missing; never starts or enables anything (policy-rc.d forbids service starts).
set -euo pipefail

NAME=ensure-infra-tools
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
if [ ${#missing[@]} -eq 0 ]; then
    say "nginx and systemd-analyze are here"
    exit 0
fi
say "${missing[*]} missing; no services will be started"
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod +x "$policy"
    made_policy=1
fi
trap '[ "$made_policy" -eq 1 ] && as_root rm -f "$policy"' EXIT
apt_install --no-install-recommends "${missing[@]}"
