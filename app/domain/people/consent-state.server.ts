// Whether a student has guardian consent on record, as columns any statement about people can carry:
// the newest consent record (paper or online) and the latest guardian link that says "given". Reading
// them with the person (the session, people's standing) spares the page a statement of its own.
import { sql, type SQL } from "drizzle-orm";
import { spell } from "#db/client";
import { knownForRequest } from "~/lib/request-scope.server";
import { shanghaiToday } from "../foundation/beijing-time.server";

/** Below this age (in whole years; PIPL art. 31) a student's space needs guardian consent. */
export const CONSENT_AGE = 14;

/**
 * Under 14 until the 14th birthday (a 29 February birthday counts from 1 March). An unknown birth date
 * counts as under 14: without it nobody can say consent is not needed.
 */
export function isUnderConsentAge(birthDate: string | null, today = shanghaiToday()): boolean {
  if (!birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return true;
  const birthday = `${Number(birthDate.slice(0, 4)) + CONSENT_AGE}${birthDate.slice(4)}`;
  return today < birthday;
}

/** What a guardian (online) or the school (from paper) records. */
export type ConsentDecision = "given" | "refused" | "withdrawn";

/** The request-scope kind under which each student's consent (a boolean) is shared. */
export const CONSENT_KIND = "consent";

export type ConsentColumns = {
  /** "<decision>:<created_at ms>" of the newest record (by decided_at, then created_at, then rowid), or null. */
  consentRecord: string | null;
  /** The latest consent_recorded_at of a guardian link in state "given" (0 when unrecorded), or null for none. */
  consentLink: number | null;
};

/**
 * The two columns for each row of `users` in a statement that selects from (or joins) `users`. The id
 * is written out qualified: drizzle leaves a column of a one-table query bare, and a bare "id" inside
 * the subqueries would be theirs.
 */
export function consentColumns(): { consentRecord: SQL<string | null>; consentLink: SQL<number | null> } {
  const userId = sql.raw(`"users"."id"`);
  return {
    consentRecord: sql<string | null>`(select cr.decision || ':' || cr.created_at from consent_records cr where cr.student_id = ${userId} order by cr.decided_at desc, cr.created_at desc, ${spell.insertionOrder("cr")} desc limit 1)`,
    consentLink: sql<number | null>`(select max(coalesce(gl.consent_recorded_at, 0)) from guardian_links gl where gl.student_id = ${userId} and gl.consent_state = 'given')`,
  };
}

/**
 * The rule: the newest record counts; a guardian link's "given" counts too, unless a record entered
 * after it says otherwise (a guardian who withdraws on paper closes the space even if a parent once
 * agreed online).
 */
export function hasConsent({ consentRecord, consentLink }: ConsentColumns): boolean {
  const [decision, createdAt] = consentRecord ? [consentRecord.slice(0, consentRecord.indexOf(":")), Number(consentRecord.slice(consentRecord.indexOf(":") + 1))] : [null, 0];
  if (decision === "given") return true;
  return consentLink !== null && (decision === null || consentLink > createdAt);
}

/** Shares what a statement found with the rest of the request (rollout.server's studentsWithConsent). */
export function knownConsent(userId: string, columns: ConsentColumns): boolean {
  const consented = hasConsent(columns);
  knownForRequest(CONSENT_KIND, userId, consented);
  return consented;
}
