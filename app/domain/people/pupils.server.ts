// The school admin's lists of pupils: search, filters and pages for a school of 1,500. The database
// does the filtering, the counting and the paging in one statement per page (the consent state is a
// correlated subquery, not a query per pupil), so a page costs the same whatever the school's size.
import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db, schema, selectRows, spell } from "#db/client";
import { requireActingAs, type Actor, type SignedInActor } from "../foundation/actor.server";
import { ForbiddenError } from "../foundation/errors.server";
import { CONSENT_AGE, type ConsentDecision } from "./consent-state.server";
import { shanghaiToday } from "../foundation/beijing-time.server";
import { findSchool, type School } from "../places/schools.server";

/** No page of pupils is longer than this. */
export const PUPIL_PAGE_SIZE = 100;
/** "missing" = under 14 without consent on record (the rollout page's list); "all" = no filter. */
export const CONSENT_FILTERS = ["all", "missing", "none", "given", "refused", "withdrawn"] as const;
export type ConsentFilter = (typeof CONSENT_FILTERS)[number];
export type PupilConsentState = ConsentDecision | "none";

export type PupilQuery = { q: string; classId: string | null; consent: ConsentFilter; page: number };

export type PupilRow = {
  studentId: string;
  realName: string;
  loginName: string;
  studentNumber: string | null;
  birthDate: string | null;
  classId: string | null;
  className: string | null;
  consent: PupilConsentState;
  /** The newest paper or online decision on record, whatever counts now. */
  lastDecision: ConsentDecision | null;
  underConsentAge: boolean;
};

export type PupilPage = {
  query: PupilQuery;
  rows: PupilRow[];
  total: number;
  /** 1-based numbers of the first and last row shown (0 and 0 when none). */
  first: number;
  last: number;
  pageCount: number;
};

const queryInput = z.object({
  q: z.string().trim().max(50).catch(""),
  classId: z.string().trim().min(1).max(64).nullable().catch(null),
  consent: z.enum(CONSENT_FILTERS).nullable().catch(null),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

/**
 * A list's query from the URL (`q`, `class`, `consent`, `page`): anything unreadable falls back to
 * the default instead of refusing the page, since these come from bookmarks and hand-edited links.
 */
export function parsePupilQuery(params: URLSearchParams, defaults: { consent: ConsentFilter }): PupilQuery {
  const parsed = queryInput.parse({ q: params.get("q") ?? "", classId: params.get("class") || null, consent: params.get("consent") || null, page: params.get("page") ?? 1 });
  return { q: parsed.q, classId: parsed.classId, consent: parsed.consent ?? defaults.consent, page: parsed.page };
}

/** Folds text for substring search the way the query is folded: NFKC and lower case. */
function foldQuery(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

// Names and class names are stored as typed, so the stored side is folded in SQL too. Plain
// replace() (portable to PostgreSQL) covers what NFKC changes in class and pupil names in practice:
// full-width brackets, digits and spaces ("五年级（2）班" is found by "五年级(2)").
const FULL_WIDTH: [string, string][] = [["（", "("], ["）", ")"], ["\u3000", " "], ...Array.from({ length: 10 }, (_, d): [string, string] => [String.fromCharCode(0xff10 + d), String(d)])];
function foldedSql(column: SQL): SQL {
  return FULL_WIDTH.reduce<SQL>((folded, [from, to]) => sql`replace(${folded}, ${from}, ${to})`, sql`lower(${column})`);
}

/** The acting school admin and their school; anyone else is refused by role (403). */
export async function pupilListAdmin(actor: Actor): Promise<{ admin: SignedInActor; school: School }> {
  const { actor: admin, grant } = requireActingAs(actor, "school_admin");
  const school = grant.schoolId ? await findSchool(grant.schoolId) : undefined;
  if (!school) throw new ForbiddenError();
  return { admin, school };
}

type RawRow = {
  id: string;
  real_name: string;
  login_name: string;
  student_number: string | null;
  birth_date: string | null;
  class_id: string | null;
  class_name: string | null;
  consent: PupilConsentState;
  last_decision: ConsentDecision | null;
  under_age: number;
  total: number;
};

/**
 * One page of the pupils of the admin's own school matching `query`: a substring of the real name,
 * the login name or the class name, a class, a consent state. Ordered by class (grade, name), then
 * login name. The consent state follows rollout.server's rule: the newest paper or online record
 * counts, and a guardian link's "given" counts unless a record entered after it says otherwise.
 */
export async function schoolPupils(actor: Actor, query: PupilQuery, now = Date.now()): Promise<PupilPage> {
  const { school } = await pupilListAdmin(actor);
  return pupilPageOf(school.id, query, PUPIL_PAGE_SIZE, now);
}

/** The page itself, for this module's callers that have already checked the admin (no check here). */
export async function pupilPageOf(schoolId: string, query: PupilQuery, pageSize = PUPIL_PAGE_SIZE, now = Date.now()): Promise<PupilPage> {
  const today = shanghaiToday(now);
  // Born after this date (as YYYY-MM-DD text) = not yet 14 today; 29 February counts from 1 March.
  const fourteenYearsAgo = `${Number(today.slice(0, 4)) - CONSENT_AGE}${today.slice(4)}`;
  const conditions: SQL[] = [];
  const q = foldQuery(query.q);
  if (q) {
    conditions.push(sql`(${spell.contains(foldedSql(sql`p.real_name`), q)} or ${spell.contains(sql`p.login_name`, q)} or ${spell.contains(foldedSql(sql`c.name`), q)})`);
  }
  // By membership, not by current class: an archived class's page still lists its pupils.
  if (query.classId) conditions.push(sql`exists (select 1 from class_memberships m where m.user_id = p.id and m.class_id = ${query.classId} and m.role = 'student')`);
  if (query.consent === "missing") conditions.push(sql`p.status <> 'disabled' and p.under_age and p.consent <> 'given'`);
  else if (query.consent !== "all") conditions.push(sql`p.consent = ${query.consent}`);
  const where = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const offset = (query.page - 1) * pageSize;

  const pupils = (tail: SQL) => sql`
    with base as (
      select u.id, u.real_name, u.login_name, u.student_number, u.birth_date, u.status,
        (select m.class_id from class_memberships m join classes k on k.id = m.class_id
          where m.user_id = u.id and m.role = 'student' and k.archived_at is null order by k.year desc limit 1) as class_id,
        (select r.decision from consent_records r where r.student_id = u.id
          order by r.decided_at desc, r.created_at desc, ${spell.insertionOrder("r")} desc limit 1) as last_decision,
        (select r.created_at from consent_records r where r.student_id = u.id
          order by r.decided_at desc, r.created_at desc, ${spell.insertionOrder("r")} desc limit 1) as last_entered_at,
        (select max(coalesce(l.consent_recorded_at, 0)) from guardian_links l
          where l.student_id = u.id and l.consent_state = 'given') as link_given_at
      from user_roles g join users u on u.id = g.user_id
      where g.school_id = ${schoolId} and g.role = 'student'
    ),
    p as (
      select base.*,
        case when last_decision = 'given' or (link_given_at is not null and (last_entered_at is null or link_given_at > last_entered_at)) then 'given'
             else coalesce(last_decision, 'none') end as consent,
        (birth_date is null or not ${spell.isIsoDate(sql`birth_date`)} or birth_date > ${fourteenYearsAgo}) as under_age
      from base
    )
    select p.id, p.real_name, p.login_name, p.student_number, p.birth_date, p.class_id, c.name as class_name, p.consent, p.last_decision, p.under_age,
      count(*) over () as total
    from p left join classes c on c.id = p.class_id
    ${where}
    ${tail}`;
  const raw = await selectRows<RawRow>(pupils(sql`order by c.grade is null, c.grade, c.name, p.login_name limit ${pageSize} offset ${offset}`));
  // A page past the end (an old bookmark) still says how many there are.
  const total = raw[0]?.total ?? (offset > 0 ? ((await selectRows<RawRow>(pupils(sql`limit 1`)))[0]?.total ?? 0) : 0);
  return {
    query,
    rows: raw.map((r) => ({
      studentId: r.id,
      realName: r.real_name,
      loginName: r.login_name,
      studentNumber: r.student_number,
      birthDate: r.birth_date,
      classId: r.class_id,
      className: r.class_name,
      consent: r.consent,
      lastDecision: r.last_decision,
      underConsentAge: Boolean(r.under_age),
    })),
    total,
    first: raw.length ? offset + 1 : 0,
    last: offset + raw.length,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}

/** The school's current classes, for a list's class filter. */
export async function pupilClassOptions(schoolId: string): Promise<{ id: string; name: string }[]> {
  return db()
      .select({ id: schema.classes.id, name: schema.classes.name })
      .from(schema.classes)
      .where(and(eq(schema.classes.schoolId, schoolId), isNull(schema.classes.archivedAt)))
      .orderBy(schema.classes.grade, schema.classes.name);
}
