// The server's signing keys, kept in the database (see schema `server_secrets`) so every app server of a
// cluster signs alike. Plain JS so that the data migrations, which also run from server.mjs, share it.
import { createHmac, randomBytes } from "node:crypto";

/** The named secret, created (256 random bits) on first use. */
export function serverSecret(sqlite, name = "signing") {
  const read = () => sqlite.prepare("select value from server_secrets where name = ?").get(name);
  if (!read()) {
    sqlite
      .prepare("insert into server_secrets (name, value, created_at) values (?, ?, ?) on conflict(name) do nothing")
      .run(name, randomBytes(32).toString("base64url"), Date.now());
  }
  return read().value;
}

/** HMAC-SHA-256 of `text` under `secret`, base64url. */
export function keyedHash(secret, text) {
  return createHmac("sha256", secret).update(text).digest("base64url");
}
