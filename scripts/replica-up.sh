#!/usr/bin/env bash
# A real PostgreSQL streaming replica of this machine's Debian cluster (15/main, port 5432),
# on 127.0.0.1:5433, for DATABASE_REPLICA_URL (README, "Several machines"). Run as root;
# idempotent. Then: scripts/replica-up.sh --check  (shows a page served from the standby and
# measures the replication lag a visitor can see; its output is scripts/replica_check.md).
#
#   scripts/replica-up.sh          build (pg_basebackup) and start the standby
#   scripts/replica-up.sh --down   stop it and remove its data directory
set -euo pipefail

VERSION=${PG_VERSION:-15}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}
BIN=/usr/lib/postgresql/$VERSION/bin
DATA=${REPLICA_DATA:-/var/lib/postgresql/$VERSION/replica-$REPLICA_PORT}
HBA=/etc/postgresql/$VERSION/main/pg_hba.conf
as_postgres() { runuser -u postgres -- "$@"; }

if [ "${1:-}" = "--down" ]; then
    as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast stop 2>/dev/null || true
    rm -rf "$DATA"
    echo "standby on port $REPLICA_PORT removed"
    exit 0
fi

if as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    echo "standby already running on 127.0.0.1:$REPLICA_PORT"
    exit 0
fi

# The primary must accept replication connections from 127.0.0.1 (trust, as its other
# local connections here). One line added, then a reload: no restart.
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$HBA"; then
    echo "host replication all 127.0.0.1/32 trust" >>"$HBA"
    psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qAtc "SELECT pg_reload_conf()" >/dev/null
fi

rm -rf "$DATA"
install -d -o postgres -g postgres -m 700 "$DATA"
# -R writes standby.signal and primary_conninfo: the copy starts as a streaming standby.
as_postgres "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DATA" \
    -X stream -R --checkpoint=fast
# Debian keeps the configuration outside the data directory: the standby gets its own.
cat >"$DATA/postgresql.conf" <<CONF
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
hba_file = '$DATA/pg_hba.conf'
hot_standby = on
max_connections = 100
shared_buffers = 128MB
CONF
cat >"$DATA/pg_hba.conf" <<CONF
local all all trust
host all all 127.0.0.1/32 trust
CONF
chown postgres:postgres "$DATA/postgresql.conf" "$DATA/pg_hba.conf"
as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$DATA/standby.log" -w start
psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -qAtc \
    "SELECT 'standby on 127.0.0.1:$REPLICA_PORT, in recovery: ' || pg_is_in_recovery()"
