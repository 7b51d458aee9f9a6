// Real-name accounts: activation with a one-time code, sign-in, password change, disabling, and
// (re-)issuing activation codes. There is no open sign-up: accounts come from the school.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { and, desc, eq, gt, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { db, schema, type DB, changedRows, first } from "#db/client";
import { retiredLoginHash } from "../foundation/server-secrets.server";
import type { Locale, Role } from "#db/schema";
import { requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { recordAudit } from "../foundation/audit.server";
import { fieldErrorsOf, ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from "../foundation/errors.server";
import { randomId } from "../foundation/ids.server";
import { hashPassword, passwordProblem, PASSWORD_MAX, spendVerifyTime, verifyPassword } from "./passwords.server";
import { createSession, knownDeviceOf, rememberKnownDevice, type Session } from "./sessions.server";
import { assertNotThrottled, clearFailures, recordFailure, throttleKeys } from "./throttle.server";
import { canManageSchool } from "../places/schools.server";
import { forgetExpiredSealedCodes, printableActivationCode, sealCode, unsealCode } from "./slip-codes.server";

const DAY = 86_400_000;
export const ACTIVATION_CODE_TTL_MS = 30 * DAY;
// No 0/O, 1/I/L: codes are read off paper and typed on phones.
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const CODE_LENGTH = 10; // 31^10 ≈ 2^49.5, and attempts are throttled

/** Login names are compared without case and surrounding space. */
export function normalizeLoginName(loginName: string): string {
  return loginName.normalize("NFKC").trim().toLowerCase();
}

type User = typeof schema.users.$inferSelect;

/**
 * The person a login name belongs to. A name retired because it held an identity number still finds its
 * person until it expires (`renamed`), so that pupils with old slips are not locked out; it is looked up
 * by keyed hash, as that is all that is kept of it.
 */
async function personByLoginName(loginName: string, now: number): Promise<{ user: User | undefined; renamed: boolean }> {
  const user = await first(db().select().from(schema.users).where(eq(schema.users.loginName, loginName)).limit(1));
  if (user) return { user, renamed: false };
  const retired = await first(db()
      .select({ user: schema.users })
      .from(schema.retiredLogins)
      .innerJoin(schema.users, eq(schema.users.id, schema.retiredLogins.userId))
      .where(and(eq(schema.retiredLogins.loginHash, await retiredLoginHash(loginName)), gt(schema.retiredLogins.expiresAt, new Date(now)))).limit(1));
  return { user: retired?.user, renamed: Boolean(retired) };
}

/** Codes are compared without case, spaces or dashes (slips print them in groups). */
function normalizeCode(code: string): string {
  return code.normalize("NFKC").replace(/[\s-]/g, "").toUpperCase();
}

function hashCode(code: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(normalizeCode(code))));
}

/** Real names match when equal after Unicode normalisation and with runs of space (and Tibetan/Yi separators) folded. */
export function sameRealName(a: string, b: string): boolean {
  const fold = (s: string) => s.normalize("NFKC").replace(/[\s·•‧・]+/gu, "").replace(/་+$/u, "");
  return fold(a) === fold(b);
}

export function generateActivationCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH * 2));
  let code = "";
  // Rejection sampling keeps every letter equally likely.
  for (const byte of bytes) {
    if (byte < 248) code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
    if (code.length === CODE_LENGTH) return code;
  }
  return code + generateActivationCode().slice(code.length);
}

/** Prints a code in groups for slips: ABCDE-FGHJK. */
export function formatActivationCode(code: string): string {
  return code.replace(/(.{5})(?=.)/g, "$1-");
}

/**
 * Stores a new one-time activation code for a provisioned user and voids any older one. Returns the
 * code in clear for the slip; a sealed copy is kept so the slip can be printed again (slip-codes.server)
 * until the code is used, voided or expires. Pass the caller's transaction to write inside it (a roster
 * import issues thousands at once), and the import's id when a roster import issues it.
 */
export async function storeActivationCode(
  userId: string,
  issuedBy: string | null,
  now = Date.now(),
  tx?: Pick<DB, "insert" | "update">,
  rosterImportId: string | null = null,
): Promise<{ code: string; expiresAt: Date }> {
  const code = generateActivationCode();
  const expiresAt = new Date(now + ACTIVATION_CODE_TTL_MS);
  const id = randomId();
  const write = async (t: Pick<DB, "insert" | "update">) => {
    await t.update(schema.activationCodes)
          .set({ voidedAt: new Date(now), sealedCode: null })
          .where(and(eq(schema.activationCodes.userId, userId), isNull(schema.activationCodes.usedAt), isNull(schema.activationCodes.voidedAt)));
    await t.insert(schema.activationCodes)
          .values({ id, userId, codeHash: hashCode(code), expiresAt, issuedBy, createdAt: new Date(now), sealedCode: await sealCode(code, id), rosterImportId });
  };
  if (tx) await write(tx);
  else await db().transaction(write, { behavior: "immediate" });
  return { code, expiresAt };
}

/** A school admin (of the person's school) or the platform admin re-issues a code; the old one stops working. */
export async function reissueActivationCode(actor: Actor, userId: string): Promise<{ code: string; expiresAt: Date }> {
  const issued = (await reissueActivationCodes(actor, [userId])).get(userId);
  if (!issued) throw new NotFoundError();
  return issued;
}

/**
 * Re-issues the codes of several people at once (all or none): old codes stop working, and the batch is
 * one audit entry listing the people (not one entry per slip, which would bury everything else in the log).
 */
export async function reissueActivationCodes(actor: Actor, userIds: string[], now = Date.now()): Promise<Map<string, { code: string; expiresAt: Date }>> {
  const signedIn = requireSignedIn(actor);
  const ids = [...new Set(userIds)];
  const users = ids.length ? await db().select().from(schema.users).where(inArray(schema.users.id, ids)) : [];
  if (users.length !== ids.length) throw new NotFoundError();
  for (const user of users) {
    if (!user.schoolId || !await canManageSchool(signedIn, user.schoolId)) throw new ForbiddenError();
    if (user.status !== "provisioned") throw new ValidationError({}, "auth:alreadyActive");
  }
  const issued = new Map<string, { code: string; expiresAt: Date }>();
  if (users.length === 0) return issued;
  await db().transaction(
    async (tx) => {
      for (const user of users) issued.set(user.id, await storeActivationCode(user.id, signedIn.id, now, tx));
      const bySchool = new Map<string, typeof users>();
      for (const user of users) bySchool.set(user.schoolId!, [...(bySchool.get(user.schoolId!) ?? []), user]);
      for (const [schoolId, people] of bySchool) {
        const single = people.length === 1 ? people[0]!.id : null;
        await recordAudit(
          { actorId: signedIn.id, action: "activation_code.reissue", targetType: single ? "user" : "school", targetId: single ?? schoolId, schoolId, detail: { count: people.length, people: people.map((p) => p.id) } },
          tx,
        );
      }
    },
    { behavior: "immediate" },
  );
  return issued;
}

const activationInput = z.object({
  loginName: z.string().trim().min(1, "auth:loginNameRequired").max(64, "auth:loginNameRequired"),
  code: z.string().trim().min(1, "auth:codeRequired").max(64, "auth:codeWrong"),
  realName: z.string().trim().min(1, "auth:realNameRequired").max(100, "auth:realNameMismatch"),
  password: z.string().min(1, "auth:passwordTooShort").max(PASSWORD_MAX * 4, "auth:passwordTooLong"),
  confirm: z.string(),
});
export type ActivationInput = z.input<typeof activationInput>;


/**
 * Activates a provisioned account: login name + one-time code + real name + new password. Any wrong
 * detail fails the whole attempt and counts against throttling; nothing is written unless all is right.
 * `renamedTo` is the person's new login name when they typed a retired one (to be shown to them).
 */
export async function activateAccount(
  raw: ActivationInput,
  client: { address: string; userAgent?: string | null },
  now = Date.now(),
): Promise<{ token: string; session: Session; renamedTo: string | null }> {
  const parsed = activationInput.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const input = parsed.data;
  const loginName = normalizeLoginName(input.loginName);
  const { user, renamed } = await personByLoginName(loginName, now);
  const keys = throttleKeys("activate", user?.loginName ?? loginName, client.address);
  await assertNotThrottled(keys, now);

  const codes = user
    ? await db().select().from(schema.activationCodes).where(eq(schema.activationCodes.userId, user.id))
    : [];
  const match = codes.find((c) => c.codeHash === hashCode(input.code));
  const fail = async (fields: FieldErrors): Promise<never> => {
    await recordFailure(keys, now);
    throw new ValidationError(fields);
  };
  // Unknown login and wrong code read the same, so codes cannot be used to probe login names.
  if (!user || !match) return fail({ code: { key: "auth:codeWrong" } });
  if (match.usedAt || user.status === "active") return fail({ code: { key: "auth:codeUsed" } });
  if (match.voidedAt) return fail({ code: { key: "auth:codeVoided" } });
  if (user.status === "disabled") return fail({ code: { key: "auth:accountDisabled" } });
  if (match.expiresAt.getTime() <= now) return fail({ code: { key: "auth:codeExpired" } });
  if (!sameRealName(user.realName, input.realName)) return fail({ realName: { key: "auth:realNameMismatch" } });

  const problem = passwordProblem(input.password, user.loginName);
  if (problem) throw new ValidationError({ password: { key: problem } });
  if (input.password !== input.confirm) throw new ValidationError({ confirm: { key: "auth:confirmMismatch" } });

  const passwordHash = await hashPassword(input.password);
  const roles = await db().select().from(schema.userRoles).where(eq(schema.userRoles.userId, user.id));
  const firstRole = roles[0]?.role;
  if (!firstRole) throw new ForbiddenError("auth:noRole");
  await db().transaction(
    async (tx) => {
      // Claims the code atomically: of two simultaneous activations only one finds it unused.
      const claimed = await changedRows(tx
        .update(schema.activationCodes)
        .set({ usedAt: new Date(now), sealedCode: null })
        .where(and(eq(schema.activationCodes.id, match.id), isNull(schema.activationCodes.usedAt), isNull(schema.activationCodes.voidedAt)))
        );
      if (claimed !== 1) throw new ValidationError({ code: { key: "auth:codeUsed" } });
      await tx.update(schema.users)
              .set({ passwordHash, status: "active", activatedAt: new Date(now), passwordChangedAt: new Date(now) })
              .where(eq(schema.users.id, user.id));
      await recordAudit({ actorId: user.id, action: "account.activate", targetType: "user", targetId: user.id, schoolId: user.schoolId }, tx);
    },
    { behavior: "immediate" },
  );
  await clearFailures(keys);
  return { ...await createSession(user.id, { remember: false, activeRole: firstRole, userAgent: client.userAgent }, now), renamedTo: renamed ? user.loginName : null };
}

const signInInput = z.object({
  loginName: z.string().trim().min(1, "auth:loginNameRequired").max(64, "auth:signInFailed"),
  password: z.string().min(1, "auth:passwordRequired").max(PASSWORD_MAX * 4, "auth:signInFailed"),
  remember: z.boolean().default(false),
});
export type SignInInput = z.input<typeof signInInput>;

export type SignInClient = {
  address: string;
  userAgent?: string | null;
  /** The browser's known-device cookie (see sessions.server), if it sent one. */
  knownDevices?: string | null;
};

/**
 * Signs in with login name and password. Unknown login and wrong password fail alike. Returns, besides
 * the session, the known-device cookie value that marks this browser for the account from now on, and
 * `renamedTo`, the new login name, when a retired one was typed (to be shown to the person).
 */
export async function signIn(
  raw: SignInInput,
  client: SignInClient,
  now = Date.now(),
): Promise<{ token: string; session: Session; knownDevices: string; renamedTo: string | null }> {
  const parsed = signInInput.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const input = parsed.data;
  const loginName = normalizeLoginName(input.loginName);
  const { user, renamed } = await personByLoginName(loginName, now);
  // Counted under the current name, so a retired name gives no second allowance of attempts.
  const keys = throttleKeys("signin", user?.loginName ?? loginName, client.address, user ? await knownDeviceOf(client.knownDevices, user.id) : null);
  await assertNotThrottled(keys, now);

  const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, input.password) : (await spendVerifyTime(input.password), false);
  if (!user || !ok || user.status !== "active") {
    await recordFailure(keys, now);
    throw new ValidationError({}, "auth:signInFailed");
  }
  const roles = await db().select({ role: schema.userRoles.role }).from(schema.userRoles).where(eq(schema.userRoles.userId, user.id));
  const activeRole = preferredRole(roles.map((r) => r.role));
  if (!activeRole) throw new ValidationError({}, "auth:signInFailed");
  await clearFailures(keys);
  const knownDevices = await rememberKnownDevice(client.knownDevices, user.id);
  return { ...await createSession(user.id, { remember: input.remember, activeRole, userAgent: client.userAgent }, now), knownDevices, renamedTo: renamed ? user.loginName : null };
}

// A person with several roles starts in the one they use most days.
const ROLE_PREFERENCE: Role[] = ["teacher", "student", "school_admin", "region_admin", "parent", "platform_admin"];
function preferredRole(roles: Role[]): Role | undefined {
  return ROLE_PREFERENCE.find((r) => roles.includes(r));
}

const passwordChangeInput = z.object({
  current: z.string().min(1, "auth:passwordRequired").max(PASSWORD_MAX * 4, "auth:currentPasswordWrong"),
  password: z.string().max(PASSWORD_MAX * 4, "auth:passwordTooLong"),
  confirm: z.string(),
});

/**
 * Changes the actor's own password. Every other session of theirs ends, and the current one is
 * replaced by a new session (the returned token), as after a sign-in.
 */
export async function changePassword(
  actor: Actor,
  raw: z.input<typeof passwordChangeInput>,
  client: { userAgent?: string | null },
  now = Date.now(),
): Promise<{ token: string; session: Session }> {
  const signedIn = requireSignedIn(actor);
  const parsed = passwordChangeInput.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const input = parsed.data;
  const user = await first(db().select().from(schema.users).where(eq(schema.users.id, signedIn.id)).limit(1));
  if (!user?.passwordHash) throw new ForbiddenError();
  if (!(await verifyPassword(user.passwordHash, input.current))) throw new ValidationError({ current: { key: "auth:currentPasswordWrong" } });
  const problem = passwordProblem(input.password, user.loginName);
  if (problem) throw new ValidationError({ password: { key: problem } });
  if (input.password !== input.confirm) throw new ValidationError({ confirm: { key: "auth:confirmMismatch" } });
  const passwordHash = await hashPassword(input.password);
  await db().transaction(
    async (tx) => {
      await tx.update(schema.users).set({ passwordHash, passwordChangedAt: new Date(now) }).where(eq(schema.users.id, user.id));
      await tx.delete(schema.sessions).where(eq(schema.sessions.userId, user.id));
      await recordAudit({ actorId: user.id, action: "account.password_change", targetType: "user", targetId: user.id, schoolId: user.schoolId }, tx);
    },
    { behavior: "immediate" },
  );
  return createSession(user.id, { remember: false, activeRole: signedIn.activeRole, userAgent: client.userAgent }, now);
}

/** Disables an account and ends all its sessions. School admins of its school and platform admins may. */
export async function disableAccount(actor: Actor, userId: string): Promise<void> {
  const signedIn = requireSignedIn(actor);
  const user = await first(db().select().from(schema.users).where(eq(schema.users.id, userId)).limit(1));
  if (!user) throw new NotFoundError();
  const platform = signedIn.activeRole === "platform_admin";
  if (!platform && !(user.schoolId && await canManageSchool(signedIn, user.schoolId))) throw new ForbiddenError();
  if (user.id === signedIn.id) throw new ForbiddenError("errors:cannotDisableSelf");
  // Already disabled, so its sessions are already gone: a second press records nothing.
  if (user.status === "disabled") return;
  await db().transaction(
    async (tx) => {
      await tx.update(schema.users).set({ status: "disabled" }).where(eq(schema.users.id, userId));
      await tx.delete(schema.sessions).where(eq(schema.sessions.userId, userId));
      await recordAudit({ actorId: signedIn.id, action: "account.disable", targetType: "user", targetId: userId, schoolId: user.schoolId }, tx);
    },
    { behavior: "immediate" },
  );
}

/** Switches the role the actor acts in, for this session only. */
export async function switchRole(actor: Actor, role: string): Promise<Role> {
  const signedIn = requireSignedIn(actor);
  const grant = signedIn.roles.find((g) => g.role === role);
  if (!grant) throw new ForbiddenError();
  await db().update(schema.sessions).set({ activeRole: grant.role }).where(eq(schema.sessions.id, signedIn.sessionId));
  return grant.role;
}

export async function ownSessions(actor: Actor): Promise<Session[]> {
  const signedIn: SignedInActor = requireSignedIn(actor);
  return db().select().from(schema.sessions).where(eq(schema.sessions.userId, signedIn.id));
}

// ── Printing activation slips again ─────────────────────────────────────────────────────────────

export type OpenActivationSlip = { userId: string; realName: string; className: string | null; loginName: string; code: string; expiresAt: Date };

/**
 * Activation codes of the actor's school still open with a sealed copy, for printing their slips again:
 * the school's own admin only (region and platform admins manage schools but never read codes). With
 * `rosterImportId`, only that import's codes; an import of another school answers 404 like an unknown one.
 */
export async function openActivationSlips(actor: Actor, rosterImportId?: string, now = Date.now()): Promise<{ school: { name: string; defaultLocale: Locale }; slips: OpenActivationSlip[] }> {
  const me = requireSignedIn(actor);
  const grant = me.activeRole === "school_admin" ? me.roles.find((g) => g.role === "school_admin" && g.schoolId) : undefined;
  if (rosterImportId) {
    const found = await first(db().select({ schoolId: schema.rosterImports.schoolId }).from(schema.rosterImports).where(eq(schema.rosterImports.id, rosterImportId)).limit(1));
    if (!found || found.schoolId !== grant?.schoolId) throw new NotFoundError();
  }
  if (!grant?.schoolId) throw new ForbiddenError();
  const school = await first(db().select({ name: schema.schools.name, defaultLocale: schema.schools.defaultLocale }).from(schema.schools).where(eq(schema.schools.id, grant.schoolId)).limit(1));
  if (!school) throw new NotFoundError();
  await forgetExpiredSealedCodes(now);
  const rows = await db()
      .select({ id: schema.activationCodes.id, sealedCode: schema.activationCodes.sealedCode, expiresAt: schema.activationCodes.expiresAt, userId: schema.users.id, realName: schema.users.realName, loginName: schema.users.loginName })
      .from(schema.activationCodes)
      .innerJoin(schema.users, eq(schema.users.id, schema.activationCodes.userId))
      .where(
        and(
          eq(schema.users.schoolId, grant.schoolId),
          eq(schema.users.status, "provisioned"),
          printableActivationCode(),
          gt(schema.activationCodes.expiresAt, new Date(now)),
          rosterImportId ? eq(schema.activationCodes.rosterImportId, rosterImportId) : undefined,
        ),
      );
  const classOf = new Map<string, string>();
  const ids = rows.map((r) => r.userId);
  for (let i = 0; i < ids.length; i += 500) {
    for (const m of await db()
          .select({ userId: schema.classMemberships.userId, role: schema.classMemberships.role, name: schema.classes.name })
          .from(schema.classMemberships)
          .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
          .where(and(inArray(schema.classMemberships.userId, ids.slice(i, i + 500)), isNull(schema.classes.archivedAt)))
          .orderBy(desc(schema.classMemberships.role), schema.classes.grade))
      if (!classOf.has(m.userId) || m.role === "student") classOf.set(m.userId, m.name);
  }
  const slips: OpenActivationSlip[] = [];
  for (const r of rows) {
    const code = r.sealedCode ? await unsealCode(r.sealedCode, r.id) : null;
    if (code) slips.push({ userId: r.userId, realName: r.realName, className: classOf.get(r.userId) ?? null, loginName: r.loginName, code: formatActivationCode(code), expiresAt: r.expiresAt });
  }
  const byClass = new Intl.Collator("zh-Hans");
  const byLogin = new Intl.Collator("en", { numeric: true });
  slips.sort((a, b) => byClass.compare(a.className ?? "", b.className ?? "") || byLogin.compare(a.loginName, b.loginName));
  return { school, slips };
}
