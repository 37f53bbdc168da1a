#!/usr/bin/env bash
# Makes sure the PostgreSQL the tests use (127.0.0.1:5432, database `test`, user `postgres`, trust
# auth) is running: starts the Debian cluster if pg_isready says it is not. Safe to call twice.
set -euo pipefail
ensure_test_db() {
  psql -h 127.0.0.1 -U postgres -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 \
    || createdb -h 127.0.0.1 -U postgres test
}
if pg_isready -q -h 127.0.0.1 -p 5432; then ensure_test_db; exit 0; fi
version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
if [ -z "$version" ]; then
  echo "services.sh: no PostgreSQL cluster in /etc/postgresql (apt-get install -y postgresql); the PostgreSQL tests need one" >&2
  exit 1
fi
pg_ctlcluster --skip-systemctl-redirect "$version" main start
for _ in $(seq 1 30); do
  if pg_isready -q -h 127.0.0.1 -p 5432; then ensure_test_db; exit 0; fi
  sleep 1
done
echo "services.sh: PostgreSQL $version did not become ready on 127.0.0.1:5432 within 30 s" >&2
exit 1
