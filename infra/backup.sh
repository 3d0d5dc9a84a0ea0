#!/usr/bin/env bash
# Back up the Small Steps database: one pg_dump custom-format archive, timestamped.
#
#   PGHOST=127.0.0.1 PGUSER=small_steps_owner infra/backup.sh /var/backups/small-steps
#
# Connects as psql does (PGHOST, PGPORT, PGUSER, PGPASSWORD or ~/.pgpass) with a role
# that can read every table: the owner role or a superuser. SS_DB names the database
# (default small_steps). Prints the archive's path on stdout, and nothing else there.
#
# The dump is one consistent snapshot (events, views and the views' position agree)
# and does not block the skill: event writes take EXCLUSIVE locks, which do not
# conflict with the dump's ACCESS SHARE locks.
#
# The identity key is NOT in the dump. Without it, a restored history cannot be
# matched to the people who speak to the skill. Back it up too (separately from the
# dumps); this script writes the key's SHA-256 next to the archive so that a restore
# can tell whether it has the right key (SMALL_STEPS_IDENTITY_KEY_FILE, default
# /etc/small-steps/identity.key, if this user can read it).
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 BACKUP_DIRECTORY" >&2
    exit 2
fi
directory=$1
db=${SS_DB:-small_steps}
key_file=${SMALL_STEPS_IDENTITY_KEY_FILE:-/etc/small-steps/identity.key}

umask 077
mkdir -p "$directory"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
archive="$directory/$db-$stamp.dump"
partial="$archive.partial"
trap 'rm -f "$partial"' EXIT

pg_dump --format=custom --compress=6 --dbname="$db" --file="$partial"
pg_restore --list "$partial" >/dev/null  # readable, or fail here rather than at restore
mv "$partial" "$archive"

if [[ -r $key_file ]]; then
    # Same bytes the app uses (it strips surrounding whitespace).
    fingerprint=$(tr -d '[:space:]' <"$key_file" | sha256sum | cut -d' ' -f1)
    echo "$fingerprint" >"$archive.key-sha256"
    key_note="its SHA-256 is $fingerprint (saved in $archive.key-sha256)"
else
    key_note="this user cannot read $key_file to note its fingerprint"
fi
cat >&2 <<EOF
backup.sh: wrote $archive ($(du -h "$archive" | cut -f1))
backup.sh: REMEMBER the identity key is not in the dump, and the dump is of little use
           without it: keep a copy of $key_file (or of SMALL_STEPS_IDENTITY_KEY in the
           env file) wherever the dumps are kept, but not in the same place;
           $key_note.
EOF
echo "$archive"
