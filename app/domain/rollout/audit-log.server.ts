// The audit log read back by admins, each within their own scope (their school, their region's
// subtree, or everything). Events are written by audit.server's recordAudit.
import { and, desc, eq, inArray, lt, notInArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db, schema, first, spell } from "#db/client";
import type { Role } from "#db/schema";
import { requireSignedIn, type Actor } from "../foundation/actor.server";
import { STAFF_ROLES } from "../foundation/audit.server";
import { ForbiddenError, ValidationError } from "../foundation/errors.server";
import { regionSubtreeIds } from "../places/regions.server";

export const AUDIT_PAGE_SIZE = 50;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export type AuditFilters = { action?: string; who?: string; from?: string; to?: string };

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "audit:dateInvalid")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "audit:dateInvalid");
const filterInput = z.object({
  action: z.string().trim().max(64, "audit:actionInvalid").regex(/^[a-z0-9_.]*$/, "audit:actionInvalid").optional(),
  who: z.string().trim().max(64, "audit:whoInvalid").optional(),
  from: isoDate.optional().or(z.literal("")),
  to: isoDate.optional().or(z.literal("")),
});

export type AuditScope = { kind: "school"; schoolId: string } | { kind: "region"; regionId: string } | { kind: "all" };

/** A pupil or a parent, shown to region and platform admins only as this label. */
export type AnonymousPerson = "student" | "parent";

export type AuditRow = {
  id: string;
  at: Date;
  action: string;
  actor: { realName: string; loginName: string } | null;
  /** Set (and `actor` null) when the actor is a pupil or a parent the reader may not know by name. */
  actorAnonymous: AnonymousPerson | null;
  targetType: string;
  targetId: string | null;
  /** The target's name as it is now (a person's real name, a class, school or region name), if known. */
  targetName: string | null;
  /** Set (and `targetId`, `targetName` null) when the target is a pupil or a parent the reader may not know. */
  targetAnonymous: AnonymousPerson | null;
  schoolName: string | null;
  detail: Record<string, unknown> | null;
  /** True when the reader may not see this action's detail (above the school): show the action, not its facts. */
  detailHidden: boolean;
  /** People the detail names by id (`authorId` → "author", `guardianId` → "guardian"), resolved for the reader. */
  people: Record<string, AuditPerson>;
  /** A batch's list of people (detail.people, detail.students…), resolved for the reader; null when not a batch. */
  list: AuditPerson[] | null;
};

/** A person named in an event, or the anonymous word the reader sees instead. */
export type AuditPerson = { name: string; anonymous: null } | { name: null; anonymous: AnonymousPerson };

/** Detail fields holding one person's id, and the name the sentence gives them. */
const PERSON_FIELDS = { authorId: "author", guardianId: "guardian" } as const;
/** Detail fields holding a batch's people: user ids, or `{ id }` / `{ name }` objects. */
const LIST_FIELDS = ["people", "students", "pupils", "guardians"] as const;

function listOf(detail: Record<string, unknown> | null): unknown[] | null {
  for (const field of LIST_FIELDS) if (Array.isArray(detail?.[field])) return detail[field] as unknown[];
  return null;
}
const idOfListed = (x: unknown): string | null =>
  typeof x === "string" ? x : x && typeof x === "object" && typeof (x as { id?: unknown }).id === "string" ? (x as { id: string }).id : null;

/** Every user id a page's details name (single fields and batch lists), to resolve in one query. */
function detailPersonIds(rows: { detail: Record<string, unknown> | null }[]): string[] {
  const ids = new Set<string>();
  for (const r of rows) {
    for (const field of Object.keys(PERSON_FIELDS)) if (typeof r.detail?.[field] === "string") ids.add(r.detail[field] as string);
    for (const x of listOf(r.detail) ?? []) {
      const id = idOfListed(x);
      if (id) ids.add(id);
    }
  }
  return [...ids];
}

/** `scopeName`: the school or region the reader sees, or null for everything. */
export type AuditPage = { scope: AuditScope; scopeName: string | null; events: AuditRow[]; nextCursor: string | null };

/** What the acting role may read: a school admin their school, a region admin their subtree, the platform admin all. */
function auditScope(actor: Actor): AuditScope {
  const signedIn = requireSignedIn(actor);
  const grant = signedIn.roles.find((g) => g.role === signedIn.activeRole);
  if (grant?.role === "platform_admin") return { kind: "all" };
  if (grant?.role === "school_admin" && grant.schoolId) return { kind: "school", schoolId: grant.schoolId };
  if (grant?.role === "region_admin" && grant.regionId) return { kind: "region", regionId: grant.regionId };
  throw new ForbiddenError();
}

// Cursor = the last row's time and id: stable under new events arriving at the top, unlike an offset.
function encodeCursor(row: { at: Date; id: string }): string {
  return `${row.at.getTime()}.${row.id}`;
}
function decodeCursor(cursor: string): { at: number; id: string } | null {
  const m = /^(\d{1,15})\.([a-z0-9]{1,40})$/.exec(cursor);
  return m ? { at: Number(m[1]), id: m[2]! } : null;
}

/** A date typed as YYYY-MM-DD means that day in Beijing time. */
function shanghaiMidnightUtc(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS;
}

/**
 * Audit events in the actor's scope, newest first, `limit` at a time. Filters: action prefix (e.g.
 * "class" or "class.move"), who (the acting person's login name), from/to dates (inclusive, Beijing time).
 */
export async function listAuditEvents(actor: Actor, filters: AuditFilters = {}, cursor?: string | null, limit = AUDIT_PAGE_SIZE): Promise<AuditPage> {
  const scope = auditScope(actor);
  const parsed = filterInput.safeParse(filters);
  if (!parsed.success) {
    const fields: Record<string, { key: string }> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? "form")] ??= { key: issue.message };
    throw new ValidationError(fields);
  }
  const f = parsed.data;
  const e = schema.auditEvents;
  const where: SQL[] = [];

  if (scope.kind === "school") where.push(eq(e.schoolId, scope.schoolId));
  if (scope.kind === "region") {
    const regionIds = await regionSubtreeIds(scope.regionId);
    const schoolIds = db().select({ id: schema.schools.id }).from(schema.schools).where(inArray(schema.schools.regionId, regionIds));
    where.push(
      or(
        inArray(e.schoolId, schoolIds),
        and(eq(e.targetType, "region"), inArray(e.targetId, regionIds)),
        inArray(spell.jsonText(e.detail, "regionId"), regionIds),
        // Region-level flag overrides name their place as { scope: "region", scopeId }.
        and(sql`${spell.jsonText(e.detail, "scope")} = 'region'`, inArray(spell.jsonText(e.detail, "scopeId"), regionIds)),
      )!,
    );
  }
  if (f.action) {
    const prefix = f.action.replace(/\.$/, "");
    // "class" matches "class" and "class.*", not "classroom.*". `_` is a LIKE wildcard: escaped.
    const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
    where.push(or(eq(e.action, prefix), sql`${e.action} like ${escaped + ".%"} escape '\\'`)!);
  }
  if (f.who) {
    const login = f.who.normalize("NFKC").trim().toLowerCase();
    if (scope.kind === "school") {
      where.push(inArray(e.actorId, db().select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.loginName, login))));
    } else {
      // Above the school only staff are found by name: a pupil's or parent's login finds nothing, and
      // a staff member's own acts as a guardian stay out, or the filter would name the anonymous parent.
      const staff = db().select({ id: schema.userRoles.userId }).from(schema.userRoles).where(inArray(schema.userRoles.role, STAFF_ROLES));
      const pupils = db().select({ id: schema.userRoles.userId }).from(schema.userRoles).where(eq(schema.userRoles.role, "student"));
      where.push(
        inArray(e.actorId, db().select({ id: schema.users.id }).from(schema.users).where(and(eq(schema.users.loginName, login), inArray(schema.users.id, staff), notInArray(schema.users.id, pupils)))),
        notInArray(e.action, [...GUARDIAN_ACTIONS]),
      );
    }
  }
  if (f.from) where.push(sql`${e.at} >= ${shanghaiMidnightUtc(f.from)}`);
  if (f.to) where.push(sql`${e.at} < ${shanghaiMidnightUtc(f.to) + DAY_MS}`);
  const after = cursor ? decodeCursor(cursor) : null;
  if (cursor && !after) throw new ValidationError({}, "audit:cursorInvalid");
  if (after) where.push(or(lt(e.at, new Date(after.at)), and(eq(e.at, new Date(after.at)), lt(e.id, after.id)))!);

  const rows = await db()
      .select({
        id: e.id,
        at: e.at,
        action: e.action,
        actorId: e.actorId,
        targetType: e.targetType,
        targetId: e.targetId,
        detail: e.detail,
        actorRealName: schema.users.realName,
        actorLoginName: schema.users.loginName,
        schoolName: schema.schools.name,
      })
      .from(e)
      .leftJoin(schema.users, eq(schema.users.id, e.actorId))
      .leftJoin(schema.schools, eq(schema.schools.id, e.schoolId))
      .where(where.length ? and(...where) : undefined)
      .orderBy(desc(e.at), desc(e.id))
      .limit(limit + 1);
  const page = rows.slice(0, limit);
  const named = detailPersonIds(page);
  const names = await targetNames(page, named);
  const hidden = scope.kind === "school" ? null : await protectedPeople(page, named);
  const scopeName =
    scope.kind === "school"
      ? ((await first(db().select({ name: schema.schools.name }).from(schema.schools).where(eq(schema.schools.id, scope.schoolId)).limit(1)))?.name ?? null)
      : scope.kind === "region"
        ? ((await first(db().select({ name: schema.regions.name }).from(schema.regions).where(eq(schema.regions.id, scope.regionId)).limit(1)))?.name ?? null)
        : null;
  return {
    scope,
    scopeName,
    events: page.map((r) => {
      const row: AuditRow = {
        id: r.id,
        at: r.at,
        action: r.action,
        actor: r.actorRealName !== null && r.actorLoginName !== null ? { realName: r.actorRealName, loginName: r.actorLoginName } : null,
        actorAnonymous: null,
        targetType: r.targetType,
        targetId: r.targetId,
        targetName: (r.targetId && names.get(`${r.targetType}:${r.targetId}`)) ?? null,
        targetAnonymous: null,
        schoolName: r.schoolName,
        detail: r.detail ?? null,
        detailHidden: false,
        people: {},
        list: null,
      };
      return withPeople(hidden ? anonymised(row, r.actorId, hidden) : row, names, hidden);
    }),
    nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
  };
}

/** The people a visible detail names, as the reader may see them (pupils and parents anonymous above the school). */
function withPeople(row: AuditRow, names: Map<string, string>, hidden: Map<string, AnonymousPerson> | null): AuditRow {
  if (!row.detail) return row;
  const person = (id: string | null, name: string | null): AuditPerson => {
    const anonymous = hidden ? (id ? (hidden.get(id) ?? null) : "student") : null;
    if (anonymous) return { name: null, anonymous };
    const known = (id && names.get(`user:${id}`)) ?? name;
    return known ? { name: known, anonymous: null } : { name: null, anonymous: "student" };
  };
  const people: Record<string, AuditPerson> = {};
  for (const [field, as] of Object.entries(PERSON_FIELDS)) {
    const id = row.detail[field];
    if (typeof id === "string") people[as] = person(id, null);
  }
  const listed = listOf(row.detail);
  const list = listed
    ? listed.map((x) => person(idOfListed(x), x && typeof x === "object" && typeof (x as { name?: unknown }).name === "string" ? (x as { name: string }).name : null))
    : null;
  return { ...row, people, list };
}

/** Current names of the targets (and the people details name) on a page, a few queries in all (not one per row). */
async function targetNames(rows: { targetType: string; targetId: string | null }[], detailPeople: string[]): Promise<Map<string, string>> {
  const ids = (type: string) => [...new Set(rows.filter((r) => r.targetType === type && r.targetId).map((r) => r.targetId!))];
  const names = new Map<string, string>();
  const add = (type: string, found: { id: string; name: string }[]) => found.forEach((x) => names.set(`${type}:${x.id}`, x.name));
  const users = [...new Set([...ids("user"), ...detailPeople])];
  if (users.length) add("user", await db().select({ id: schema.users.id, name: schema.users.realName }).from(schema.users).where(inArray(schema.users.id, users)));
  const classes = ids("class");
  if (classes.length) add("class", await db().select({ id: schema.classes.id, name: schema.classes.name }).from(schema.classes).where(inArray(schema.classes.id, classes)));
  const schools = ids("school");
  if (schools.length) add("school", await db().select({ id: schema.schools.id, name: schema.schools.name }).from(schema.schools).where(inArray(schema.schools.id, schools)));
  const regions = ids("region");
  if (regions.length) add("region", await db().select({ id: schema.regions.id, name: schema.regions.name }).from(schema.regions).where(inArray(schema.regions.id, regions)));
  // A library resource by its newest title (teachers' work offered to a region: no pupil in it).
  const resources = ids("library_resource");
  if (resources.length) add("library_resource", await db().select({ id: schema.libraryResources.id, name: schema.libraryVersions.title }).from(schema.libraryResources).innerJoin(schema.libraryVersions, eq(schema.libraryVersions.id, schema.libraryResources.latestVersionId)).where(inArray(schema.libraryResources.id, resources)));
  return names;
}

// ---------------------------------------------------------------------------------------------
// Region and platform admins see counts and schools, never a pupil or a parent (DESIGN.md §2.2). They
// keep one row per event (not counts per action and school) because a bureau needs to see when a
// school acted — a phase opened, a roster imported, consents recorded, grades returned — and the rows
// already answer "how many" through the action and date filters; what they lose is who the pupil or
// parent was and every fact about them. The school's own admins keep the full view.

/** Acts done as someone's guardian, whoever does them: the actor is shown as "a parent" above the school. */
const GUARDIAN_ACTIONS = new Set(["consent.online", "guardian_link.create"]);

/**
 * Actions whose detail is about places, classes, flags and staff only, so region and platform admins
 * may read it. Every other detail (grades, post titles, guardian names, phone numbers, ids of pupils)
 * is dropped above the school: a new action stays hidden until someone decides it is safe.
 */
const STAFF_ONLY_DETAIL = new Set([
  "school.phase_change",
  "school.content_approval",
  "school.create",
  "school.update",
  "region.create",
  "region.rename",
  "region.ceiling",
  "school.ceiling",
  "flag.region_rules",
  "class.create",
  "class.archive",
  "class.assign_teacher",
  "class.remove_teacher",
  "roster.import",
  "account.login_renamed", // only how many login names a school's renaming changed
  "flag.rule_change",
  "flag.override_set",
  "flag.override_clear",
  // The region library: teachers' resources, libraries and reviewers; no pupil in any of it.
  "library.offer",
  "library.revise",
  "library.withdraw",
  "library.admit",
  "library.return",
  "library.refuse",
  "library.quality",
  "library.unquality",
  "library.recommend",
  "library.appoint_reviewer",
  "library.remove_reviewer",
]);

/** Who on a page is a pupil (a student role) or a parent (a parent role and no staff role). */
async function protectedPeople(rows: { actorId: string | null; targetType: string; targetId: string | null }[], detailPeople: string[]): Promise<Map<string, AnonymousPerson>> {
  const ids = [...new Set([...rows.flatMap((r) => [r.actorId, r.targetType === "user" ? r.targetId : null]), ...detailPeople].filter((id): id is string => Boolean(id)))];
  const roles = new Map<string, Set<Role>>();
  if (ids.length) {
    for (const g of await db().select({ userId: schema.userRoles.userId, role: schema.userRoles.role }).from(schema.userRoles).where(inArray(schema.userRoles.userId, ids))) {
      roles.set(g.userId, (roles.get(g.userId) ?? new Set<Role>()).add(g.role));
    }
  }
  const hidden = new Map<string, AnonymousPerson>();
  for (const [id, held] of roles) {
    if (held.has("student")) hidden.set(id, "student");
    else if (held.has("parent") && !STAFF_ROLES.some((r) => held.has(r))) hidden.set(id, "parent");
  }
  return hidden;
}

function anonymised(row: AuditRow, actorId: string | null, hidden: Map<string, AnonymousPerson>): AuditRow {
  const actorAnonymous = actorId ? (GUARDIAN_ACTIONS.has(row.action) ? "parent" : (hidden.get(actorId) ?? null)) : null;
  const targetAnonymous = row.targetType === "user" && row.targetId ? (hidden.get(row.targetId) ?? null) : null;
  // A personal flag override names its person in the detail ("real name (login)").
  const detailSafe = STAFF_ONLY_DETAIL.has(row.action) && row.detail?.scope !== "user";
  return {
    ...row,
    actor: actorAnonymous ? null : row.actor,
    actorAnonymous,
    targetId: targetAnonymous ? null : row.targetId,
    targetName: targetAnonymous ? null : row.targetName,
    targetAnonymous,
    detail: detailSafe ? row.detail : null,
    detailHidden: !detailSafe && row.detail !== null,
  };
}
