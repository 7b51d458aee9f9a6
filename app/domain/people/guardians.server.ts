// Guardian links (parent ↔ student): what a parent sees of the children linked to them.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { db, schema } from "#db/client";
import type { CONSENT_STATES } from "#db/schema";
import type { Lng } from "~/i18n";
import { localName } from "~/lib/local-names";
import { requireActingAs, type Actor } from "../foundation/actor.server";
import { consentColumns, knownConsent, type ConsentColumns, isUnderConsentAge } from "./consent-state.server";
import { DomainError, NotFoundError } from "../foundation/errors.server";
import { oncePerRequest } from "~/lib/request-scope.server";

export type ChildSummary = {
  studentId: string;
  realName: string;
  schoolName: string;
  classNames: string[];
  relationship: "mother" | "father" | "guardian";
  consentState: "none" | "given" | "refused" | "withdrawn";
  birthDate: string | null;
  /** Under 14 with no guardian consent on record: nothing of the child's work reaches the parent yet. */
  awaitsConsent: boolean;
};

/**
 * Every child linked to this parent, with their school and consent, in one statement read once per
 * request: the parent's pages list the children and then open one of them.
 */
async function linkedChildren(parentId: string) {
  return oncePerRequest(`linked-children:${parentId}`, async () =>
    db()
            .select({
              id: schema.users.id,
              realName: schema.users.realName,
              schoolId: schema.users.schoolId,
              birthDate: schema.users.birthDate,
              schoolName: schema.schools.name,
              schoolNames: schema.schools.names,
              relationship: schema.guardianLinks.relationship,
              consentState: schema.guardianLinks.consentState,
              ...consentColumns(),
            })
            .from(schema.guardianLinks)
            .innerJoin(schema.users, eq(schema.users.id, schema.guardianLinks.studentId))
            .leftJoin(schema.schools, eq(schema.schools.id, schema.users.schoolId))
            .where(eq(schema.guardianLinks.guardianId, parentId))
            .orderBy(schema.users.birthDate),
  );
}

/** The children linked to the actor, acting as a parent; nobody else's. School and class names in `lng` where the school gave them. */
export async function myChildren(actor: Actor, lng?: Lng): Promise<ChildSummary[]> {
  const { actor: parent } = requireActingAs(actor, "parent");
  const rows = (await linkedChildren(parent.id)).filter((r) => r.schoolName !== null);
  const memberships = rows.length
    ? await db()
              .select({ userId: schema.classMemberships.userId, name: schema.classes.name, names: schema.classes.names })
              .from(schema.classMemberships)
              .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
              .where(and(inArray(schema.classMemberships.userId, rows.map((r) => r.id)), isNull(schema.classes.archivedAt)))
    : [];
  return rows.map((r) => ({
    studentId: r.id,
    realName: r.realName,
    birthDate: r.birthDate,
    relationship: r.relationship,
    consentState: r.consentState,
    schoolName: localName({ name: r.schoolName!, names: r.schoolNames }, lng),
    classNames: memberships.filter((m) => m.userId === r.id).map((m) => localName(m, lng)),
    awaitsConsent: awaitsGuardianConsent(r),
  }));
}

/**
 * The child, if the actor (acting as a parent) is linked to them. Any other child — same class, other
 * school, a made-up id — reads as "not found": a parent's URL never tells whether another child exists.
 * `schoolName` is in `lng` where the school gave it.
 */
export async function requireGuardianOf(
  actor: Actor,
  studentId: string,
  lng?: Lng,
): Promise<{
  parentId: string;
  child: { id: string; realName: string; schoolId: string | null; birthDate: string | null; schoolName: string };
  consentState: (typeof CONSENT_STATES)[number];
  awaitsConsent: boolean;
}> {
  const { actor: parent } = requireActingAs(actor, "parent");
  const found = (await linkedChildren(parent.id)).find((r) => r.id === studentId);
  if (!found) throw new NotFoundError();
  const { id, realName, schoolId, birthDate, schoolName, schoolNames, consentState } = found;
  const child = { id, realName, schoolId, birthDate, schoolName: schoolName === null ? "" : localName({ name: schoolName, names: schoolNames }, lng) };
  return { parentId: parent.id, child, consentState, awaitsConsent: awaitsGuardianConsent(found) };
}

/**
 * PIPL art. 31: the work of a child under 14 (or of unknown age) reaches nobody through the app, the
 * child's own parents included, until a guardian's consent is on record (online or the school's paper
 * record). Parents' pages then show only that consent is needed and where to give it.
 */
function awaitsGuardianConsent(child: { id: string; birthDate: string | null } & ConsentColumns): boolean {
  return isUnderConsentAge(child.birthDate) && !knownConsent(child.id, child);
}

/** requireGuardianOf, and refuses a child whose work waits for consent (for acts on the child's work, e.g. 已阅). */
export async function requireConsentedChild(actor: Actor, studentId: string): Promise<ReturnType<typeof requireGuardianOf>> {
  const guardian = await requireGuardianOf(actor, studentId);
  if (guardian.awaitsConsent) throw new DomainError("progress:consentNeeded.body", 403);
  return guardian;
}
