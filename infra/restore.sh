#!/usr/bin/env bash
# Restore a backup.sh archive into a new (or empty) database, then check it.
#
#   PGHOST=127.0.0.1 PGUSER=postgres infra/restore.sh /var/backups/small-steps/small_steps-….dump small_steps_restored
#
# Run as a PostgreSQL superuser (PGHOST, PGPORT, PGUSER, PGPASSWORD or ~/.pgpass).
# SS_OWNER, SS_APP and SS_SCHEMA name the roles and schema as for provision.sh
# (defaults small_steps_owner, small_steps_app, small_steps).
#
# 1. Refuses a database that already holds tables: a restore never overwrites.
# 2. Runs provision.sh for the new database: database, schema and grants exactly as
#    production has them (roles that already exist keep their passwords; on a new
#    server it creates them and prints their passwords once).
# 3. pg_restore in one transaction, every object created as SS_OWNER (so the app
#    role's default privileges apply), whatever the roles were called where the
#    dump was taken.
# 4. Prints the events stored and the projection lag (0 for a backup.sh archive:
#    the dump is one snapshot, views and their position included).
#
# To serve from it, point SMALL_STEPS_STORE (app role) at the new database, run
# `small-steps reapply-erasures` as the small-steps user with the units' settings
# (people erased since the backup are in it again; the runbook shows how), and
# restart the web and projector units; the identity key must be the one the backup
# was taken with: `small-steps key-fingerprint --check ARCHIVE.key-sha256`, run by a
# user who may read the key, says whether it is.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 ARCHIVE NEW_DATABASE" >&2
    exit 2
fi
archive=$1
db=$2
owner=${SS_OWNER:-small_steps_owner}
schema=${SS_SCHEMA:-small_steps}
maintenance=${PGDATABASE:-postgres}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

[[ -r $archive ]] || { echo "restore.sh: cannot read $archive" >&2; exit 2; }
[[ $db =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || {
    echo "restore.sh: '$db' is not a plain database name ([a-z_][a-z0-9_]*)" >&2; exit 2; }

q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

if [[ -n $(q -d "$maintenance" -c "SELECT 1 FROM pg_database WHERE datname = '$db'") ]]; then
    tables=$(q -d "$db" -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n
        ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'")
    if [[ $tables != 0 ]]; then
        echo "restore.sh: database $db is not empty ($tables tables); choose a new name" >&2
        exit 1
    fi
fi

SS_DB=$db "$here/postgres/provision.sh"

# Everything in the archive but the schema itself, which provision.sh made (owned
# by SS_OWNER, with the app role's default privileges attached to it).
list=$(mktemp)
trap 'rm -f "$list"' EXIT
pg_restore --list "$archive" | grep -Ev "^[0-9]+; [0-9]+ [0-9]+ SCHEMA - $schema " >"$list"
pg_restore --dbname="$db" --use-list="$list" --no-owner --no-acl --role="$owner" \
    --single-transaction --exit-on-error "$archive"

# Tables the archive brought are the owner's; make sure the app role has them too.
SS_DB=$db "$here/postgres/provision.sh" >/dev/null

read -r events head position < <(q -F ' ' -d "$db" -c "
    SELECT (SELECT count(*) FROM \"$schema\".smallsteps_events),
           (SELECT coalesce(max(notification_id), 0) FROM \"$schema\".smallsteps_events),
           (SELECT coalesce(max(notification_id), 0) FROM \"$schema\".smallsteps_views_tracking
             WHERE application_name = 'SmallSteps')")
echo "restore.sh: restored $archive into $db"
# As /healthz reports it. Views may be past the last id: erasure can delete the newest
# events, and PostgreSQL never reuses their ids.
lag=$((head > position ? head - position : 0))
echo "events: $events (last notification id $head); views at $position; projection_lag: $lag"
if [[ -r $archive.key-sha256 ]]; then
    echo "identity key fingerprint at backup time: $(cat "$archive.key-sha256")"
    echo "check the key before serving: small-steps key-fingerprint --check $archive.key-sha256"
else
    echo "restore.sh: WARNING: no $archive.key-sha256: the identity key cannot be checked" >&2
fi
