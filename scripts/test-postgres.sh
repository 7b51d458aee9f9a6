#!/usr/bin/env bash
# The integration suite on PostgreSQL (issue 18): starts a throwaway cluster (scripts/pg-throwaway.sh),
# runs every integration test against it (a new database per test file), then the tests that restart the
# cluster under a running app (tests/postgres), and removes the cluster. Needs Debian's postgresql.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/pg-throwaway.sh start)"
trap 'bash scripts/pg-throwaway.sh stop "$PG_THROWAWAY_DIR"' EXIT
echo "PostgreSQL throwaway cluster on port $PG_THROWAWAY_PORT"
export TEST_DATABASE_URL="$DATABASE_URL"
unset DATABASE_URL
npx vitest run tests/integration "$@"
npx vitest run --config tests/postgres/vitest.config.ts
