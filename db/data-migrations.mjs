// Data migrations: steps that SQL cannot express (keyed hashes, generated names), run after the schema
// migrations by both db/client's runMigrations and server.mjs. Each step is idempotent, so running all
// of them at every start is safe.
import { retireIdentityNumberLogins } from "./login-names.mjs";

export function runDataMigrations(sqlite) {
  retireIdentityNumberLogins(sqlite);
}
