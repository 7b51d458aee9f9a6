// The server's signing keys, kept in the database (schema `server_secrets`) so that every app server of
// a province signs alike. Each is created (256 random bits) on first use and then kept in memory for
// the database it came from. db/secrets.mjs is the same for the SQLite-only data migrations.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { db, first, openedDatabase, schema } from "#db/client";
import { keyedHash } from "#db/secrets.mjs";

const known = new WeakMap<object, Map<string, string>>();

/** The named secret: the same on every app server of the database. */
export async function serverSecret(name = "signing"): Promise<string> {
  const database = openedDatabase();
  let secrets = known.get(database);
  if (!secrets) known.set(database, (secrets = new Map()));
  const kept = secrets.get(name);
  if (kept) return kept;
  const read = async () => (await first(db().select({ value: schema.serverSecrets.value }).from(schema.serverSecrets).where(eq(schema.serverSecrets.name, name)).limit(1)))?.value;
  let value = await read();
  if (!value) {
    await db().insert(schema.serverSecrets).values({ name, value: randomBytes(32).toString("base64url"), createdAt: new Date() }).onConflictDoNothing();
    value = (await read())!;
  }
  secrets.set(name, value);
  return value;
}

/** The stored form of a retired login name: a keyed hash, so the name itself is nowhere in the database (as db/login-names.mjs). */
export async function retiredLoginHash(loginName: string): Promise<string> {
  return keyedHash(await serverSecret(), `retired-login|${loginName.normalize("NFKC").trim().toLowerCase()}`);
}

export { keyedHash };
