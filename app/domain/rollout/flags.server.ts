// Feature flags (DESIGN.md §5): which capability is open for whom. A flag's keys live in code; the
// platform admin's edits (default, ordered rules, which levels may override) live in feature_flags;
// region, school and user overrides in flag_overrides. Evaluation order for one user:
//   1. a locked region override on the user's region path, topmost lock first (as Canvas locks a flag
//      at an account: nothing below may override it);
//   2. a locked school override (stops user overrides);
//   3. the user's override → the school's override → for each region on the path, nearest first: the
//      first matching rule its region admin wrote (region_flag_rules), else its override;
//   4. the platform admin's first matching rule;
//   5. the flag's default.
// A region's rules thus narrow or widen its own override (or, without one, what comes from above) for
// its subtree only: they are only ever evaluated for people whose region path holds that region.
// Overrides at a level the flag no longer lets override are ignored, so the platform admin can take a
// level's say away without hunting down its rows.
//
// Cost: every app server keeps all flag rows and overrides in memory, tagged with the "flags" version
// from cache_versions. Each request reads that version once (in the same statement that loads the
// actor's school and region path); every change bumps it in the same transaction, so several app
// servers over one database stay correct.
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { db, execute, firstRow, schema, first, spell } from "#db/client";
import { FLAG_SCOPES, ROLES, STAGES, type FlagScope, type Role, type Stage } from "#db/schema";
import { requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { recordAudit, STAFF_ROLES } from "../foundation/audit.server";
import { DomainError, ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from "../foundation/errors.server";
import { randomId } from "../foundation/ids.server";
import { isWithinRegion, MAX_PHASE, regionPath, regionSubtreeIds, schoolCeiling, type CeilingSource } from "../places/regions.server";
import { isUnderConsentAge } from "../people/consent-state.server";
import { effectivePhase, ownerSpaceStatus, studentsWithConsent, type SpaceStatus } from "./rollout.server";
import { oncePerRequest } from "~/lib/request-scope.server";
import { schoolPlaces } from "../places/school-places.server";
import { filterInOrder, mapInOrder, someInOrder } from "~/lib/in-order";

export const FLAG_KEYS = ["blog", "portfolio", "assignments", "study_groups", "cross_school_groups", "student_groups", "parent_access", "lesson_sharing"] as const;
export type FlagKey = (typeof FLAG_KEYS)[number];
export { FLAG_SCOPES, ROLES as FLAG_RULE_ROLES, STAGES as FLAG_RULE_STAGES };
export type { FlagScope, Role, Stage };

export type FlagRule = { enabled: boolean; roles?: Role[]; stages?: Stage[]; regionIds?: string[]; tags?: string[] };
export type Overridable = Record<FlagScope, boolean>;
export type FlagSettings = { defaultEnabled: boolean; rules: FlagRule[]; overridable: Overridable };

/** Before the platform admin edits a flag: off for everyone; regions and schools may open it early. */
export const CODE_DEFAULT: FlagSettings = { defaultEnabled: false, rules: [], overridable: { region: true, school: true, user: false } };

export const MAX_RULES = 20;

export function isFlagKey(value: unknown): value is FlagKey {
  return typeof value === "string" && (FLAG_KEYS as readonly string[]).includes(value);
}

/** A capability that exists but is not open for this person yet: a translated page, not an error. */
export class FeatureClosedError extends DomainError {
  constructor(flag: FlagKey) {
    super("flags:notYetOpen", 403, { flag });
  }
}

// ---- the process-level cache ----

type OverrideRow = typeof schema.flagOverrides.$inferSelect;
type OverridesOfFlag = Record<FlagScope, Map<string, OverrideRow>> & { /** region admins' rules, by region */ regionRules: Map<string, RegionRules> };
type RegionRules = { rules: FlagRule[]; setAt: Date };
type Snapshot = { version: number; settings: Map<FlagKey, FlagSettings & { updatedAt: Date | null }>; overrides: Map<FlagKey, OverridesOfFlag> };

let snapshot: Snapshot | undefined;

const ruleShape = z.object({
  enabled: z.boolean(),
  roles: z.array(z.string()).max(ROLES.length).optional(),
  stages: z.array(z.string()).max(STAGES.length).optional(),
  regionIds: z.array(z.string()).max(50).optional(),
  tags: z.array(z.string()).max(20).optional(),
});

function storedRules(value: unknown): FlagRule[] {
  if (!Array.isArray(value)) return [];
  // Stored rules were validated when written; a row edited by hand that no longer parses is skipped.
  return value.flatMap((r) => {
    const parsed = ruleShape.safeParse(r);
    return parsed.success ? [parsed.data as FlagRule] : [];
  });
}

function storedOverridable(value: unknown): Overridable {
  const o = (value ?? {}) as Partial<Record<FlagScope, unknown>>;
  return { region: o.region === true, school: o.school === true, user: o.user === true };
}

async function loadSnapshot(version: number): Promise<Snapshot> {
  const settings: Snapshot["settings"] = new Map();
  for (const row of await db().select().from(schema.featureFlags)) {
    if (!isFlagKey(row.key)) continue;
    settings.set(row.key, { defaultEnabled: row.defaultEnabled, rules: storedRules(row.rules), overridable: storedOverridable(row.overridable), updatedAt: row.updatedAt });
  }
  const overrides: Snapshot["overrides"] = new Map();
  for (const row of await db().select().from(schema.flagOverrides)) {
    if (!isFlagKey(row.flagKey)) continue;
    let of = overrides.get(row.flagKey);
    if (!of) overrides.set(row.flagKey, (of = emptyOverrides()));
    of[row.scopeType].set(row.scopeId, row);
  }
  for (const row of await db().select().from(schema.regionFlagRules)) {
    if (!isFlagKey(row.flagKey)) continue;
    const rules = storedRules(row.rules);
    if (!rules.length) continue;
    let of = overrides.get(row.flagKey);
    if (!of) overrides.set(row.flagKey, (of = emptyOverrides()));
    of.regionRules.set(row.regionId, { rules, setAt: row.setAt });
  }
  return { version, settings, overrides };
}

async function snapshotAt(version: number): Promise<Snapshot> {
  if (!snapshot || snapshot.version !== version) snapshot = await loadSnapshot(version);
  return snapshot;
}

function settingsOf(snap: Snapshot, key: FlagKey): FlagSettings & { updatedAt: Date | null } {
  return snap.settings.get(key) ?? { ...CODE_DEFAULT, updatedAt: null };
}

function emptyOverrides(): OverridesOfFlag {
  return { region: new Map(), school: new Map(), user: new Map(), regionRules: new Map() };
}

const NO_OVERRIDES: OverridesOfFlag = emptyOverrides();

/** Bumps the "flags" cache version; call inside the transaction that changes a flag or override. */
export async function bumpFlagsVersion(): Promise<void> {
  await execute(sql`insert into cache_versions (name, version) values ('flags', 1) on conflict(name) do update set version = cache_versions.version + 1`);
}

// ---- who is being evaluated ----

/** What evaluation needs to know of a person: role acted in, school, its stage and tags, region path (nearest first). */
export type FlagSubject = { userId: string | null; role: Role | null; schoolId: string | null; stage: Stage | null; tags: string[]; regionPath: string[] };

type ContextRow = { version: number | null; stage: string | null; tags: string | null; path: string | null };

// One statement per request: the cache version, the school's stage and tags, and its region path.
async function loadContext(schoolId: string | null, regionId: string | null): Promise<ContextRow> {
  // A school's context is shared with lists of people of that school (schoolContexts) in the request.
  if (schoolId && !regionId) {
    const row = (await schoolContexts([schoolId])).get(`${schoolId}|`);
    if (row) return row;
  }
  return oncePerRequest(`flag-context:${schoolId ?? ""}|${regionId ?? ""}`, async () => (await firstRow<ContextRow>(sql`
        with recursive up(id, parent_id, depth) as (
          select id, parent_id, 0 from regions where id = coalesce(${regionId}, (select region_id from schools where id = ${schoolId}))
          union all
          select r.id, r.parent_id, up.depth + 1 from regions r join up on r.id = up.parent_id
        )
        select (select version from cache_versions where name = 'flags') as version,
               s.stage as stage, s.tags as tags,
               (select ${spell.jsonGroupArray(sql`id`)} from (select id from up order by depth) ordered) as path
        from (select 1) one left join schools s on s.id = ${schoolId}`))!);
}

/**
 * Whom to evaluate for an actor acting in a role. A parent has no school of their own (their children
 * may be at several), so a parent is evaluated by their own user override, the rules (which can only
 * match on role `parent`) and the default; "parent_access" rules name the role parent for that reason.
 * A region admin is placed at their region; a platform admin nowhere.
 */
function subjectOf(userId: string | null, role: Role | null, grant: { schoolId: string | null; regionId: string | null } | undefined, userSchoolId: string | null): { subject: Omit<FlagSubject, "stage" | "tags" | "regionPath">; regionId: string | null } {
  if (!role || role === "parent" || role === "platform_admin") return { subject: { userId, role, schoolId: null }, regionId: null };
  if (role === "region_admin") return { subject: { userId, role, schoolId: null }, regionId: grant?.regionId ?? null };
  return { subject: { userId, role, schoolId: grant?.schoolId ?? userSchoolId }, regionId: null };
}

type Evaluated = { snap: Snapshot; subject: FlagSubject; results: Map<FlagKey, FlagEvaluation> };
const perActor = new WeakMap<SignedInActor, Evaluated>();

async function evaluatedFor(userId: string | null, role: Role | null, grant: { schoolId: string | null; regionId: string | null } | undefined, userSchoolId: string | null): Promise<Evaluated> {
  const { subject, regionId } = subjectOf(userId, role, grant, userSchoolId);
  const row = await loadContext(subject.schoolId, regionId);
  const full: FlagSubject = {
    ...subject,
    stage: (row.stage as Stage | null) ?? null,
    tags: row.tags ? (JSON.parse(row.tags) as string[]) : [],
    regionPath: row.path ? (JSON.parse(row.path) as string[]) : [],
  };
  return { snap: await snapshotAt(row.version ?? 0), subject: full, results: new Map() };
}

async function evaluatedForActor(actor: Actor): Promise<Evaluated> {
  if (!actor) return evaluatedFor(null, null, undefined, null);
  let found = perActor.get(actor);
  if (!found) {
    const grant = actor.roles.find((g) => g.role === actor.activeRole);
    found = await evaluatedFor(actor.id, actor.activeRole, grant, actor.schoolId);
    perActor.set(actor, found);
  }
  return found;
}

// ---- evaluation ----

export type FlagDecision =
  | { step: "override"; scope: FlagScope; scopeId: string; locked: boolean }
  | { step: "rule"; index: number }
  | { step: "regionRule"; regionId: string; index: number }
  | { step: "default" };
export type FlagEvaluation = { key: FlagKey; enabled: boolean; decision: FlagDecision };

function ruleMatches(rule: FlagRule, s: FlagSubject): boolean {
  if (rule.roles?.length && !(s.role && rule.roles.includes(s.role))) return false;
  if (rule.stages?.length && !(s.stage && rule.stages.includes(s.stage))) return false;
  // The path holds the school's region and every ancestor, so naming a region matches its whole subtree.
  if (rule.regionIds?.length && !rule.regionIds.some((id) => s.regionPath.includes(id))) return false;
  if (rule.tags?.length && !rule.tags.some((t) => s.tags.includes(t))) return false;
  return true;
}

/** The pure decision for one flag (exported for tests and the benchmark). */
export function decideFlag(key: FlagKey, settings: FlagSettings, overrides: OverridesOfFlag, s: FlagSubject): FlagEvaluation {
  const by = (o: OverrideRow): FlagEvaluation => ({ key, enabled: o.enabled, decision: { step: "override", scope: o.scopeType, scopeId: o.scopeId, locked: o.locked } });
  const { overridable } = settings;
  if (overridable.region) {
    for (let i = s.regionPath.length - 1; i >= 0; i--) {
      const o = overrides.region.get(s.regionPath[i]!);
      if (o?.locked) return by(o);
    }
  }
  const atSchool = overridable.school && s.schoolId ? overrides.school.get(s.schoolId) : undefined;
  if (atSchool?.locked) return by(atSchool);
  const atUser = overridable.user && s.userId ? overrides.user.get(s.userId) : undefined;
  if (atUser) return by(atUser);
  if (atSchool) return by(atSchool);
  if (overridable.region) {
    for (const id of s.regionPath) {
      const own = overrides.regionRules.get(id);
      if (own) {
        const index = own.rules.findIndex((r) => ruleMatches(r, s));
        if (index >= 0) return { key, enabled: own.rules[index]!.enabled, decision: { step: "regionRule", regionId: id, index } };
      }
      const o = overrides.region.get(id);
      if (o) return by(o);
    }
  }
  const index = settings.rules.findIndex((r) => ruleMatches(r, s));
  if (index >= 0) return { key, enabled: settings.rules[index]!.enabled, decision: { step: "rule", index } };
  return { key, enabled: settings.defaultEnabled, decision: { step: "default" } };
}

function evaluate(e: Evaluated, key: FlagKey): FlagEvaluation {
  let result = e.results.get(key);
  if (!result) {
    result = decideFlag(key, settingsOf(e.snap, key), e.snap.overrides.get(key) ?? NO_OVERRIDES, e.subject);
    e.results.set(key, result);
  }
  return result;
}

/** Whether the capability is open for the actor (anonymous: only rules without conditions and the default). */
export async function isFeatureEnabled(actor: Actor, key: FlagKey): Promise<boolean> {
  return evaluate(await evaluatedForActor(actor), key).enabled;
}

/** All flags for the actor, e.g. for a page's navigation. */
export async function featuresFor(actor: Actor): Promise<Record<FlagKey, boolean>> {
  const e = await evaluatedForActor(actor);
  return Object.fromEntries(FLAG_KEYS.map((k) => [k, evaluate(e, k).enabled])) as Record<FlagKey, boolean>;
}

/** Refuses (FeatureClosedError, a translated "not yet open" page) when the capability is closed for the actor. */
export async function requireFeature(actor: Actor, key: FlagKey): Promise<void> {
  if (!await isFeatureEnabled(actor, key)) throw new FeatureClosedError(key);
}

/** Evaluates every flag for a user without a session (the benchmark, previews): one context statement. */
export async function evaluateFlagsForUser(user: { id: string; schoolId: string | null }, role: Role, grant?: { schoolId: string | null; regionId: string | null }): Promise<FlagEvaluation[]> {
  const e = await evaluatedFor(user.id, role, grant ?? { schoolId: user.schoolId, regionId: null }, user.schoolId);
  return FLAG_KEYS.map((k) => evaluate(e, k));
}

/** loadContext for several schools in one statement, keyed as flagForUsers keys them ("schoolId|"). */
async function schoolContexts(schoolIds: string[]): Promise<Map<string, ContextRow>> {
  const out = new Map<string, ContextRow>();
  for (const [id, place] of await schoolPlaces(schoolIds)) out.set(`${id}|`, { version: place.flagsVersion, stage: place.stage, tags: place.tags, path: place.path });
  return out;
}

/**
 * One flag for several users without a session (the owners of a list's content): one context statement
 * per distinct school or region among them, not one per user. Same decisions as evaluateFlagsForUser.
 */
export async function flagForUsers(users: { id: string; schoolId: string | null; role: Role; grant?: { schoolId: string | null; regionId: string | null } }[], key: FlagKey): Promise<Map<string, boolean>> {
  const subjects = users.map((user) => ({ user, ...subjectOf(user.id, user.role, user.grant ?? { schoolId: user.schoolId, regionId: null }, user.schoolId) }));
  const contexts = await schoolContexts(subjects.flatMap((s) => (s.subject.schoolId && !s.regionId ? [s.subject.schoolId] : [])));
  const open = new Map<string, boolean>();
  for (const { user, subject, regionId } of subjects) {
    const at = `${subject.schoolId ?? ""}|${regionId ?? ""}`;
    let row = contexts.get(at);
    if (!row) contexts.set(at, (row = await loadContext(subject.schoolId, regionId)));
    const full: FlagSubject = {
      ...subject,
      stage: (row.stage as Stage | null) ?? null,
      tags: row.tags ? (JSON.parse(row.tags) as string[]) : [],
      regionPath: row.path ? (JSON.parse(row.path) as string[]) : [],
    };
    open.set(user.id, evaluate({ snap: await snapshotAt(row.version ?? 0), subject: full, results: new Map() }, key).enabled);
  }
  return open;
}

// ---- names for places, for the admin pages ----

async function placeNames(refs: { scope: FlagScope; id: string }[]): Promise<Map<string, string>> {
  const ids = (scope: FlagScope) => [...new Set(refs.filter((r) => r.scope === scope).map((r) => r.id))];
  const names = new Map<string, string>();
  const regionIds = ids("region");
  const schoolIds = ids("school");
  const userIds = ids("user");
  if (regionIds.length) for (const r of await db().select({ id: schema.regions.id, name: schema.regions.name }).from(schema.regions).where(inArray(schema.regions.id, regionIds))) names.set(`region:${r.id}`, r.name);
  if (schoolIds.length) for (const r of await db().select({ id: schema.schools.id, name: schema.schools.name }).from(schema.schools).where(inArray(schema.schools.id, schoolIds))) names.set(`school:${r.id}`, r.name);
  if (userIds.length)
    for (const r of await db().select({ id: schema.users.id, name: schema.users.realName, login: schema.users.loginName }).from(schema.users).where(inArray(schema.users.id, userIds)))
      names.set(`user:${r.id}`, `${r.name} (${r.login})`);
  return names;
}

// ---- the platform admin: rules, default, overridable levels ----

export function requirePlatformAdmin(actor: Actor): SignedInActor {
  const signedIn = requireSignedIn(actor);
  if (signedIn.activeRole !== "platform_admin" || !signedIn.roles.some((g) => g.role === "platform_admin")) throw new ForbiddenError();
  return signedIn;
}

export type RegionOption = { id: string; name: string; depth: number };

async function regionTree(): Promise<RegionOption[]> {
  const all = await db().select({ id: schema.regions.id, name: schema.regions.name, parentId: schema.regions.parentId }).from(schema.regions).orderBy(schema.regions.name);
  const out: RegionOption[] = [];
  const walk = (parentId: string | null, depth: number) => {
    for (const r of all.filter((x) => x.parentId === parentId)) {
      out.push({ id: r.id, name: r.name, depth });
      walk(r.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export type FlagAdminRow = {
  key: FlagKey;
  defaultEnabled: boolean;
  overridable: Overridable;
  rules: (FlagRule & { regionNames: string[] })[];
  /** The edit stamp a form sends back, so an edit made against an old rule list is refused. */
  stamp: string;
  overrideCount: number;
};

/** What /platform/flags shows: every flag with its settings, and the region tree for rule forms. */
export async function flagAdminView(actor: Actor): Promise<{ flags: FlagAdminRow[]; regions: RegionOption[] }> {
  requirePlatformAdmin(actor);
  const snap = await snapshotAt(await currentVersion());
  const regions = await regionTree();
  const regionName = new Map(regions.map((r) => [r.id, r.name]));
  return {
    regions,
    flags: FLAG_KEYS.map((key) => {
      const s = settingsOf(snap, key);
      const o = snap.overrides.get(key);
      return {
        key,
        defaultEnabled: s.defaultEnabled,
        overridable: s.overridable,
        rules: s.rules.map((r) => ({ ...r, regionNames: (r.regionIds ?? []).map((id) => regionName.get(id) ?? "?") })),
        stamp: stampOf(s.updatedAt),
        overrideCount: o ? o.region.size + o.school.size + o.user.size : 0,
      };
    }),
  };
}

async function currentVersion(): Promise<number> {
  return (await first(db().select({ v: schema.cacheVersions.version }).from(schema.cacheVersions).where(eq(schema.cacheVersions.name, "flags")).limit(1)))?.v ?? 0;
}

function stampOf(updatedAt: Date | null): string {
  return updatedAt ? String(updatedAt.getTime()) : "new";
}

const TAG = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Form input for one rule, as the add-rule form sends it (lists may come as arrays or comma text). */
export type RuleInput = { enabled: unknown; roles?: unknown; stages?: unknown; regionIds?: unknown; tags?: unknown };

const listOf = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === "string" ? v.split(/[,，、\s]+/) : [])
    .map((x) => String(x).trim())
    .filter(Boolean);

/** Validates one rule; unknown roles, stages, regions and malformed tags are refused beside their field. */
export async function validateRule(input: RuleInput, prefix = ""): Promise<{ rule: FlagRule } | { errors: FieldErrors }> {
  const enabled = input.enabled === true || input.enabled === "on" ? true : input.enabled === false || input.enabled === "off" ? false : undefined;
  const parsed = ruleShape.safeParse({ enabled, roles: listOf(input.roles), stages: listOf(input.stages), regionIds: listOf(input.regionIds), tags: listOf(input.tags).map((t) => t.toLowerCase()) });
  const errors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const fieldName = String(issue.path[0] ?? "enabled");
      errors[prefix + fieldName] ??= { key: fieldName === "enabled" ? "flags:errors.enabledRequired" : "flags:errors.tooMany" };
    }
    return { errors };
  }
  const r = parsed.data;
  const badRole = r.roles?.find((x) => !(ROLES as readonly string[]).includes(x));
  if (badRole) errors[prefix + "roles"] = { key: "flags:errors.unknownRole", params: { value: badRole } };
  const badStage = r.stages?.find((x) => !(STAGES as readonly string[]).includes(x));
  if (badStage) errors[prefix + "stages"] = { key: "flags:errors.unknownStage", params: { value: badStage } };
  if (r.regionIds?.length) {
    const known = new Set((await db().select({ id: schema.regions.id }).from(schema.regions).where(inArray(schema.regions.id, r.regionIds))).map((x) => x.id));
    const badRegion = r.regionIds.find((id) => !known.has(id));
    if (badRegion) errors[prefix + "regionIds"] = { key: "flags:errors.unknownRegion", params: { value: badRegion } };
  }
  const badTag = r.tags?.find((t) => !TAG.test(t));
  if (badTag) errors[prefix + "tags"] = { key: "flags:errors.badTag", params: { value: badTag } };
  if (Object.keys(errors).length) return { errors };
  const rule: FlagRule = { enabled: r.enabled };
  // Empty lists are no condition at all: stored without them so the rule reads as it behaves.
  if (r.roles?.length) rule.roles = [...new Set(r.roles)] as Role[];
  if (r.stages?.length) rule.stages = [...new Set(r.stages)] as Stage[];
  if (r.regionIds?.length) rule.regionIds = [...new Set(r.regionIds)];
  if (r.tags?.length) rule.tags = [...new Set(r.tags)];
  return { rule };
}

export type FlagChange =
  | { op: "add"; rule: RuleInput }
  | { op: "remove"; index: number }
  | { op: "move"; index: number; to: number }
  | { op: "settings"; defaultEnabled: unknown; overridable: Partial<Record<FlagScope, unknown>> };

function requireFlagKey(key: unknown): FlagKey {
  if (!isFlagKey(key)) throw new ValidationError({ flag: { key: "flags:errors.unknownFlag", params: { value: String(key) } } });
  return key;
}

/**
 * The platform admin changes a flag's rules or settings. `stamp` is what the page showed: a change
 * made against a rule list someone else has since changed is refused, since indexes would point at
 * other rules.
 */
export async function changeFlag(actor: Actor, flagKey: unknown, stamp: unknown, change: FlagChange): Promise<void> {
  const admin = requirePlatformAdmin(actor);
  const key = requireFlagKey(flagKey);
  await db().transaction(
    async (tx) => {
      const row = await first(tx.select().from(schema.featureFlags).where(eq(schema.featureFlags.key, key)).limit(1));
      const before: FlagSettings = row ? { defaultEnabled: row.defaultEnabled, rules: storedRules(row.rules), overridable: storedOverridable(row.overridable) } : CODE_DEFAULT;
      if (stamp !== stampOf(row?.updatedAt ?? null)) throw new ValidationError({}, "flags:errors.stale");
      const after: FlagSettings = { ...before, rules: [...before.rules], overridable: { ...before.overridable } };
      switch (change.op) {
        case "add": {
          if (before.rules.length >= MAX_RULES) throw new ValidationError({}, "flags:errors.tooManyRules", { max: MAX_RULES });
          const result = await validateRule(change.rule);
          if ("errors" in result) throw new ValidationError(result.errors);
          after.rules.push(result.rule);
          break;
        }
        case "remove":
          if (!Number.isInteger(change.index) || !before.rules[change.index]) throw new ValidationError({}, "flags:errors.stale");
          after.rules.splice(change.index, 1);
          break;
        case "move": {
          const { index, to } = change;
          if (!Number.isInteger(index) || !Number.isInteger(to) || !before.rules[index] || !before.rules[to]) throw new ValidationError({}, "flags:errors.stale");
          const [moved] = after.rules.splice(index, 1);
          after.rules.splice(to, 0, moved!);
          break;
        }
        case "settings": {
          const parsed = z
            .object({ defaultEnabled: z.enum(["on", "off"]), overridable: z.object({ region: z.boolean(), school: z.boolean(), user: z.boolean() }) })
            .safeParse({ defaultEnabled: change.defaultEnabled, overridable: { region: !!change.overridable.region, school: !!change.overridable.school, user: !!change.overridable.user } });
          if (!parsed.success) throw new ValidationError({ defaultEnabled: { key: "flags:errors.enabledRequired" } });
          after.defaultEnabled = parsed.data.defaultEnabled === "on";
          after.overridable = parsed.data.overridable;
          break;
        }
      }
      // Settings sent again as they are, or a rule moved onto its own place: nothing to store or audit.
      if (JSON.stringify(before) === JSON.stringify(after)) return;
      const now = new Date(Math.max(Date.now(), (row?.updatedAt.getTime() ?? 0) + 1));
      await tx.insert(schema.featureFlags)
              .values({ key, defaultEnabled: after.defaultEnabled, rules: after.rules, overridable: after.overridable, updatedBy: admin.id, updatedAt: now })
              .onConflictDoUpdate({ target: schema.featureFlags.key, set: { defaultEnabled: after.defaultEnabled, rules: after.rules, overridable: after.overridable, updatedBy: admin.id, updatedAt: now } });
      await bumpFlagsVersion();
      await recordAudit({ actorId: admin.id, action: "flag.rule_change", targetType: "flag", targetId: key, detail: { flag: key, op: change.op, before, after } }, tx);
    },
    { behavior: "immediate" },
  );
}

// ---- preview as a given user ----

export type PreviewRow = { key: FlagKey; enabled: boolean; decision: FlagDecision; placeName: string | null };
/** What opens or closes the person's own space: the school's phase under its ceiling, and consent. */
export type SpacePreview = {
  school: { name: string; phase: number; effectivePhase: number; ceiling: number; ceilingSource: CeilingSource | null } | null;
  /** Whether the space is open in the previewed role and why not (null for admin roles: not gated). */
  status: SpaceStatus | null;
  /** For a student: whether consent is needed (under 14, or no birth date) and whether it is on record. */
  consent: { needed: boolean; given: boolean } | null;
};
/** A pupil or a parent is previewed by login name only: an admin above the school never reads their name (README "Who sees what"). */
export type FlagPreview = { user: { realName: string | null; anonymous: "student" | "parent" | null; loginName: string; schoolName: string | null }; role: Role; roles: Role[]; rows: PreviewRow[]; space: SpacePreview };

/** Who may preview whom: the platform admin anyone; a region admin the people of their subtree (null root: everywhere). */
export function requirePreviewer(actor: Actor): { rootId: string | null } {
  const signedIn = requireSignedIn(actor);
  if (signedIn.activeRole === "platform_admin" && signedIn.roles.some((g) => g.role === "platform_admin")) return { rootId: null };
  const grant = signedIn.roles.find((g) => g.role === "region_admin");
  if (signedIn.activeRole === "region_admin" && grant?.regionId) return { rootId: grant.regionId };
  throw new ForbiddenError();
}

type Grant = typeof schema.userRoles.$inferSelect;

/** Whether a role the person holds lies in the region subtree: a school's people by their school, a parent by a child's school. */
async function grantWithin(grant: Grant, rootId: string, childRegionIds: () => Promise<string[]>): Promise<boolean> {
  if (grant.role === "platform_admin") return false;
  if (grant.role === "parent") return (someInOrder(await childRegionIds(), async (id) => isWithinRegion(id, rootId)));
  if (grant.regionId) return isWithinRegion(grant.regionId, rootId);
  const school = grant.schoolId ? await first(db().select({ regionId: schema.schools.regionId }).from(schema.schools).where(eq(schema.schools.id, grant.schoolId)).limit(1)) : undefined;
  return Boolean(school && await isWithinRegion(school.regionId, rootId));
}

async function spacePreview(user: typeof schema.users.$inferSelect, grant: Grant): Promise<SpacePreview> {
  const schoolId = grant.role === "parent" ? null : (grant.schoolId ?? user.schoolId);
  const school = schoolId ? await first(db().select().from(schema.schools).where(eq(schema.schools.id, schoolId)).limit(1)) : undefined;
  const ceiling = school ? await schoolCeiling(school) : null;
  const spaceRole = grant.role === "teacher" || grant.role === "student" || grant.role === "parent" ? grant.role : null;
  const needed = grant.role === "student" && isUnderConsentAge(user.birthDate);
  return {
    school: school && ceiling ? { name: school.name, phase: school.phase, effectivePhase: await effectivePhase(school), ceiling: ceiling.ceiling ?? MAX_PHASE, ceilingSource: ceiling.source } : null,
    status: spaceRole ? await ownerSpaceStatus(user.id, spaceRole) : null,
    consent: grant.role === "student" ? { needed, given: needed && (await studentsWithConsent([user.id])).has(user.id) } : null,
  };
}

/**
 * What a given person sees, in one of their roles: which step decided each flag, and whether their
 * space is open (the school's phase under its ceiling, consent for an under-14 pupil). The platform
 * admin may preview anyone; a region admin the people of their subtree, in the roles they hold there.
 * Anyone else a region admin names reads exactly like an unknown login.
 */
export async function previewFlags(actor: Actor, loginName: string, role?: string | null): Promise<FlagPreview> {
  const { rootId } = requirePreviewer(actor);
  const notFound = () => new ValidationError({ login: { key: "flags:errors.noSuchUser" } });
  const user = await first(db().select().from(schema.users).where(eq(schema.users.loginName, loginName.trim().toLowerCase())).limit(1));
  if (!user) throw notFound();
  let grants = await db().select().from(schema.userRoles).where(eq(schema.userRoles.userId, user.id));
  const held = grants.map((g) => g.role);
  if (rootId !== null) {
    let childRegions: string[] | undefined;
    const childRegionIds = async () =>
      (childRegions ??= (await db()
            .select({ regionId: schema.schools.regionId })
            .from(schema.guardianLinks)
            .innerJoin(schema.users, eq(schema.users.id, schema.guardianLinks.studentId))
            .innerJoin(schema.schools, eq(schema.schools.id, schema.users.schoolId))
            .where(eq(schema.guardianLinks.guardianId, user.id)))
        .map((r) => r.regionId));
    grants = (await filterInOrder(grants, async (g) => grantWithin(g, rootId, childRegionIds)));
  }
  if (!grants.length) throw notFound();
  // A teacher who is also a parent is previewed as a teacher unless asked otherwise.
  const grant = grants.find((g) => g.role === role) ?? grants.find((g) => g.role !== "parent") ?? grants[0]!;
  const rows = await evaluatedFor(user.id, grant.role, grant, user.schoolId);
  const evaluations = FLAG_KEYS.map((k) => evaluate(rows, k));
  const names = await placeNames(
    evaluations.flatMap((e) => (e.decision.step === "override" ? [{ scope: e.decision.scope, id: e.decision.scopeId }] : e.decision.step === "regionRule" ? [{ scope: "region" as const, id: e.decision.regionId }] : [])),
  );
  const placeOf = (d: FlagDecision) => (d.step === "override" ? (names.get(`${d.scope}:${d.scopeId}`) ?? "?") : d.step === "regionRule" ? (names.get(`region:${d.regionId}`) ?? "?") : null);
  const anonymous = held.includes("student") ? "student" : held.includes("parent") && !held.some((r) => STAFF_ROLES.includes(r)) ? "parent" : null;
  return {
    user: { realName: anonymous ? null : user.realName, anonymous, loginName: user.loginName, schoolName: user.schoolId ? ((await first(db().select({ name: schema.schools.name }).from(schema.schools).where(eq(schema.schools.id, user.schoolId)).limit(1)))?.name ?? null) : null },
    role: grant.role,
    roles: grants.map((g) => g.role),
    rows: evaluations.map((e) => ({ ...e, placeName: placeOf(e.decision) })),
    space: await spacePreview(user, grant),
  };
}

export type PreviewCandidate = { loginName: string; realName: string; role: Role; schoolName: string };
export const MAX_CANDIDATES = 20;

/**
 * Staff (teachers and school admins) of the previewer's subtree whose real name contains `q`, to pick
 * one to preview. Pupils and parents are not searched by name: they are previewed by login name.
 */
export async function previewCandidates(actor: Actor, q: string): Promise<PreviewCandidate[]> {
  const { rootId } = requirePreviewer(actor);
  const fragment = q.trim().slice(0, 50);
  if (!fragment) return [];
  const inSubtree = rootId === null ? undefined : inArray(schema.schools.regionId, await regionSubtreeIds(rootId));
  return db()
      .select({ loginName: schema.users.loginName, realName: schema.users.realName, role: schema.userRoles.role, schoolName: schema.schools.name })
      .from(schema.userRoles)
      .innerJoin(schema.users, eq(schema.users.id, schema.userRoles.userId))
      .innerJoin(schema.schools, eq(schema.schools.id, schema.userRoles.schoolId))
      .where(and(inArray(schema.userRoles.role, ["teacher", "school_admin"]), spell.contains(schema.users.realName, fragment), inSubtree))
      .orderBy(schema.schools.name, schema.users.realName)
      .limit(MAX_CANDIDATES);
}

// ---- overrides: who may set them where ----

type Place = { scope: FlagScope; id: string; name: string; /** region path of the place, nearest first (a school's: its region's) */ path: string[]; schoolId: string | null };

async function resolvePlace(scope: FlagScope, id: string): Promise<Place> {
  if (scope === "region") {
    const path = await regionPath(id);
    if (!path.length) throw new NotFoundError();
    return { scope, id, name: path[0]!.name, path: path.map((r) => r.id), schoolId: null };
  }
  if (scope === "school") {
    const school = await first(db().select().from(schema.schools).where(eq(schema.schools.id, id)).limit(1));
    if (!school) throw new NotFoundError();
    return { scope, id, name: school.name, path: (await regionPath(school.regionId)).map((r) => r.id), schoolId: school.id };
  }
  const user = await first(db().select().from(schema.users).where(eq(schema.users.id, id)).limit(1));
  if (!user) throw new NotFoundError();
  const school = user.schoolId ? await first(db().select().from(schema.schools).where(eq(schema.schools.id, user.schoolId)).limit(1)) : undefined;
  return { scope, id, name: `${user.realName} (${user.loginName})`, path: school ? (await regionPath(school.regionId)).map((r) => r.id) : [], schoolId: user.schoolId };
}

/**
 * Whether the actor, acting now, may set overrides at the place: a region admin at their region and
 * anything below it (regions and schools), a school admin at their school and for its people.
 */
function mayOverrideAt(actor: SignedInActor, place: Place): boolean {
  const grant = actor.roles.find((g) => g.role === actor.activeRole);
  if (!grant) return false;
  if (grant.role === "region_admin" && grant.regionId) return place.scope !== "user" && place.path.includes(grant.regionId);
  if (grant.role === "school_admin" && grant.schoolId) return place.scope !== "region" && place.schoolId === grant.schoolId;
  return false;
}

/** The lock above the place that forbids overriding there, if any (topmost first). */
function lockAbove(snap: Snapshot, key: FlagKey, place: Place): OverrideRow | undefined {
  const settings = settingsOf(snap, key);
  const of = snap.overrides.get(key) ?? NO_OVERRIDES;
  // A region's own override is its own to change; only its ancestors' locks bind it.
  const regionsAbove = place.scope === "region" ? place.path.slice(1) : place.path;
  if (settings.overridable.region) {
    for (let i = regionsAbove.length - 1; i >= 0; i--) {
      const o = of.region.get(regionsAbove[i]!);
      if (o?.locked) return o;
    }
  }
  if (place.scope === "user" && place.schoolId && settings.overridable.school) {
    const o = of.school.get(place.schoolId);
    if (o?.locked) return o;
  }
  return undefined;
}

export type OverrideInput = { flag: unknown; scope: unknown; scopeId: unknown; enabled?: unknown; locked?: unknown };

const overrideShape = z.object({ flag: z.enum(FLAG_KEYS), scope: z.enum(FLAG_SCOPES), scopeId: z.string().min(1).max(64) });

async function checkedPlace(actor: Actor, input: OverrideInput): Promise<{ admin: SignedInActor; key: FlagKey; place: Place }> {
  const admin = requireSignedIn(actor);
  if (admin.activeRole !== "region_admin" && admin.activeRole !== "school_admin") throw new ForbiddenError();
  const parsed = overrideShape.safeParse(input);
  if (!parsed.success) {
    if (!isFlagKey(input.flag)) throw new ValidationError({ flag: { key: "flags:errors.unknownFlag", params: { value: String(input.flag) } } });
    throw new ValidationError({}, "errors:invalidInput");
  }
  const place = await resolvePlace(parsed.data.scope, parsed.data.scopeId);
  if (!mayOverrideAt(admin, place)) throw new ForbiddenError();
  return { admin, key: parsed.data.flag, place };
}

/** Sets (or changes) an override where the flag lets that level override and no lock above forbids it. */
export async function setFlagOverride(actor: Actor, input: OverrideInput): Promise<void> {
  const { admin, key, place } = await checkedPlace(actor, input);
  const enabled = input.enabled === "on" || input.enabled === true ? true : input.enabled === "off" || input.enabled === false ? false : null;
  if (enabled === null) throw new ValidationError({ enabled: { key: "flags:errors.enabledRequired" } });
  // Nothing sits below a user, so a lock there would mean nothing.
  const locked = place.scope !== "user" && (input.locked === true || input.locked === "on");
  await db().transaction(
    async (tx) => {
      const snap = await loadSnapshot(-1);
      if (!settingsOf(snap, key).overridable[place.scope]) throw new ValidationError({}, "flags:errors.levelNotOverridable", { level: place.scope });
      const lock = lockAbove(snap, key, place);
      if (lock) throw new ValidationError({}, "flags:errors.lockedAbove", { place: (await placeNames([{ scope: lock.scopeType, id: lock.scopeId }])).get(`${lock.scopeType}:${lock.scopeId}`) ?? "?" });
      const before = snap.overrides.get(key)?.[place.scope].get(place.id);
      if (before && before.enabled === enabled && before.locked === locked) return;
      await tx.insert(schema.flagOverrides)
              .values({ id: randomId(), flagKey: key, scopeType: place.scope, scopeId: place.id, enabled, locked, setBy: admin.id, setAt: new Date() })
              .onConflictDoUpdate({ target: [schema.flagOverrides.flagKey, schema.flagOverrides.scopeType, schema.flagOverrides.scopeId], set: { enabled, locked, setBy: admin.id, setAt: new Date() } });
      await bumpFlagsVersion();
      await recordAudit(
        {
          actorId: admin.id,
          action: "flag.override_set",
          targetType: "flag",
          targetId: key,
          schoolId: place.schoolId,
          detail: { flag: key, scope: place.scope, scopeId: place.id, place: place.name, before: before ? { enabled: before.enabled, locked: before.locked } : null, after: { enabled, locked } },
        },
        tx,
      );
    },
    { behavior: "immediate" },
  );
}

/** Clears an override. Allowed under a lock too: an override the lock already makes ignored may be tidied away. */
export async function clearFlagOverride(actor: Actor, input: OverrideInput): Promise<void> {
  const { admin, key, place } = await checkedPlace(actor, input);
  await db().transaction(
    async (tx) => {
      const before = await first(tx
              .select()
              .from(schema.flagOverrides)
              .where(and(eq(schema.flagOverrides.flagKey, key), eq(schema.flagOverrides.scopeType, place.scope), eq(schema.flagOverrides.scopeId, place.id))).limit(1));
      if (!before) return;
      await tx.delete(schema.flagOverrides).where(eq(schema.flagOverrides.id, before.id));
      await bumpFlagsVersion();
      await recordAudit(
        { actorId: admin.id, action: "flag.override_clear", targetType: "flag", targetId: key, schoolId: place.schoolId, detail: { flag: key, scope: place.scope, scopeId: place.id, place: place.name, before: { enabled: before.enabled, locked: before.locked }, after: null } },
        tx,
      );
    },
    { behavior: "immediate" },
  );
}

// ---- region admins' rules for their subtree ----

export type RegionRuleChange = { op: "add"; rule: RuleInput } | { op: "remove"; index: number };

function requireRegionAdmin(actor: Actor): { admin: SignedInActor; rootId: string } {
  const admin = requireSignedIn(actor);
  const grant = admin.roles.find((g) => g.role === "region_admin");
  if (admin.activeRole !== "region_admin" || !grant?.regionId) throw new ForbiddenError();
  return { admin, rootId: grant.regionId };
}

/** A region of the admin's subtree (their own counts) as a place; anything else answers as unknown. */
async function regionPlaceInSubtree(rootId: string, regionId: unknown): Promise<Place> {
  const path = typeof regionId === "string" && regionId ? await regionPath(regionId) : [];
  if (!path.some((r) => r.id === rootId)) throw new NotFoundError();
  return { scope: "region", id: path[0]!.id, name: path[0]!.name, path: path.map((r) => r.id), schoolId: null };
}

/** Why the region's admin may not write rules for the flag there: the platform's say or a lock above. */
async function regionRulesRefusal(snap: Snapshot, key: FlagKey, place: Place): Promise<ValidationError | null> {
  if (!settingsOf(snap, key).overridable.region) return new ValidationError({}, "flags:errors.levelNotOverridable", { level: "region" });
  const lock = lockAbove(snap, key, place);
  if (lock) return new ValidationError({}, "flags:errors.lockedAbove", { place: (await placeNames([{ scope: lock.scopeType, id: lock.scopeId }])).get(`${lock.scopeType}:${lock.scopeId}`) ?? "?" });
  return null;
}

/**
 * A region admin adds or removes a targeting rule for one flag at a region of their subtree, where the
 * platform lets regions override the flag and no lock above forbids it. A rule may only name regions
 * within that region's subtree, and is only evaluated for people below it. `stamp` is what the page
 * showed, so a removal made against a list someone has since changed is refused.
 */
export async function changeRegionFlagRules(actor: Actor, input: { flag: unknown; regionId: unknown; stamp: unknown }, change: RegionRuleChange): Promise<void> {
  const { admin, rootId } = requireRegionAdmin(actor);
  const key = requireFlagKey(input.flag);
  const place = await regionPlaceInSubtree(rootId, input.regionId);
  await db().transaction(
    async (tx) => {
      const refusal = await regionRulesRefusal(await loadSnapshot(-1), key, place);
      if (refusal) throw refusal;
      const row = await first(tx
              .select()
              .from(schema.regionFlagRules)
              .where(and(eq(schema.regionFlagRules.flagKey, key), eq(schema.regionFlagRules.regionId, place.id))).limit(1));
      const before = row ? storedRules(row.rules) : [];
      if (input.stamp !== stampOf(row?.setAt ?? null)) throw new ValidationError({}, "flags:errors.stale");
      const after = [...before];
      if (change.op === "add") {
        if (before.length >= MAX_RULES) throw new ValidationError({}, "flags:errors.tooManyRules", { max: MAX_RULES });
        const result = await validateRule(change.rule);
        if ("errors" in result) throw new ValidationError(result.errors);
        const subtree = new Set(await regionSubtreeIds(place.id));
        const outside = result.rule.regionIds?.find((id) => !subtree.has(id));
        if (outside) throw new ValidationError({ regionIds: { key: "flags:errors.regionOutsideSubtree", params: { region: place.name } } });
        after.push(result.rule);
      } else {
        if (!Number.isInteger(change.index) || !before[change.index]) throw new ValidationError({}, "flags:errors.stale");
        after.splice(change.index, 1);
      }
      const now = new Date(Math.max(Date.now(), (row?.setAt.getTime() ?? 0) + 1));
      // No row for no rules, so the page's stamp ("new") and the cache agree.
      if (!after.length) await tx.delete(schema.regionFlagRules).where(eq(schema.regionFlagRules.id, row!.id));
      else
        await tx.insert(schema.regionFlagRules)
                  .values({ id: randomId(), flagKey: key, regionId: place.id, rules: after, setBy: admin.id, setAt: now })
                  .onConflictDoUpdate({ target: [schema.regionFlagRules.flagKey, schema.regionFlagRules.regionId], set: { rules: after, setBy: admin.id, setAt: now } });
      await bumpFlagsVersion();
      await recordAudit({ actorId: admin.id, action: "flag.region_rules", targetType: "flag", targetId: key, detail: { flag: key, regionId: place.id, place: place.name, op: change.op, before, after } }, tx);
    },
    { behavior: "immediate" },
  );
}

export type RegionRulesCell = {
  key: FlagKey;
  rules: (FlagRule & { regionNames: string[] })[];
  stamp: string;
  /** Why rules cannot be written here now (the platform's say or a lock above), if so. */
  refused: { key: string; params: Record<string, unknown> } | null;
};

async function regionRulesAt(snap: Snapshot, place: Place): Promise<{ cells: RegionRulesCell[]; regions: RegionOption[] }> {
  const subtree = new Set(await regionSubtreeIds(place.id));
  const all = await regionTree();
  const rootDepth = all.find((r) => r.id === place.id)?.depth ?? 0;
  const regions = all.filter((r) => subtree.has(r.id)).map((r) => ({ ...r, depth: r.depth - rootDepth }));
  const regionName = new Map(regions.map((r) => [r.id, r.name]));
  const cells = (await mapInOrder(FLAG_KEYS, async (key) => {
      const own = snap.overrides.get(key)?.regionRules.get(place.id);
      const refusal = await regionRulesRefusal(snap, key, place);
      return {
        key,
        rules: (own?.rules ?? []).map((r) => ({ ...r, regionNames: (r.regionIds ?? []).map((id) => regionName.get(id) ?? "?") })),
        stamp: stampOf(own?.setAt ?? null),
        refused: refusal ? { key: refusal.key, params: refusal.params } : null,
      };
    }));
  return { cells, regions };
}

// ---- the region and school admin pages ----

export type OverrideCell = {
  key: FlagKey;
  /** The override at this place, if any. */
  current: { enabled: boolean; locked: boolean } | null;
  /** Whether the flag lets this level override at all. */
  levelAllowed: boolean;
  /** A lock above that forbids overriding here. */
  lockedBy: { place: string; enabled: boolean } | null;
};

export type OverrideListing = { key: FlagKey; scope: FlagScope; scopeId: string; place: string; enabled: boolean; locked: boolean; inEffect: boolean };

async function cellsAt(snap: Snapshot, place: Place): Promise<OverrideCell[]> {
  const locks = FLAG_KEYS.map((key) => lockAbove(snap, key, place));
  const names = await placeNames(locks.flatMap((l) => (l ? [{ scope: l.scopeType, id: l.scopeId }] : [])));
  return FLAG_KEYS.map((key, i) => {
    const o = snap.overrides.get(key)?.[place.scope].get(place.id);
    const lock = locks[i];
    return {
      key,
      current: o ? { enabled: o.enabled, locked: o.locked } : null,
      levelAllowed: settingsOf(snap, key).overridable[place.scope],
      lockedBy: lock ? { place: names.get(`${lock.scopeType}:${lock.scopeId}`) ?? "?", enabled: lock.enabled } : null,
    };
  });
}

async function listing(snap: Snapshot, refs: { scope: FlagScope; ids: Set<string> }[]): Promise<OverrideListing[]> {
  const rows: { key: FlagKey; o: OverrideRow }[] = [];
  for (const key of FLAG_KEYS) {
    const of = snap.overrides.get(key);
    if (!of) continue;
    for (const { scope, ids } of refs) for (const o of of[scope].values()) if (ids.has(o.scopeId)) rows.push({ key, o });
  }
  const names = await placeNames(rows.map((r) => ({ scope: r.o.scopeType, id: r.o.scopeId })));
  return (mapInOrder(rows, async ({ key, o }) => {
      const place: Place | undefined = await (async () => {
        try {
          return await resolvePlace(o.scopeType, o.scopeId);
        } catch {
          return undefined;
        }
      })();
      const settings = settingsOf(snap, key);
      const inEffect = Boolean(place && settings.overridable[o.scopeType] && !lockAbove(snap, key, place));
      return { key, scope: o.scopeType, scopeId: o.scopeId, place: names.get(`${o.scopeType}:${o.scopeId}`) ?? "?", enabled: o.enabled, locked: o.locked, inEffect };
    }));
}

export type PlaceOption = { scope: "region" | "school"; id: string; name: string; depth: number };

/**
 * What /region/flags shows: the places below the admin's region, the chosen place's overrides (and, for
 * a region, its rules with the sub-regions a rule may name), and every override in the subtree.
 */
export async function regionFlagsView(
  actor: Actor,
  placeParam: string | null,
): Promise<{ region: string; places: PlaceOption[]; place: PlaceOption; cells: OverrideCell[]; overrides: OverrideListing[]; rules: Awaited<ReturnType<typeof regionRulesAt>> | null }> {
  const signedIn = requireSignedIn(actor);
  const grant = signedIn.roles.find((g) => g.role === "region_admin");
  if (signedIn.activeRole !== "region_admin" || !grant?.regionId) throw new ForbiddenError();
  const subtree = new Set(await regionSubtreeIds(grant.regionId));
  const tree = await regionTree();
  const rootDepth = tree.find((r) => r.id === grant.regionId)?.depth ?? 0;
  const schools = await db().select({ id: schema.schools.id, name: schema.schools.name, regionId: schema.schools.regionId }).from(schema.schools).where(inArray(schema.schools.regionId, [...subtree])).orderBy(schema.schools.name);
  const places: PlaceOption[] = [];
  for (const r of tree.filter((x) => subtree.has(x.id))) {
    places.push({ scope: "region", id: r.id, name: r.name, depth: r.depth - rootDepth });
    for (const s of schools.filter((x) => x.regionId === r.id)) places.push({ scope: "school", id: s.id, name: s.name, depth: r.depth - rootDepth + 1 });
  }
  const [scope, id] = (placeParam ?? "").split(":");
  const chosen = places.find((p) => p.scope === scope && p.id === id) ?? places[0]!;
  const snap = await snapshotAt(await currentVersion());
  const chosenPlace = await resolvePlace(chosen.scope, chosen.id);
  return {
    region: places[0]!.name,
    places,
    place: chosen,
    cells: await cellsAt(snap, chosenPlace),
    rules: chosen.scope === "region" ? await regionRulesAt(snap, chosenPlace) : null,
    overrides: await listing(snap, [
      { scope: "region", ids: subtree },
      { scope: "school", ids: new Set(schools.map((s) => s.id)) },
    ]),
  };
}

/** What /school/flags shows: the school's overrides, whether user overrides are allowed per flag, and the overrides for its people. */
export async function schoolFlagsView(actor: Actor): Promise<{ school: { id: string; name: string }; cells: OverrideCell[]; userFlags: FlagKey[]; overrides: OverrideListing[] }> {
  const signedIn = requireSignedIn(actor);
  const grant = signedIn.roles.find((g) => g.role === "school_admin");
  if (signedIn.activeRole !== "school_admin" || !grant?.schoolId) throw new ForbiddenError();
  const place = await resolvePlace("school", grant.schoolId);
  const snap = await snapshotAt(await currentVersion());
  const people = new Set((await db().select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.schoolId, place.id))).map((u) => u.id));
  // A lock at the school (or above) leaves nothing for a person's override to say.
  const userFlags = FLAG_KEYS.filter((key) => settingsOf(snap, key).overridable.user);
  return {
    school: { id: place.id, name: place.name },
    cells: await cellsAt(snap, place),
    userFlags,
    overrides: await listing(snap, [
      { scope: "school", ids: new Set([place.id]) },
      { scope: "user", ids: people },
    ]),
  };
}

/** The user id of a person of the school admin's school, by login name, for a user override. */
export async function schoolPersonByLogin(actor: Actor, loginName: string): Promise<string> {
  const signedIn = requireSignedIn(actor);
  const grant = signedIn.roles.find((g) => g.role === "school_admin");
  if (signedIn.activeRole !== "school_admin" || !grant?.schoolId) throw new ForbiddenError();
  const user = await first(db().select({ id: schema.users.id, schoolId: schema.users.schoolId }).from(schema.users).where(eq(schema.users.loginName, loginName.trim().toLowerCase())).limit(1));
  if (!user || user.schoolId !== grant.schoolId) throw new ValidationError({ login: { key: "flags:errors.notInSchool" } });
  return user.id;
}
