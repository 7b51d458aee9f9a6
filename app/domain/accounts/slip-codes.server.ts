// Codes kept for printing again. A code on a slip is shown in clear once, but a school prints hundreds
// on a thin link and a shared printer: a jammed page or a switch of the interface language must not cost
// the school its codes. So each activation and link code also keeps a sealed copy (AES-256-GCM under a
// server secret, bound to its row), readable again only by the school's own admin (and, for link codes,
// the class teacher who issued them) and wiped as soon as the code is used, voided or expires.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { and, eq, inArray, isNotNull, isNull, lte, type SQL } from "drizzle-orm";
import { db, schema } from "#db/client";
import { serverSecret } from "../foundation/server-secrets.server";

async function sealingKey(): Promise<Buffer> {
  return createHash("sha256").update(await serverSecret("slip-codes")).digest();
}

/** The code sealed for the row `rowId` (the row id is bound in, so a sealed copy cannot be moved to another row). */
export async function sealCode(code: string, rowId: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", await sealingKey(), iv);
  cipher.setAAD(Buffer.from(rowId));
  const body = Buffer.concat([cipher.update(code, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The code in clear, or null when the sealed copy does not open (another server secret, another row). */
export async function unsealCode(sealed: string, rowId: string): Promise<string | null> {
  const key = await sealingKey();
  try {
    const bytes = Buffer.from(sealed, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(rowId));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** Wipes the sealed copies of codes that expired: what cannot be used any more is not kept. */
export async function forgetExpiredSealedCodes(now = Date.now()): Promise<void> {
  const at = new Date(now);
  await db().update(schema.activationCodes).set({ sealedCode: null }).where(and(isNotNull(schema.activationCodes.sealedCode), lte(schema.activationCodes.expiresAt, at)));
  await db().update(schema.guardianLinkCodes).set({ sealedCode: null }).where(and(isNotNull(schema.guardianLinkCodes.sealedCode), lte(schema.guardianLinkCodes.expiresAt, at)));
}

/** The condition for a code row whose sealed copy may still be printed. */
export function printableActivationCode(): SQL {
  return and(isNotNull(schema.activationCodes.sealedCode), isNull(schema.activationCodes.usedAt), isNull(schema.activationCodes.voidedAt))!;
}

export function printableLinkCode(): SQL {
  return and(isNotNull(schema.guardianLinkCodes.sealedCode), isNull(schema.guardianLinkCodes.usedAt), isNull(schema.guardianLinkCodes.voidedAt))!;
}

// ── Telling classmates apart on a slip ─────────────────────────────────────────────────────────

/** What a slip shows beside a child's name so that two children of one name get different slips. */
export type Disambiguator = { birthMonth: number | null; tag: string | null };

// The letters of activation codes: no 0/O, 1/I/L, so the tag is read off paper as it was printed.
const TAG_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** Two (or, in the rare tie, more) characters derived from the student's id: stable, and no identity number. */
function idTag(studentId: string, length: number): string {
  const digest = createHash("sha256").update(`slip-tag:${studentId}`).digest();
  let tag = "";
  for (let i = 0; i < length; i++) tag += TAG_ALPHABET[digest[i]! % TAG_ALPHABET.length];
  return tag;
}

/**
 * For each child: the birth month when known, and an id tag when the month alone would not tell them
 * from a classmate of the same name (or there is no birth date). Children are compared within their class.
 */
export function disambiguators(children: { id: string; realName: string; birthDate: string | null; classId: string | null }[]): Map<string, Disambiguator> {
  const month = (birthDate: string | null) => {
    const m = birthDate ? /^\d{4}-(\d{2})/.exec(birthDate) : null;
    return m ? Number(m[1]) : null;
  };
  const groups = new Map<string, typeof children>();
  for (const child of children) {
    const key = `${child.classId ?? ""}\u0000${child.realName.normalize("NFKC").replace(/\s+/g, "")}\u0000${month(child.birthDate) ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), child]);
  }
  const result = new Map<string, Disambiguator>();
  for (const group of groups.values()) {
    const birthMonth = month(group[0]!.birthDate);
    if (group.length === 1 && birthMonth !== null) {
      result.set(group[0]!.id, { birthMonth, tag: null });
      continue;
    }
    let length = 2;
    while (length < 8 && new Set(group.map((c) => idTag(c.id, length))).size < group.length) length++;
    for (const child of group) result.set(child.id, { birthMonth, tag: idTag(child.id, length) });
  }
  return result;
}

/** The disambiguators of these students, each compared with the classmates of their current class. */
export async function disambiguatorsOf(studentIds: string[]): Promise<Map<string, Disambiguator>> {
  if (studentIds.length === 0) return new Map();
  const classes = new Map<string, string>();
  for (let i = 0; i < studentIds.length; i += 500) {
    for (const m of await db()
          .select({ userId: schema.classMemberships.userId, classId: schema.classMemberships.classId })
          .from(schema.classMemberships)
          .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
          .where(and(inArray(schema.classMemberships.userId, studentIds.slice(i, i + 500)), eq(schema.classMemberships.role, "student"), isNull(schema.classes.archivedAt))))
      classes.set(m.userId, m.classId);
  }
  const classIds = [...new Set(classes.values())];
  const classmates = classIds.length
    ? await db()
              .select({ id: schema.users.id, realName: schema.users.realName, birthDate: schema.users.birthDate, classId: schema.classMemberships.classId })
              .from(schema.classMemberships)
              .innerJoin(schema.users, eq(schema.users.id, schema.classMemberships.userId))
              .where(and(inArray(schema.classMemberships.classId, classIds), eq(schema.classMemberships.role, "student")))
    : [];
  const loose = studentIds.filter((id) => !classes.has(id));
  const without = loose.length
    ? (await db().select({ id: schema.users.id, realName: schema.users.realName, birthDate: schema.users.birthDate }).from(schema.users).where(inArray(schema.users.id, loose))).map((u) => ({ ...u, classId: null }))
    : [];
  return disambiguators([...classmates, ...without]);
}
