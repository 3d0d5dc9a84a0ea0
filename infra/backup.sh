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
# dumps). This script copies the key's fingerprint next to the archive, so that a
# restore can tell whether it has the right key: from SS_KEY_FINGERPRINT (default
# BACKUP_DIRECTORY/identity.key.sha256, written once at install by
# `small-steps key-fingerprint`; this user reads it, and may not read the key).
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 BACKUP_DIRECTORY" >&2
    exit 2
fi
directory=$1
db=${SS_DB:-small_steps}
fingerprint_file=${SS_KEY_FINGERPRINT:-$directory/identity.key.sha256}

umask 077
mkdir -p "$directory"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
archive="$directory/$db-$stamp.dump"
partial="$archive.partial"
trap 'rm -f "$partial"' EXIT

pg_dump --format=custom --compress=6 --dbname="$db" --file="$partial"
pg_restore --list "$partial" >/dev/null  # readable, or fail here rather than at restore
mv "$partial" "$archive"

if [[ -r $fingerprint_file ]] && fingerprint=$(tr -d '[:space:]' <"$fingerprint_file") \
        && [[ $fingerprint =~ ^[0-9a-f]{64}$ ]]; then
    echo "$fingerprint" >"$archive.key-sha256"
    key_note="its fingerprint is $fingerprint (saved in $archive.key-sha256)"
else
    echo "backup.sh: WARNING: no key fingerprint in $fingerprint_file (see the runbook," \
         "Backups); the dump is written, but a restore cannot check its key" >&2
    key_note="no fingerprint was saved: write $fingerprint_file as the runbook says"
fi
cat >&2 <<EOF
backup.sh: wrote $archive ($(du -h "$archive" | cut -f1))
backup.sh: REMEMBER the identity key is not in the dump, and the dump is of little use
           without it: keep a copy of the identity key (or of SMALL_STEPS_IDENTITY_KEY
           in the env file) wherever the dumps are kept, but not in the same place;
           $key_note.
EOF
echo "$archive"
