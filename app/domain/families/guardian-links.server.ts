// Linking parents to children with per-child link codes: a class's teacher or the school's admin issues
// a printable, one-use code for a child; a parent uses it to open a parent account (login name = their
// phone) or, already signed in, to add the child to the account they have. Codes are stored hashed like
// activation codes (plus a sealed copy for printing again, see slip-codes.server), expire after 14 days,
// and a new code voids the child's unused ones. A roster import may pre-issue one per guardian row. Who is linked is
// visible to the child, the child's class teachers and the school's admins; the school admin removes links.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, gt, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { db, schema, changedRows, first } from "#db/client";
import type { Locale } from "#db/schema";
import { requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { formatActivationCode, generateActivationCode } from "../accounts/accounts.server";
import { recordAudit } from "../foundation/audit.server";
import { fieldErrorsOf, ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from "../foundation/errors.server";
import { randomId } from "../foundation/ids.server";
import { hashPassword, passwordProblem, PASSWORD_MAX } from "../accounts/passwords.server";
import { createSession, type Session } from "../accounts/sessions.server";
import { assertNotThrottled, clearFailures, POLICIES, recordFailure, throttleKeys, type ThrottleKey } from "../accounts/throttle.server";
import { disambiguators, disambiguatorsOf, forgetExpiredSealedCodes, printableLinkCode, sealCode, unsealCode, type Disambiguator } from "../accounts/slip-codes.server";
import { isSchoolAdminOf } from "../rollout/visibility.server";
import { mapInOrder, someInOrder } from "~/lib/in-order";

const DAY = 86_400_000;
export const LINK_CODE_TTL_MS = 14 * DAY;
// Failures are counted per code prefix (and address): a guesser spreads over prefixes and meets the
// address limit; someone mistyping one code meets the tight pair limit first.
const THROTTLE_PREFIX = 3;

type Tx = Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0];

/** Codes are compared without case, spaces or dashes (slips print them in groups). */
function normalizeCode(code: string): string {
  return code.normalize("NFKC").replace(/[\s-]/g, "").toUpperCase();
}

function hashLinkCode(code: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(normalizeCode(code))));
}

type ClassRow = typeof schema.classes.$inferSelect;
type SchoolRow = typeof schema.schools.$inferSelect;

/** The class's teachers (acting as teacher) and its school's admins may issue codes for its students. */
async function requireCodeIssuer(actor: Actor, classId: string): Promise<{ me: SignedInActor; klass: ClassRow; school: SchoolRow }> {
  const me = requireSignedIn(actor);
  const klass = await first(db().select().from(schema.classes).where(eq(schema.classes.id, classId)).limit(1));
  if (!klass) throw new NotFoundError();
  const school = await first(db().select().from(schema.schools).where(eq(schema.schools.id, klass.schoolId)).limit(1));
  if (!school) throw new NotFoundError();
  if (isSchoolAdminOf(me, klass.schoolId)) return { me, klass, school };
  if (me.activeRole === "teacher" && await membership(classId, me.id, "teacher")) return { me, klass, school };
  throw new ForbiddenError();
}

async function membership(classId: string, userId: string, role: "teacher" | "student"): Promise<boolean> {
  return Boolean(
    await first(db()
            .select({ c: schema.classMemberships.classId })
            .from(schema.classMemberships)
            .where(and(eq(schema.classMemberships.classId, classId), eq(schema.classMemberships.userId, userId), eq(schema.classMemberships.role, role))).limit(1)),
  );
}

export type LinkCodeChoice = { id: string; realName: string; guardians: number; openCodeExpiresAt: Date | null; disambiguator: Disambiguator };

/** The class's students to choose from, with how many guardians each has, whether a code is out, and what tells same-name classmates apart. */
export async function linkCodeChoices(actor: Actor, classId: string, now = Date.now()): Promise<{ klass: { id: string; name: string; archived: boolean }; schoolName: string; students: LinkCodeChoice[] }> {
  const { klass, school } = await requireCodeIssuer(actor, classId);
  const students = await db()
      .select({ id: schema.users.id, realName: schema.users.realName, loginName: schema.users.loginName, birthDate: schema.users.birthDate })
      .from(schema.classMemberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.classMemberships.userId))
      .where(and(eq(schema.classMemberships.classId, classId), eq(schema.classMemberships.role, "student")))
      .orderBy(schema.users.loginName);
  const ids = students.map((s) => s.id);
  const links = ids.length ? await db().select({ studentId: schema.guardianLinks.studentId }).from(schema.guardianLinks).where(inArray(schema.guardianLinks.studentId, ids)) : [];
  const open = ids.length
    ? await db()
              .select({ studentId: schema.guardianLinkCodes.studentId, expiresAt: schema.guardianLinkCodes.expiresAt })
              .from(schema.guardianLinkCodes)
              .where(and(inArray(schema.guardianLinkCodes.studentId, ids), isNull(schema.guardianLinkCodes.usedAt), isNull(schema.guardianLinkCodes.voidedAt), gt(schema.guardianLinkCodes.expiresAt, new Date(now))))
    : [];
  const told = disambiguators(students.map((s) => ({ ...s, classId })));
  return {
    klass: { id: klass.id, name: klass.name, archived: Boolean(klass.archivedAt) },
    schoolName: school.name,
    students: students.map((s) => ({
      id: s.id,
      realName: s.realName,
      guardians: links.filter((l) => l.studentId === s.id).length,
      openCodeExpiresAt: open.find((c) => c.studentId === s.id)?.expiresAt ?? null,
      disambiguator: told.get(s.id)!,
    })),
  };
}

export type LinkCodeSlip = {
  codeId: string;
  student: { id: string; realName: string };
  /** Birth month or an id tag, so that same-name classmates' slips never look alike. */
  disambiguator: Disambiguator;
  /** The guardian of the roster row the code was issued for (pre-issued at import), if any. */
  guardian: { name: string; relation: string | null } | null;
  class: { id: string; name: string } | null;
  school: { id: string; name: string; defaultLocale: Locale };
  /** In clear and grouped for the slip; otherwise kept only hashed and sealed (slip-codes.server). */
  code: string;
  expiresAt: Date;
};

type IssuedCode = { codeId: string; studentId: string; code: string; expiresAt: Date; guardianContactId: string | null };

/** Voids the students' unused codes and stores new ones (sealed too, for printing again); one per guardian row when given. */
async function storeLinkCodes(
  tx: Pick<Tx, "insert" | "update">,
  wanted: { studentId: string; guardianContactId: string | null }[],
  issuedBy: string,
  now: number,
  rosterImportId: string | null = null,
): Promise<IssuedCode[]> {
  const expiresAt = new Date(now + LINK_CODE_TTL_MS);
  const studentIds = [...new Set(wanted.map((w) => w.studentId))];
  for (let i = 0; i < studentIds.length; i += 500) {
    await tx.update(schema.guardianLinkCodes)
          .set({ voidedAt: new Date(now), sealedCode: null })
          .where(and(inArray(schema.guardianLinkCodes.studentId, studentIds.slice(i, i + 500)), isNull(schema.guardianLinkCodes.usedAt), isNull(schema.guardianLinkCodes.voidedAt)));
  }
  return (mapInOrder(wanted, async ({ studentId, guardianContactId }) => {
      const code = generateActivationCode();
      const codeId = randomId();
      await tx.insert(schema.guardianLinkCodes)
              .values({ id: codeId, studentId, codeHash: hashLinkCode(code), expiresAt, issuedBy, createdAt: new Date(now), sealedCode: await sealCode(code, codeId), rosterImportId, guardianContactId });
      return { codeId, studentId, code, expiresAt, guardianContactId };
    }));
}

/** Everything a slip needs besides the code: the child, their current class, the school, the guardian row and the disambiguator. */
export async function linkSlipsOf(codes: IssuedCode[]): Promise<LinkCodeSlip[]> {
  if (codes.length === 0) return [];
  const studentIds = [...new Set(codes.map((c) => c.studentId))];
  const students = new Map<string, { id: string; realName: string; schoolId: string | null }>();
  const classOf = new Map<string, { id: string; name: string }>();
  for (let i = 0; i < studentIds.length; i += 500) {
    const chunk = studentIds.slice(i, i + 500);
    for (const s of await db().select({ id: schema.users.id, realName: schema.users.realName, schoolId: schema.users.schoolId }).from(schema.users).where(inArray(schema.users.id, chunk))) students.set(s.id, s);
    for (const m of await db()
          .select({ userId: schema.classMemberships.userId, id: schema.classes.id, name: schema.classes.name })
          .from(schema.classMemberships)
          .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
          .where(and(inArray(schema.classMemberships.userId, chunk), eq(schema.classMemberships.role, "student"), isNull(schema.classes.archivedAt))))
      classOf.set(m.userId, { id: m.id, name: m.name });
  }
  const schoolIds = [...new Set([...students.values()].map((s) => s.schoolId).filter((id): id is string => Boolean(id)))];
  const schools = new Map(
    (schoolIds.length ? await db().select({ id: schema.schools.id, name: schema.schools.name, defaultLocale: schema.schools.defaultLocale }).from(schema.schools).where(inArray(schema.schools.id, schoolIds)) : []).map((s) => [s.id, s]),
  );
  const contactIds = codes.map((c) => c.guardianContactId).filter((id): id is string => Boolean(id));
  const contacts = new Map<string, { name: string; relation: string | null }>();
  for (let i = 0; i < contactIds.length; i += 500) {
    // The relation column arrives with the roster's guardian columns; read it when it is there.
    for (const row of await db().select().from(schema.guardianContacts).where(inArray(schema.guardianContacts.id, contactIds.slice(i, i + 500)))) {
      contacts.set(row.id, { name: row.name, relation: (row as { relation?: string | null }).relation ?? null });
    }
  }
  const told = await disambiguatorsOf(studentIds);
  const slips: LinkCodeSlip[] = [];
  for (const c of codes) {
    const student = students.get(c.studentId);
    const school = student?.schoolId ? schools.get(student.schoolId) : undefined;
    if (!student || !school) continue;
    slips.push({
      codeId: c.codeId,
      student: { id: student.id, realName: student.realName },
      disambiguator: told.get(student.id) ?? { birthMonth: null, tag: null },
      guardian: c.guardianContactId ? (contacts.get(c.guardianContactId) ?? null) : null,
      class: classOf.get(student.id) ?? null,
      school,
      code: formatActivationCode(c.code),
      expiresAt: c.expiresAt,
    });
  }
  const byName = new Intl.Collator("zh-Hans");
  return slips.sort((a, b) => byName.compare(a.class?.name ?? "", b.class?.name ?? "") || byName.compare(a.student.realName, b.student.realName));
}

/**
 * Issues a fresh link code for each chosen student of the class; each child's unused codes stop working.
 * A student who is not in this class is refused, and then nothing is issued. One audit entry for the batch.
 */
export async function issueLinkCodes(actor: Actor, classId: string, studentIds: string[], now = Date.now()): Promise<LinkCodeSlip[]> {
  const { me, klass, school } = await requireCodeIssuer(actor, classId);
  if (klass.archivedAt) throw new ValidationError({}, "guardianLinks:errors.classArchived");
  const chosen = [...new Set(studentIds.filter(Boolean))];
  if (chosen.length === 0) throw new ValidationError({ students: { key: "guardianLinks:errors.chooseStudents" } });
  const students = await db()
      .select({ id: schema.users.id })
      .from(schema.classMemberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.classMemberships.userId))
      .where(and(eq(schema.classMemberships.classId, classId), eq(schema.classMemberships.role, "student"), inArray(schema.users.id, chosen)));
  if (students.length !== chosen.length) throw new ForbiddenError();
  const issued = await db().transaction(
    async (tx) => {
      const codes = await storeLinkCodes(tx, students.map((s) => ({ studentId: s.id, guardianContactId: null })), me.id, now);
      await recordAudit(
        { actorId: me.id, action: "guardian_link_code.issue", targetType: "class", targetId: classId, schoolId: school.id, detail: { classId, className: klass.name, count: codes.length, students: codes.map((c) => c.studentId) } },
        tx,
      );
      return codes;
    },
    { behavior: "immediate" },
  );
  return linkSlipsOf(issued);
}

/**
 * Inside a roster import's transaction: a link code per guardian row of the imported pupils who have no
 * linked parent yet, so the school prints the parents' slips with the pupils'. One audit entry.
 */
export async function issueGuardianCodesForImport(tx: Tx, input: { importId: string; schoolId: string; adminId: string; studentIds: string[] }, now: number): Promise<number> {
  const { importId, schoolId, adminId } = input;
  const studentIds = [...new Set(input.studentIds)];
  const linked = new Set<string>();
  const wanted: { studentId: string; guardianContactId: string | null }[] = [];
  for (let i = 0; i < studentIds.length; i += 500) {
    const chunk = studentIds.slice(i, i + 500);
    for (const l of await tx.select({ studentId: schema.guardianLinks.studentId }).from(schema.guardianLinks).where(inArray(schema.guardianLinks.studentId, chunk))) linked.add(l.studentId);
    const contacts = await tx
          .select({ id: schema.guardianContacts.id, studentId: schema.guardianContacts.studentId })
          .from(schema.guardianContacts)
          .where(inArray(schema.guardianContacts.studentId, chunk))
          .orderBy(schema.guardianContacts.createdAt, schema.guardianContacts.id);
    for (const c of contacts) if (!linked.has(c.studentId)) wanted.push({ studentId: c.studentId, guardianContactId: c.id });
  }
  if (wanted.length === 0) return 0;
  const codes = await storeLinkCodes(tx, wanted, adminId, now, importId);
  await recordAudit(
    { actorId: adminId, action: "guardian_link_code.import_issue", targetType: "roster_import", targetId: importId, schoolId, detail: { count: codes.length, students: [...new Set(codes.map((c) => c.studentId))] } },
    tx,
  );
  return codes.length;
}

/** The school's current grades (those with a current class), for the "whole grade" form. */
export async function linkCodeGrades(actor: Actor): Promise<number[]> {
  const me = requireSignedIn(actor);
  const schoolId = adminSchoolOf(me);
  return [
    ...new Set(
      (await db()
                .select({ grade: schema.classes.grade })
                .from(schema.classes)
                .where(and(eq(schema.classes.schoolId, schoolId), isNull(schema.classes.archivedAt)))
                .orderBy(schema.classes.grade))
        .map((c) => c.grade),
    ),
  ];
}

function adminSchoolOf(me: SignedInActor): string {
  const grant = me.activeRole === "school_admin" ? me.roles.find((g) => g.role === "school_admin" && g.schoolId) : undefined;
  if (!grant?.schoolId) throw new ForbiddenError();
  return grant.schoolId;
}

/**
 * The school's admin issues codes for every pupil of a grade (its current classes) who has no linked parent
 * yet: one code per child, the old unused ones void, and one audit entry for the grade with the list inside.
 */
export async function issueGradeLinkCodes(actor: Actor, grade: number, now = Date.now()): Promise<LinkCodeSlip[]> {
  const me = requireSignedIn(actor);
  const schoolId = adminSchoolOf(me);
  const classIds = (await db()
      .select({ id: schema.classes.id })
      .from(schema.classes)
      .where(and(eq(schema.classes.schoolId, schoolId), eq(schema.classes.grade, grade), isNull(schema.classes.archivedAt))))
    .map((c) => c.id);
  if (classIds.length === 0) throw new ValidationError({ grade: { key: "guardianLinks:errors.chooseGrade" } });
  const pupils = [
    ...new Set(
      (await db()
                .select({ id: schema.classMemberships.userId })
                .from(schema.classMemberships)
                .innerJoin(schema.users, eq(schema.users.id, schema.classMemberships.userId))
                .where(and(inArray(schema.classMemberships.classId, classIds), eq(schema.classMemberships.role, "student"), eq(schema.users.schoolId, schoolId))))
        .map((r) => r.id),
    ),
  ];
  const linked = new Set(pupils.length ? (await db().select({ studentId: schema.guardianLinks.studentId }).from(schema.guardianLinks).where(inArray(schema.guardianLinks.studentId, pupils))).map((l) => l.studentId) : []);
  const waiting = pupils.filter((id) => !linked.has(id));
  if (waiting.length === 0) return [];
  const issued = await db().transaction(
    async (tx) => {
      const codes = await storeLinkCodes(tx, waiting.map((studentId) => ({ studentId, guardianContactId: null })), me.id, now);
      await recordAudit({ actorId: me.id, action: "guardian_link_code.grade_issue", targetType: "school", targetId: schoolId, schoolId, detail: { grade, count: codes.length, students: waiting } }, tx);
      return codes;
    },
    { behavior: "immediate" },
  );
  return linkSlipsOf(issued);
}

// ---------------------------------------------------------------------------------------------
// Printing again: the sealed copies of codes still open

async function openSlipsOf(rows: { id: string; studentId: string; sealedCode: string | null; expiresAt: Date; guardianContactId: string | null }[]): Promise<LinkCodeSlip[]> {
  const codes: IssuedCode[] = [];
  for (const r of rows) {
    const code = r.sealedCode ? await unsealCode(r.sealedCode, r.id) : null;
    if (code) codes.push({ codeId: r.id, studentId: r.studentId, code, expiresAt: r.expiresAt, guardianContactId: r.guardianContactId });
  }
  return linkSlipsOf(codes);
}

const openCodeColumns = {
  id: schema.guardianLinkCodes.id,
  studentId: schema.guardianLinkCodes.studentId,
  sealedCode: schema.guardianLinkCodes.sealedCode,
  expiresAt: schema.guardianLinkCodes.expiresAt,
  guardianContactId: schema.guardianLinkCodes.guardianContactId,
};

/**
 * The link codes still open that a class's slips can be printed from again: the school's admin sees every
 * one of the class; a teacher of the class only those they issued themself.
 */
export async function openLinkSlipsOfClass(actor: Actor, classId: string, now = Date.now()): Promise<LinkCodeSlip[]> {
  const { me, school } = await requireCodeIssuer(actor, classId);
  await forgetExpiredSealedCodes(now);
  const pupils = (await db()
      .select({ id: schema.classMemberships.userId })
      .from(schema.classMemberships)
      .where(and(eq(schema.classMemberships.classId, classId), eq(schema.classMemberships.role, "student"))))
    .map((r) => r.id);
  if (pupils.length === 0) return [];
  const mine = isSchoolAdminOf(me, school.id) ? undefined : eq(schema.guardianLinkCodes.issuedBy, me.id);
  const rows = await db()
      .select(openCodeColumns)
      .from(schema.guardianLinkCodes)
      .where(and(inArray(schema.guardianLinkCodes.studentId, pupils), printableLinkCode(), gt(schema.guardianLinkCodes.expiresAt, new Date(now)), mine));
  return openSlipsOf(rows);
}

/** The open link codes a roster import pre-issued, for the school's own admin (others: 404, as for an unknown import). */
export async function openLinkSlipsOfImport(actor: Actor, importId: string, now = Date.now()): Promise<LinkCodeSlip[]> {
  const me = requireSignedIn(actor);
  const found = await first(db().select({ schoolId: schema.rosterImports.schoolId }).from(schema.rosterImports).where(eq(schema.rosterImports.id, importId)).limit(1));
  if (!found || !isSchoolAdminOf(me, found.schoolId)) throw new NotFoundError();
  await forgetExpiredSealedCodes(now);
  const rows = await db()
      .select(openCodeColumns)
      .from(schema.guardianLinkCodes)
      .where(and(eq(schema.guardianLinkCodes.rosterImportId, importId), printableLinkCode(), gt(schema.guardianLinkCodes.expiresAt, new Date(now))));
  return openSlipsOf(rows);
}

/** Every open link code of the actor's school (its admin only), for /school/slips. */
export async function openLinkSlipsOfSchool(actor: Actor, now = Date.now()): Promise<LinkCodeSlip[]> {
  const me = requireSignedIn(actor);
  const schoolId = adminSchoolOf(me);
  await forgetExpiredSealedCodes(now);
  const rows = await db()
      .select(openCodeColumns)
      .from(schema.guardianLinkCodes)
      .innerJoin(schema.users, eq(schema.users.id, schema.guardianLinkCodes.studentId))
      .where(and(eq(schema.users.schoolId, schoolId), printableLinkCode(), gt(schema.guardianLinkCodes.expiresAt, new Date(now))));
  return openSlipsOf(rows);
}

// ---------------------------------------------------------------------------------------------
// Using a code

type Client = { address: string; userAgent?: string | null };
type CodeRow = typeof schema.guardianLinkCodes.$inferSelect;

function codeThrottleKeys(code: string, client: Client, person?: SignedInActor): ThrottleKey[] {
  const keys = throttleKeys("guardian-link", normalizeCode(code).slice(0, THROTTLE_PREFIX) || "-", client.address);
  // A signed-in guesser is also counted as themself, whichever addresses they come from.
  return person ? [...keys, { key: `guardian-link:user:${person.id}`, policy: POLICIES.account }] : keys;
}

/**
 * The code's row if it can link a child now; otherwise the failure is counted and refused with its own
 * message (mistyped, used, voided, expired), beside the code field.
 */
async function usableCode(code: string, keys: ThrottleKey[], now: number): Promise<CodeRow & { student: { id: string; realName: string; schoolId: string | null } }> {
  await assertNotThrottled(keys, now);
  const row = await first(db().select().from(schema.guardianLinkCodes).where(eq(schema.guardianLinkCodes.codeHash, hashLinkCode(code))).limit(1));
  const student = row ? await first(db().select({ id: schema.users.id, realName: schema.users.realName, schoolId: schema.users.schoolId, status: schema.users.status }).from(schema.users).where(eq(schema.users.id, row.studentId)).limit(1)) : undefined;
  const fail = async (key: string): Promise<never> => {
    await recordFailure(keys, now);
    throw new ValidationError({ code: { key } });
  };
  if (!row || !student) return fail("guardianLinks:errors.codeWrong");
  if (row.usedAt) return fail("guardianLinks:errors.codeUsed");
  if (row.voidedAt || student.status === "disabled") return fail("guardianLinks:errors.codeVoided");
  if (row.expiresAt.getTime() <= now) return fail("guardianLinks:errors.codeExpired");
  return { ...row, student };
}

/** Marks the code used, or refuses: of two people using one code at once, only one finds it unused. */
async function claimCode(tx: Tx, codeId: string, userId: string, now: number): Promise<void> {
  const claimed = await changedRows(tx
    .update(schema.guardianLinkCodes)
    .set({ usedAt: new Date(now), usedBy: userId, sealedCode: null })
    .where(and(eq(schema.guardianLinkCodes.id, codeId), isNull(schema.guardianLinkCodes.usedAt), isNull(schema.guardianLinkCodes.voidedAt)))
    );
  if (claimed !== 1) throw new ValidationError({ code: { key: "guardianLinks:errors.codeUsed" } });
}

async function linkChild(tx: Tx, guardianId: string, code: CodeRow & { student: { id: string; schoolId: string | null } }, now: number, via: "join" | "add"): Promise<string> {
  await claimCode(tx, code.id, guardianId, now);
  const linkId = randomId();
  await tx.insert(schema.guardianLinks).values({ id: linkId, guardianId, studentId: code.student.id, relationship: "guardian", consentState: "none", createdAt: new Date(now) });
  await recordAudit({ actorId: guardianId, action: "guardian_link.create", targetType: "user", targetId: code.student.id, schoolId: code.student.schoolId, detail: { guardianId, linkId, via } }, tx);
  return linkId;
}

/** Mainland mobile numbers: 11 digits starting with 1; spaces, dashes and a +86 in front are dropped. */
export function normalizePhone(phone: string): string {
  return phone.normalize("NFKC").replace(/[\s()-]/g, "").replace(/^(\+?86)(?=1\d{10}$)/, "");
}

const joinInput = z.object({
  code: z.string().trim().min(1, "guardianLinks:errors.codeRequired").max(64, "guardianLinks:errors.codeWrong"),
  realName: z.string().trim().min(1, "guardianLinks:errors.realNameRequired").max(100, "guardianLinks:errors.realNameTooLong"),
  phone: z
    .string()
    .transform(normalizePhone)
    .pipe(z.string().min(1, "guardianLinks:errors.phoneRequired").regex(/^1\d{10}$/, "guardianLinks:errors.phoneInvalid")),
  password: z.string().min(1, "auth:passwordTooShort").max(PASSWORD_MAX * 4, "auth:passwordTooLong"),
  confirm: z.string(),
  locale: z.enum(["zh-Hans", "bo", "ii", "en"]).optional(),
});
export type JoinInput = z.input<typeof joinInput>;

/**
 * Opens a parent account with a child's link code: real name, phone (the login name), password. The code
 * is checked first (throttled), so nothing about phones or children is told to someone without one.
 * Returns a new session, acting as parent.
 */
export async function joinWithCode(raw: JoinInput, client: Client, now = Date.now()): Promise<{ token: string; session: Session; studentId: string }> {
  const parsed = joinInput.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const input = parsed.data;
  const keys = codeThrottleKeys(input.code, client);
  const code = await usableCode(input.code, keys, now);

  const fields: FieldErrors = {};
  if (await loginTaken(input.phone)) fields.phone = { key: "guardianLinks:errors.phoneTaken" };
  const problem = passwordProblem(input.password, input.phone);
  if (problem) fields.password = { key: problem };
  else if (input.password !== input.confirm) fields.confirm = { key: "auth:confirmMismatch" };
  if (Object.keys(fields).length) throw new ValidationError(fields);

  const passwordHash = await hashPassword(input.password);
  const userId = randomId();
  await db().transaction(
    async (tx) => {
      // Checked again inside the write: two people may have typed the same phone at once.
      if (await loginTaken(input.phone, tx)) throw new ValidationError({ phone: { key: "guardianLinks:errors.phoneTaken" } });
      await tx.insert(schema.users)
              .values({
                id: userId,
                handle: await freeParentHandle(tx),
                loginName: input.phone,
                realName: input.realName,
                schoolId: null,
                phone: input.phone,
                locale: input.locale ?? null,
                status: "active",
                passwordHash,
                activatedAt: new Date(now),
                passwordChangedAt: new Date(now),
                createdAt: new Date(now),
              });
      await tx.insert(schema.userRoles).values({ userId, role: "parent", createdAt: new Date(now) });
      await linkChild(tx, userId, code, now, "join");
      await recordAudit({ actorId: userId, action: "account.activate", targetType: "user", targetId: userId, detail: { via: "guardian_link_code" } }, tx);
    },
    { behavior: "immediate" },
  );
  await clearFailures(keys);
  const { token, session } = await createSession(userId, { remember: false, activeRole: "parent", userAgent: client.userAgent }, now);
  return { token, session, studentId: code.student.id };
}

async function loginTaken(loginName: string, tx: Pick<Tx, "select"> = db()): Promise<boolean> {
  return Boolean(await first(tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.loginName, loginName)).limit(1)));
}

// The handle is public (/u/:handle): never the phone number.
async function freeParentHandle(tx: Tx): Promise<string> {
  let handle = `p-${randomId(5)}`;
  while (await first(tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.handle, handle)).limit(1))) handle = `p-${randomId(5)}`;
  return handle;
}

/**
 * Whether a signed-in person may add a child to their account. A student's account is a child's own:
 * a parent who is also a student of the platform (rare: adult vocational students) gets a parent account.
 */
export function mayAddChild(actor: Actor): boolean {
  return Boolean(actor && !actor.roles.some((g) => g.role === "student"));
}

/**
 * A signed-in person adds a child with a link code: the child joins the children of this one account,
 * the parent role is added if they lacked it, and this session switches to acting as parent (a teacher
 * who is a parent keeps one account and switches back in the header).
 */
export async function addChildWithCode(actor: Actor, rawCode: string, client: Client, now = Date.now()): Promise<{ studentId: string; realName: string; addedParentRole: boolean }> {
  const me = requireSignedIn(actor);
  if (!mayAddChild(me)) throw new ForbiddenError("guardianLinks:errors.studentCannotLink");
  const parsed = joinInput.shape.code.safeParse(rawCode);
  if (!parsed.success) throw new ValidationError({ code: { key: parsed.error.issues[0]?.message ?? "guardianLinks:errors.codeRequired" } });
  const keys = codeThrottleKeys(parsed.data, client, me);
  const code = await usableCode(parsed.data, keys, now);
  if (code.student.id === me.id) throw new ValidationError({ code: { key: "guardianLinks:errors.ownCode" } });
  const linked = await first(db()
      .select({ id: schema.guardianLinks.id })
      .from(schema.guardianLinks)
      .where(and(eq(schema.guardianLinks.guardianId, me.id), eq(schema.guardianLinks.studentId, code.student.id))).limit(1));
  // Not counted as a failure, and the code stays unused: the child's other parent can still use it.
  if (linked) throw new ValidationError({ code: { key: "guardianLinks:errors.alreadyLinked", params: { name: code.student.realName } } });
  const addedParentRole = !me.roles.some((g) => g.role === "parent");
  await db().transaction(
    async (tx) => {
      if (addedParentRole) await tx.insert(schema.userRoles).values({ userId: me.id, role: "parent", createdAt: new Date(now) }).onConflictDoNothing();
      await linkChild(tx, me.id, code, now, "add");
      await tx.update(schema.sessions).set({ activeRole: "parent" }).where(eq(schema.sessions.id, me.sessionId));
    },
    { behavior: "immediate" },
  );
  await clearFailures(keys);
  return { studentId: code.student.id, realName: code.student.realName, addedParentRole };
}

// ---------------------------------------------------------------------------------------------
// Who is linked

export type GuardianOfChild = {
  linkId: string;
  guardianName: string;
  relationship: "mother" | "father" | "guardian";
  consentState: "none" | "given" | "refused" | "withdrawn";
  linkedAt: Date;
};

/** Whether the actor teaches (acting as teacher) a current class the student is in. */
async function teachesStudent(me: SignedInActor, studentId: string): Promise<boolean> {
  if (me.activeRole !== "teacher") return false;
  const mine = (await db()
      .select({ classId: schema.classMemberships.classId })
      .from(schema.classMemberships)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
      .where(and(eq(schema.classMemberships.userId, me.id), eq(schema.classMemberships.role, "teacher"), isNull(schema.classes.archivedAt))))
    .map((r) => r.classId);
  return (someInOrder(mine, async (classId) => membership(classId, studentId, "student")));
}

async function guardianRows(studentIds: string[]): Promise<(GuardianOfChild & { studentId: string })[]> {
  if (studentIds.length === 0) return [];
  return db()
      .select({
        linkId: schema.guardianLinks.id,
        studentId: schema.guardianLinks.studentId,
        guardianName: schema.users.realName,
        relationship: schema.guardianLinks.relationship,
        consentState: schema.guardianLinks.consentState,
        linkedAt: schema.guardianLinks.createdAt,
      })
      .from(schema.guardianLinks)
      .innerJoin(schema.users, eq(schema.users.id, schema.guardianLinks.guardianId))
      .where(inArray(schema.guardianLinks.studentId, studentIds))
      .orderBy(schema.guardianLinks.createdAt);
}

/** The guardians linked to a student: seen by the student themself, the school's admins and the child's class teachers. */
export async function guardiansOf(actor: Actor, studentId: string): Promise<GuardianOfChild[]> {
  const me = requireSignedIn(actor);
  const student = await first(db().select({ id: schema.users.id, schoolId: schema.users.schoolId }).from(schema.users).where(eq(schema.users.id, studentId)).limit(1));
  if (!student) throw new NotFoundError();
  const self = me.id === studentId && me.activeRole === "student";
  if (!self && !(student.schoolId && isSchoolAdminOf(me, student.schoolId)) && !await teachesStudent(me, studentId)) throw new ForbiddenError();
  return (await guardianRows([studentId])).map(({ studentId: _, ...g }) => g);
}

/** The guardians of every student of a class, for its school's admins (who may remove links). */
export async function guardiansOfClass(actor: Actor, classId: string): Promise<Record<string, GuardianOfChild[]>> {
  const me = requireSignedIn(actor);
  const klass = await first(db().select({ schoolId: schema.classes.schoolId }).from(schema.classes).where(eq(schema.classes.id, classId)).limit(1));
  if (!klass) throw new NotFoundError();
  if (!isSchoolAdminOf(me, klass.schoolId)) throw new ForbiddenError();
  const studentIds = (await db()
      .select({ id: schema.classMemberships.userId })
      .from(schema.classMemberships)
      .where(and(eq(schema.classMemberships.classId, classId), eq(schema.classMemberships.role, "student"))))
    .map((r) => r.id);
  const byStudent: Record<string, GuardianOfChild[]> = {};
  for (const { studentId, ...g } of await guardianRows(studentIds)) (byStudent[studentId] ??= []).push(g);
  return byStudent;
}

/** The school admin of the child's school removes a link (a wrong person linked, a custody change). */
export async function removeGuardianLink(actor: Actor, linkId: string): Promise<void> {
  const me = requireSignedIn(actor);
  const link = await first(db()
      .select({ id: schema.guardianLinks.id, guardianId: schema.guardianLinks.guardianId, studentId: schema.guardianLinks.studentId, schoolId: schema.users.schoolId })
      .from(schema.guardianLinks)
      .innerJoin(schema.users, eq(schema.users.id, schema.guardianLinks.studentId))
      .where(eq(schema.guardianLinks.id, linkId)).limit(1));
  if (!link) throw new NotFoundError();
  if (!link.schoolId || !isSchoolAdminOf(me, link.schoolId)) throw new ForbiddenError();
  await db().transaction(
    async (tx) => {
      await tx.delete(schema.guardianLinks).where(eq(schema.guardianLinks.id, linkId));
      await recordAudit({ actorId: me.id, action: "guardian_link.remove", targetType: "user", targetId: link.studentId, schoolId: link.schoolId, detail: { guardianId: link.guardianId, linkId } }, tx);
    },
    { behavior: "immediate" },
  );
}
