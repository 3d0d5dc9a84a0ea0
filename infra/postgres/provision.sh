#!/usr/bin/env bash
# Set up PostgreSQL for Small Steps: two roles, a database, a schema, and the grants
# between them. Safe to run again: it only adds what is missing and re-asserts grants.
#
#   PGHOST=127.0.0.1 PGUSER=postgres infra/postgres/provision.sh
#
# Run it as a PostgreSQL superuser (PGHOST, PGPORT, PGUSER, PGPASSWORD or ~/.pgpass,
# as for psql; PGDATABASE names the database it first connects to, default postgres).
#
# What it makes (names from the environment, defaults in brackets):
#   SS_OWNER  [small_steps_owner]  owns the database, the schema and every table.
#             A LOGIN role, used only by `small-steps migrate` (the only process
#             that runs DDL) and by backups. Its URL never goes in the app's env file.
#   SS_APP    [small_steps_app]    the role the web workers and the projector log in
#             as: CONNECT on the database, USAGE on the schema, SELECT/INSERT/UPDATE/
#             DELETE on its tables, USAGE/SELECT on its sequences. It cannot create,
#             alter or drop anything, nor make temporary tables.
#   SS_DB     [small_steps]        the database (PUBLIC may not connect to it).
#   SS_SCHEMA [small_steps]        the schema, owned by SS_OWNER; PUBLIC has no rights on it.
# Default privileges make every table `small-steps migrate` creates later (as SS_OWNER)
# usable by SS_APP at once; grants on tables that already exist are re-asserted.
#
# Passwords: SS_OWNER_PASSWORD / SS_APP_PASSWORD if set (applied on every run);
# otherwise a role created by this run gets a random password, printed once below
# in a ready-made SMALL_STEPS_STORE URL. An existing role's password is left alone.
# The statements that set passwords are kept out of the server log (log_statement).
#
# SS_URL_HOST / SS_URL_PORT: host and port to print in those URLs (default PGHOST,
# or 127.0.0.1 when PGHOST is a socket directory, and PGPORT or 5432).
set -euo pipefail

owner=${SS_OWNER:-small_steps_owner}
app=${SS_APP:-small_steps_app}
db=${SS_DB:-small_steps}
schema=${SS_SCHEMA:-small_steps}
maintenance=${PGDATABASE:-postgres}

for name in "$owner" "$app" "$db" "$schema"; do
    # Plain lower-case identifiers only: no quoting surprises anywhere they are used.
    if [[ ! $name =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
        echo "provision.sh: '$name' is not a plain identifier ([a-z_][a-z0-9_]*)" >&2
        exit 2
    fi
done
if [[ $owner == "$app" ]]; then
    echo "provision.sh: the owner and the app role must be different roles" >&2
    exit 2
fi

psql_run() {
    psql -X -q -v ON_ERROR_STOP=1 -v owner="$owner" -v app="$app" -v db="$db" \
        -v schema="$schema" "$@"
}

role_exists() {
    [[ -n $(psql_run -d "$maintenance" -At -c "SELECT 1 FROM pg_roles WHERE rolname = '$1'") ]]
}

new_password() {
    od -An -N24 -tx1 /dev/urandom | tr -d ' \n'
}

sql_literal() {  # standard_conforming_strings: only quotes need doubling
    local s=${1//\'/\'\'}
    printf "'%s'" "$s"
}

urlencode() {
    local s=$1 out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case $c in
            [a-zA-Z0-9.~_-]) out+=$c ;;
            *) out+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    printf '%s' "$out"
}

# Decide the passwords: given, generated for a new role, or left as they are.
owner_password=${SS_OWNER_PASSWORD:-}
app_password=${SS_APP_PASSWORD:-}
owner_new=no app_new=no
role_exists "$owner" || owner_new=yes
role_exists "$app" || app_new=yes
[[ -z $owner_password && $owner_new == yes ]] && owner_password=$(new_password)
[[ -z $app_password && $app_new == yes ]] && app_password=$(new_password)

password_sql=""
[[ -n $owner_password ]] && password_sql+="ALTER ROLE :\"owner\" PASSWORD $(sql_literal "$owner_password");"$'\n'
[[ -n $app_password ]] && password_sql+="ALTER ROLE :\"app\" PASSWORD $(sql_literal "$app_password");"$'\n'

# 1. Roles and the database (cluster level). Passwords travel on stdin, not argv.
psql_run -d "$maintenance" <<SQL
DO \$\$ BEGIN
    PERFORM set_config('log_statement', 'none', false);
    PERFORM set_config('log_min_duration_statement', '-1', false);
EXCEPTION WHEN insufficient_privilege THEN NULL;
END \$\$;
SELECT format('CREATE ROLE %I', :'owner')
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I', :'app')
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
ALTER ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
${password_sql}
SELECT format('CREATE DATABASE %I OWNER %I TEMPLATE template0 ENCODING %L', :'db', :'owner', 'UTF8')
    WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"app";
SQL

# 2. Inside the database: the schema and what the app role may do there.
psql_run -d "$db" <<'SQL'
SET client_min_messages = warning;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA IF NOT EXISTS :"schema" AUTHORIZATION :"owner";
ALTER SCHEMA :"schema" OWNER TO :"owner";
REVOKE ALL ON SCHEMA :"schema" FROM PUBLIC;
GRANT USAGE ON SCHEMA :"schema" TO :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA :"schema" TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA :"schema" TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA :"schema"
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA :"schema"
    GRANT USAGE, SELECT ON SEQUENCES TO :"app";
SQL

host=${SS_URL_HOST:-${PGHOST:-127.0.0.1}}
[[ $host == /* ]] && host=127.0.0.1
port=${SS_URL_PORT:-${PGPORT:-5432}}
store() {  # role password
    printf 'postgresql://%s:%s@%s:%s/%s?schema=%s' "$1" "$(urlencode "$2")" "$host" "$port" \
        "$db" "$schema"
}

echo "provision.sh: database $db, schema $schema (owner $owner), app role $app: ready"
if [[ $owner_new == yes && -z ${SS_OWNER_PASSWORD:-} ]]; then
    echo "  owner password generated (shown once): for the migrate env file only:"
    echo "  SMALL_STEPS_STORE=$(store "$owner" "$owner_password")"
fi
if [[ $app_new == yes && -z ${SS_APP_PASSWORD:-} ]]; then
    echo "  app password generated (shown once): for /etc/small-steps/small-steps.env:"
    echo "  SMALL_STEPS_STORE=$(store "$app" "$app_password")"
fi
