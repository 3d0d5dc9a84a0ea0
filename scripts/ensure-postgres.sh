#!/usr/bin/env bash
# Make sure a PostgreSQL server answers at 127.0.0.1:5432 (trust auth for role
# postgres) and that the test database small_steps_test exists. Idempotent.
#
# The tests read their URL from SMALL_STEPS_TEST_PG, default:
#   postgresql://postgres@127.0.0.1:5432/small_steps_test
# This script always prepares that default server and database.
set -euo pipefail

HOST=127.0.0.1
PORT=5432
DB=small_steps_test
say() { echo "ensure-postgres: $*"; }

pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n1; }

ready() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$HOST" -p "$PORT"; }

start_cluster() {
    local ver="$1"
    say "starting cluster $ver/main"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start || {
        # "already running" is fine; anything else shows up at the wait below.
        say "pg_ctlcluster start returned non-zero (maybe already running)"
    }
}

if ready; then
    say "server already answering at $HOST:$PORT"
else
    ver="$(pg_version)"
    if [ -n "$ver" ] && [ -d "/etc/postgresql/$ver/main" ]; then
        say "found installed cluster $ver/main"
        start_cluster "$ver"
    else
        if [ "$(id -u)" -ne 0 ]; then
            say "PostgreSQL is not installed and I am not root."
            say "Install postgresql + postgresql-client, or run this script as root." >&2
            exit 1
        fi
        say "installing PostgreSQL with apt-get"
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-client
        ver="$(pg_version)"
        if [ -z "$ver" ] || [ ! -d "/etc/postgresql/$ver/main" ]; then
            # Some minimal images skip cluster creation; make one.
            ver="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
            say "creating cluster $ver/main"
            pg_createcluster "$ver" main
        fi
        conf_dir="/etc/postgresql/$ver/main"
        say "configuring trust auth and localhost:$PORT in $conf_dir"
        hba="$conf_dir/pg_hba.conf"
        if ! grep -q '^# small-steps: trust' "$hba"; then
            tmp="$(mktemp)"
            {
                echo "# small-steps: trust local connections (test machine)"
                echo "local all all trust"
                echo "host all all 127.0.0.1/32 trust"
                echo "host all all ::1/128 trust"
                cat "$hba"
            } > "$tmp"
            cat "$tmp" > "$hba"
            rm -f "$tmp"
        fi
        conf="$conf_dir/postgresql.conf"
        sed -i -E "s/^#?[[:space:]]*listen_addresses[[:space:]]*=.*/listen_addresses = 'localhost'/" "$conf"
        sed -i -E "s/^#?[[:space:]]*port[[:space:]]*=[[:space:]]*[0-9]+/port = $PORT/" "$conf"
        grep -q "^listen_addresses" "$conf" || echo "listen_addresses = 'localhost'" >> "$conf"
        grep -q "^port" "$conf" || echo "port = $PORT" >> "$conf"
        # The package may have started the cluster already: restart so the
        # new auth/listen settings take effect.
        if pg_ctlcluster --skip-systemctl-redirect "$ver" main status >/dev/null 2>&1; then
            say "restarting cluster $ver/main"
            pg_ctlcluster --skip-systemctl-redirect "$ver" main restart
        else
            start_cluster "$ver"
        fi
    fi
fi

say "waiting for server at $HOST:$PORT"
for _ in $(seq 1 30); do
    ready && break
    sleep 1
done
if ! ready; then
    say "server did not answer at $HOST:$PORT within 30 s" >&2
    exit 1
fi

exists="$(psql -h "$HOST" -p "$PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='$DB'")"
if [ "$exists" = "1" ]; then
    say "database $DB exists"
else
    say "creating database $DB"
    psql -h "$HOST" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $DB"
fi
say "ready: postgresql://postgres@$HOST:$PORT/$DB"
