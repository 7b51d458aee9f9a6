// PostgreSQL's migrations, generated from db/schema.pg.ts (itself derived from db/schema.ts) into their own
// folder: `npm run db:generate` writes both engines' migrations.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.pg.ts",
  out: "./db/migrations-pg",
});
