// Password hashing (argon2id, OWASP's m=19456 KiB, t=2, p=1) and the password policy: 8 to 128
// characters, no composition rules, the most common passwords refused, not the login name.
import { hash, verify } from "@node-rs/argon2";
import commonPasswordsText from "./common-passwords.data";

const ARGON2ID = 2; // @node-rs/argon2's Algorithm.Argon2id; a const enum, so not importable under isolatedModules
const options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

let commonPasswords: Set<string> | undefined;
function isCommon(password: string) {
  commonPasswords ??= new Set(commonPasswordsText.split("\n"));
  return commonPasswords.has(password.toLowerCase());
}

export async function hashPassword(password: string): Promise<string> {
  return hash(password.normalize("NFC"), options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize("NFC"));
  } catch {
    return false;
  }
}

// Verified against when the login name is unknown, so that both cases take the same time.
let decoyHash: Promise<string> | undefined;
export async function spendVerifyTime(password: string): Promise<void> {
  decoyHash ??= hashPassword("decoy password that nobody has");
  await verifyPassword(await decoyHash, password);
}

/** The locale key of what is wrong with a new password, or null when it may be used. */
export function passwordProblem(password: string, loginName: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return "auth:passwordTooShort";
  if (length > PASSWORD_MAX) return "auth:passwordTooLong";
  if (password.trim().toLowerCase() === loginName.trim().toLowerCase()) return "auth:passwordIsLoginName";
  if (isCommon(password)) return "auth:passwordTooCommon";
  return null;
}
