import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";

/** A random, URL-safe id (80 bits by default): ids in URLs are never sequential. */
export function randomId(bytes = 10): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}
