// Guardian consent given online (PIPL art. 31): a linked parent reads what the child's space collects
// and shows, then gives, refuses or later withdraws consent. Each decision is a consent record like the
// school admin's paper one (rollout.server.ts), so "the newest record wins" decides either way, and it
// only ever opens or closes the space: class work (submissions, grades) stays where it is.
//
// Consent is the guardian's right, not a feature: it is not gated by the parents' phase or flag. A
// parent whose child's school is at phase 2 must be able to consent (or refuse) before the child's
// space opens.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { db, schema, first, spell } from "#db/client";
import type { Actor } from "../foundation/actor.server";
import { recordAudit } from "../foundation/audit.server";
import { ValidationError } from "../foundation/errors.server";
import { requireGuardianOf } from "../people/guardians.server";
import { randomId } from "../foundation/ids.server";
import { isUnderConsentAge, type ConsentDecision } from "../people/consent-state.server";
import { shanghaiToday } from "../foundation/beijing-time.server";
import { CONSENT_DECISIONS, OPENS_AT, effectivePhase, ownerSpaceStatus, studentsWithConsent } from "../rollout/rollout.server";
import { findSchool } from "../places/schools.server";

/** How long the space keeps a child's data after they leave the school (the notice says "one school year"). */
export const RETENTION_MONTHS_AFTER_LEAVING = 12;

export type ConsentState = ConsentDecision | "none";

export type ConsentHistoryEntry = {
  id: string;
  decision: ConsentDecision;
  method: "paper" | "online";
  guardianName: string;
  decidedAt: Date;
};

export type ConsentNotice = {
  child: { id: string; realName: string; schoolName: string; classNames: string[] };
  /** Whether the child is under 14 (or has no birth date on record): only then does the space wait for consent. */
  underConsentAge: boolean;
  /** What counts now, whoever recorded it (online or on paper): the newest decision. */
  state: ConsentState;
  /** Whether the school's phase (within its region's ceiling) lets students' spaces open at all. */
  phaseAllowsSpace: boolean;
  /** Whether the child's space is open right now. */
  spaceOpen: boolean;
  /** Every decision on record for the child, newest first (paper and online). */
  history: ConsentHistoryEntry[];
  retentionMonths: number;
};

async function historyOf(studentId: string): Promise<ConsentHistoryEntry[]> {
  return db()
      .select({ id: schema.consentRecords.id, decision: schema.consentRecords.decision, method: schema.consentRecords.method, guardianName: schema.consentRecords.guardianName, decidedAt: schema.consentRecords.decidedAt })
      .from(schema.consentRecords)
      .where(eq(schema.consentRecords.studentId, studentId))
      .orderBy(desc(schema.consentRecords.decidedAt), desc(schema.consentRecords.createdAt), sql`${spell.insertionOrder()} desc`);
}

/** The state that counts: consent on record (studentsWithConsent's rule), else the newest refusal or withdrawal. */
async function stateOf(studentId: string, history: ConsentHistoryEntry[], linkState: ConsentState): Promise<ConsentState> {
  if ((await studentsWithConsent([studentId])).has(studentId)) return "given";
  const newest = history[0]?.decision;
  if (newest && newest !== "given") return newest;
  return linkState === "given" ? "none" : linkState;
}

async function linkOf(parentId: string, studentId: string) {
  return (await first(db()
      .select({ id: schema.guardianLinks.id, consentState: schema.guardianLinks.consentState })
      .from(schema.guardianLinks)
      .where(and(eq(schema.guardianLinks.guardianId, parentId), eq(schema.guardianLinks.studentId, studentId))).limit(1)))!;
}

/** What the consent page shows a linked parent (acting as one); any other child reads as "not found". */
export async function consentNotice(actor: Actor, studentId: string, now = Date.now()): Promise<ConsentNotice> {
  const { parentId, child } = await requireGuardianOf(actor, studentId);
  const school = child.schoolId ? await findSchool(child.schoolId) : undefined;
  const classNames = (await db()
      .select({ name: schema.classes.name })
      .from(schema.classMemberships)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
      .where(and(eq(schema.classMemberships.userId, child.id), eq(schema.classMemberships.role, "student"), isNull(schema.classes.archivedAt))))
    .map((c) => c.name);
  const history = await historyOf(child.id);
  return {
    child: { id: child.id, realName: child.realName, schoolName: school?.name ?? "", classNames },
    underConsentAge: isUnderConsentAge(child.birthDate, shanghaiToday(now)),
    state: await stateOf(child.id, history, (await linkOf(parentId, child.id)).consentState),
    phaseAllowsSpace: school ? await effectivePhase(school) >= OPENS_AT.student : false,
    spaceOpen: (await ownerSpaceStatus(child.id, "student", now)).open,
    history,
    retentionMonths: RETENTION_MONTHS_AFTER_LEAVING,
  };
}

const decisionInput = z.enum(CONSENT_DECISIONS, { error: "consent:decisionInvalid" });

export type ConsentOutcome = { changed: boolean; state: ConsentState };

/**
 * The linked parent (acting as one) gives, refuses or withdraws consent for their child, online. One
 * transaction: a consent record (method "online", the parent's real name, decided now), the link's
 * state, and the audit event "consent.online". Withdrawing what is not given is refused with
 * "consent:notGiven"; giving what is given, or refusing again, changes nothing. Refusing once consent
 * is given is a withdrawal, and must say so: "consent:withdrawInstead".
 */
export async function decideConsent(actor: Actor, studentId: string, rawDecision: unknown, now = Date.now()): Promise<ConsentOutcome> {
  const { parentId, child } = await requireGuardianOf(actor, studentId);
  const parsed = decisionInput.safeParse(rawDecision);
  if (!parsed.success) throw new ValidationError({}, "consent:decisionInvalid");
  const decision = parsed.data;
  const parent = (await first(db().select({ realName: schema.users.realName }).from(schema.users).where(eq(schema.users.id, parentId)).limit(1)))!;
  return db().transaction(
    async (tx) => {
      // Read inside the write lock: two tabs sending "withdraw" at once record one withdrawal.
      const link = await linkOf(parentId, child.id);
      const current = await stateOf(child.id, await historyOf(child.id), link.consentState);
      if (decision === "withdrawn" && current !== "given") throw new ValidationError({}, "consent:notGiven");
      if (decision === "refused" && current === "given") throw new ValidationError({}, "consent:withdrawInstead");
      if (decision === current) return { changed: false, state: current };
      const recordId = randomId();
      const at = new Date(now);
      await tx.insert(schema.consentRecords)
              .values({ id: recordId, studentId: child.id, guardianName: parent.realName, method: "online", decision, decidedAt: at, recordedBy: parentId, createdAt: at });
      await tx.update(schema.guardianLinks).set({ consentState: decision, consentRecordedAt: at }).where(eq(schema.guardianLinks.id, link.id));
      await recordAudit(
        {
          actorId: parentId,
          action: "consent.online",
          targetType: "user",
          targetId: child.id,
          schoolId: child.schoolId,
          detail: { recordId, decision, method: "online", from: current, guardian: parent.realName },
        },
        tx,
      );
      return { changed: true, state: decision };
    },
    { behavior: "immediate" },
  );
}
