// DATABASE_URL=postgres://… npm run db:copy-to-postgres -- [--from DATA_DIR]   (see db/copy-to-postgres.ts)
import { join, resolve } from "node:path";
import { CopyRefused, copyToPostgres } from "../db/copy-to-postgres";

const at = process.argv.indexOf("--from");
const dataDir = resolve(at > 0 ? process.argv[at + 1]! : (process.env.DATA_DIR ?? "./data"));
const databaseUrl = process.env.DATABASE_URL?.trim();
if (!databaseUrl) {
  console.error("copy: set DATABASE_URL to the PostgreSQL database to copy into (postgres://user:password@host:5432/name)");
  process.exit(2);
}
console.log(`copy: ${join(dataDir, "app.sqlite")} → PostgreSQL ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}`);
console.log(`${"table".padEnd(32)} ${"SQLite".padStart(9)}   ${"PostgreSQL".padStart(9)}  checksum`);
try {
  const copied = await copyToPostgres({ sqliteFile: join(dataDir, "app.sqlite"), databaseUrl, log: (line) => console.log(line) });
  const rows = copied.reduce((sum, c) => sum + c.rows, 0);
  console.log(`copy: ${copied.length} tables, ${rows.toLocaleString("en")} rows, every count and checksum the same. Start the app with DATABASE_URL set.`);
} catch (error) {
  console.error(`copy: refused: ${error instanceof CopyRefused ? error.message : String(error)}`);
  process.exit(1);
}
