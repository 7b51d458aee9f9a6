// Study groups (学习小组) and teaching-research groups (教研组): a group has a kind, a reach (its
// school, the schools below a region, or every school) and a join policy. This module holds the
// group itself, the directory, and the rules every other group module asks: who may see a group,
// who may join it (reach, kind, the minors rule, the cross-school flag) and who moderates it.
// Membership changes live in group-members.server.ts; threads, the library and tasks in their own.
import { and, asc, desc, eq, inArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import { db, schema, first, spell } from "#db/client";
import type { GroupJoinPolicy, GroupKind, GroupReach, GroupRole } from "#db/schema";
import { GROUP_JOIN_POLICIES, GROUP_KINDS, GROUP_REACHES } from "#db/schema";
import { requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { fieldErrorsOf, ForbiddenError, NotFoundError, ValidationError } from "../foundation/errors.server";
import { attachFiles, deleteFiles, fileUrl, type GroupAttachment, type StoredFile } from "../uploads/files.server";
import { evaluateFlagsForUser, flagForUsers, isFeatureEnabled } from "../rollout/flags.server";
import { randomId } from "../foundation/ids.server";
import { standingsOf } from "../people/people.server";
import { regionPath } from "../places/regions.server";
import { isUnderConsentAge } from "../people/consent-state.server";
import { findSchool } from "../places/schools.server";
import { requireSpaceFeature } from "../spaces/spaces.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";
import { manyPerRequest, oncePerRequest } from "~/lib/request-scope.server";

export { GROUP_JOIN_POLICIES, GROUP_KINDS, GROUP_REACHES, type GroupJoinPolicy, type GroupKind, type GroupReach, type GroupRole };

export const GROUP_NAME_MAX = 60;
export const GROUP_DESCRIPTION_MAX = 1000;
export const GROUP_SUBJECT_MAX = 30;
export const DIRECTORY_PAGE_SIZE = 30;

export type GroupRow = typeof schema.groups.$inferSelect;
export type MemberRow = typeof schema.groupMembers.$inferSelect;
/** The role a person is in a group as: teachers and students only. */
export type MemberAs = "teacher" | "student";

/** What every group page and action starts from: the person, the group and their membership in it. */
export type GroupAccess = {
  me: SignedInActor;
  as: MemberAs;
  group: GroupRow;
  /** Their row in the group (any state), or null. */
  membership: MemberRow | null;
  isMember: boolean;
  /** Owner or moderator, or a teacher in a study group: approves requests, pins, locks, hides, removes. */
  mayModerate: boolean;
  /** A teacher who is an active member: sees every post of the group, hidden ones included. */
  isGroupTeacher: boolean;
};

// ---------------------------------------------------------------------------------------------
// Who is acting

/**
 * Groups are for teachers and students acting as such, with their space open and "study_groups" on
 * for them; anyone else gets the translated "not yet open" page or a refusal.
 */
export async function requireGroupsActor(actor: Actor): Promise<{ me: SignedInActor; as: MemberAs }> {
  const me = requireSignedIn(actor);
  if (me.activeRole !== "teacher" && me.activeRole !== "student") throw new ForbiddenError("groups:teachersAndStudentsOnly");
  await requireSpaceFeature(me, "study_groups");
  return { me, as: me.activeRole };
}

export type Person = { id: string; schoolId: string | null; birthDate: string | null; as: MemberAs };

async function personOf(me: SignedInActor, as: MemberAs): Promise<Person> {
  const grant = me.roles.find((g) => g.role === as);
  return { id: me.id, schoolId: grant?.schoolId ?? me.schoolId, birthDate: (await standingsOf([me.id])).get(me.id)?.birthDate ?? null, as };
}

/** The person of a membership row, as the rules see them. */
export async function personOfMember(row: Pick<MemberRow, "userId" | "schoolId" | "memberAs">): Promise<Person> {
  return { id: row.userId, schoolId: row.schoolId, birthDate: (await standingsOf([row.userId])).get(row.userId)?.birthDate ?? null, as: row.memberAs };
}

// ---------------------------------------------------------------------------------------------
// The rules

async function schoolRegionPath(schoolId: string | null): Promise<string[]> {
  if (!schoolId) return [];
  const school = await findSchool(schoolId);
  return school ? (await regionPath(school.regionId)).map((r) => r.id) : [];
}

/** Whether a school lies within the group's reach. */
export async function reachIncludes(group: Pick<GroupRow, "reach" | "schoolId" | "regionId">, schoolId: string | null): Promise<boolean> {
  if (!schoolId) return false;
  if (group.reach === "platform") return true;
  if (group.reach === "school") return group.schoolId === schoolId;
  return Boolean(group.regionId) && (await schoolRegionPath(schoolId)).includes(group.regionId!);
}

/** Students join study groups only; research groups are for teachers. */
export function kindAllows(kind: GroupKind, as: MemberAs): boolean {
  return as === "teacher" || kind === "study";
}

/** A student under 14, or with no birth date on record: the minors rule applies to them. */
export function isMinor(person: Pick<Person, "as" | "birthDate">): boolean {
  return person.as === "student" && isUnderConsentAge(person.birthDate);
}

/** The group's people (active, asking or invited) other than `exceptUserId`, with what the minors rule needs. */
async function peopleOf(groupId: string, exceptUserId: string): Promise<{ schoolId: string | null; minor: boolean }[]> {
  return (await db()
      .select({ userId: schema.groupMembers.userId, schoolId: schema.groupMembers.schoolId, memberAs: schema.groupMembers.memberAs, birthDate: schema.users.birthDate })
      .from(schema.groupMembers)
      .innerJoin(schema.users, eq(schema.users.id, schema.groupMembers.userId))
      .where(and(eq(schema.groupMembers.groupId, groupId), inArray(schema.groupMembers.state, ["active", "requested", "invited"]))))
    .filter((m) => m.userId !== exceptUserId)
    .map((m) => ({ schoolId: m.schoolId, minor: isMinor({ as: m.memberAs, birthDate: m.birthDate }) }));
}

/**
 * Minors: a student under 14 is in (or asks for, or is invited to) only a group whose people all
 * come from their own school, whoever owns it and whatever its reach: a pupil of another school
 * would read their name, school and posts.
 */
export async function minorMayJoin(group: GroupRow, person: Person): Promise<boolean> {
  if (!isMinor(person)) return true;
  if (!person.schoolId) return false;
  return (await peopleOf(group.id, person.id)).every((m) => m.schoolId === person.schoolId);
}

/**
 * The other side of the minors rule: while a group holds an under-14 member of one school, nobody
 * of another school comes in. The refusal names neither the child nor their age.
 */
export async function heldForOneSchool(group: GroupRow, person: Person): Promise<boolean> {
  return (await peopleOf(group.id, person.id)).some((m) => m.minor && m.schoolId !== person.schoolId);
}

async function crossSchoolOpenFor(person: Pick<Person, "id" | "schoolId" | "as">): Promise<boolean> {
  const evaluation = (await evaluateFlagsForUser({ id: person.id, schoolId: person.schoolId }, person.as)).find((e) => e.key === "cross_school_groups");
  return Boolean(evaluation?.enabled);
}

/**
 * A group whose members come from several schools exists only where "cross_school_groups" is on for
 * each member's school: adding `person` is refused if it would make (or keep) the group cross-school
 * while the flag is off for them or for any school already in it. Returns the closed school's name.
 */
export async function crossSchoolRefusal(groupId: string, person: Pick<Person, "id" | "schoolId" | "as">): Promise<string | null> {
  const members = (await db()
      .select({ userId: schema.groupMembers.userId, schoolId: schema.groupMembers.schoolId, memberAs: schema.groupMembers.memberAs })
      .from(schema.groupMembers)
      .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.state, "active"))))
    .filter((m) => m.userId !== person.id);
  const schools = new Set([...members.map((m) => m.schoolId), person.schoolId]);
  if (schools.size <= 1) return null;
  // One evaluation per school and role: the flag's rules may name roles, its overrides name schools.
  const checked = new Set<string>();
  for (const m of [{ id: person.id, schoolId: person.schoolId, as: person.as }, ...members.map((m) => ({ id: m.userId, schoolId: m.schoolId, as: m.memberAs }))]) {
    const key = `${m.schoolId}:${m.as}`;
    if (checked.has(key)) continue;
    checked.add(key);
    if (!await crossSchoolOpenFor(m)) return schoolName(m.schoolId);
  }
  return null;
}

async function schoolName(schoolId: string | null): Promise<string> {
  if (!schoolId) return "";
  return (await findSchool(schoolId))?.name ?? "";
}

/**
 * Why `person` may not become a member of the group, as a locale key with its parameters, or null.
 * Checked when they join or ask, when they are invited, and again when a request or invitation is
 * accepted (the school's flags may have changed in between).
 */
export async function joinRefusal(group: GroupRow, person: Person, opts: { crossSchool?: boolean } = {}): Promise<{ key: string; params?: Record<string, unknown> } | null> {
  if (group.archivedAt) return { key: "groups:archived" };
  if (!kindAllows(group.kind, person.as)) return { key: "groups:teachersOnlyGroup" };
  if (!await reachIncludes(group, person.schoolId)) return { key: "groups:beyondReach" };
  if (!await minorMayJoin(group, person)) return { key: "groups:minorRule" };
  if (await heldForOneSchool(group, person)) return { key: "groups:oneSchoolForNow" };
  if (opts.crossSchool === false) return null;
  const closedSchool = await crossSchoolRefusal(group.id, person);
  if (closedSchool !== null) return { key: "groups:crossSchoolClosed", params: { school: closedSchool } };
  return null;
}

/**
 * joinRefusal for several groups at once (a directory's cards), in a fixed number of statements: the
 * same rules in the same order, with the groups' people, flags and school names asked about together.
 */
async function joinRefusals(groups: GroupRow[], person: Person): Promise<Map<string, { key: string; params?: Record<string, unknown> } | null>> {
  const out = new Map<string, { key: string; params?: Record<string, unknown> } | null>();
  const path = groups.some((g) => g.reach === "region") ? await schoolRegionPath(person.schoolId) : [];
  const reaches = (g: GroupRow) => Boolean(person.schoolId) && (g.reach === "platform" || (g.reach === "school" ? g.schoolId === person.schoolId : Boolean(g.regionId) && path.includes(g.regionId!)));
  const pending: GroupRow[] = [];
  for (const g of groups) {
    if (g.archivedAt) out.set(g.id, { key: "groups:archived" });
    else if (!kindAllows(g.kind, person.as)) out.set(g.id, { key: "groups:teachersOnlyGroup" });
    else if (!reaches(g)) out.set(g.id, { key: "groups:beyondReach" });
    else pending.push(g);
  }
  if (!pending.length) return out;
  const rows = (await db()
      .select({ groupId: schema.groupMembers.groupId, userId: schema.groupMembers.userId, state: schema.groupMembers.state, schoolId: schema.groupMembers.schoolId, memberAs: schema.groupMembers.memberAs, birthDate: schema.users.birthDate })
      .from(schema.groupMembers)
      .innerJoin(schema.users, eq(schema.users.id, schema.groupMembers.userId))
      .where(and(inArray(schema.groupMembers.groupId, pending.map((g) => g.id)), inArray(schema.groupMembers.state, ["active", "requested", "invited"]))))
    .filter((m) => m.userId !== person.id);
  const minor = isMinor(person);
  // The cross-school check evaluates the flag once per school and role in each group, for the first person seen there.
  const checks = new Map<string, { id: string; schoolId: string | null; as: MemberAs }[]>();
  for (const g of pending) {
    const people = rows.filter((m) => m.groupId === g.id);
    if (minor && (!person.schoolId || !people.every((m) => m.schoolId === person.schoolId))) out.set(g.id, { key: "groups:minorRule" });
    else if (people.some((m) => isMinor({ as: m.memberAs, birthDate: m.birthDate }) && m.schoolId !== person.schoolId)) out.set(g.id, { key: "groups:oneSchoolForNow" });
    else {
      const active = people.filter((m) => m.state === "active");
      if (new Set([...active.map((m) => m.schoolId), person.schoolId]).size <= 1) {
        out.set(g.id, null);
        continue;
      }
      const seen = new Set<string>();
      const list: { id: string; schoolId: string | null; as: MemberAs }[] = [];
      for (const m of [{ id: person.id, schoolId: person.schoolId, as: person.as }, ...active.map((m) => ({ id: m.userId, schoolId: m.schoolId, as: m.memberAs }))]) {
        if (seen.has(`${m.schoolId}:${m.as}`)) continue;
        seen.add(`${m.schoolId}:${m.as}`);
        list.push(m);
      }
      checks.set(g.id, list);
    }
  }
  if (!checks.size) return out;
  const subjects = [...checks.values()].flat();
  const open = new Map<string, boolean>();
  for (const as of ["teacher", "student"] as const) {
    const mine = subjects.filter((m) => m.as === as);
    if (!mine.length) continue;
    for (const [id, enabled] of await flagForUsers(
      mine.map((m) => ({ id: m.id, schoolId: m.schoolId, role: as })),
      "cross_school_groups",
    ))
      open.set(`${id}:${as}`, enabled);
  }
  const closed = new Map<string, string | null>();
  for (const [groupId, list] of checks) closed.set(groupId, list.find((m) => !open.get(`${m.id}:${m.as}`))?.schoolId ?? null);
  const closedIds = [...new Set([...closed.values()].filter((id): id is string => Boolean(id)))];
  const names = new Map(closedIds.length ? (await db().select({ id: schema.schools.id, name: schema.schools.name }).from(schema.schools).where(inArray(schema.schools.id, closedIds))).map((r) => [r.id, r.name]) : []);
  for (const [groupId, list] of checks) {
    const shut = list.find((m) => !open.get(`${m.id}:${m.as}`));
    out.set(groupId, shut ? { key: "groups:crossSchoolClosed", params: { school: shut.schoolId ? (names.get(shut.schoolId) ?? "") : "" } } : null);
  }
  return out;
}

export async function refuseUnlessJoinable(group: GroupRow, person: Person, opts: { crossSchool?: boolean } = {}): Promise<void> {
  const refusal = await joinRefusal(group, person, opts);
  if (refusal) throw new ValidationError({}, refusal.key, refusal.params);
}

/** The acting person as the join rules see them. */
export async function actingPerson(me: SignedInActor, as: MemberAs): Promise<Person> {
  return personOf(me, as);
}

// ---------------------------------------------------------------------------------------------
// Access to one group

export async function groupRow(groupId: string): Promise<GroupRow | undefined> {
  return first(db().select().from(schema.groups).where(eq(schema.groups.id, groupId)).limit(1));
}

export async function memberRow(groupId: string, userId: string): Promise<MemberRow | undefined> {
  return first(db()
      .select()
      .from(schema.groupMembers)
      .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, userId))).limit(1));
}

async function accessOf(me: SignedInActor, as: MemberAs, group: GroupRow): Promise<GroupAccess> {
  const membership = await memberRow(group.id, me.id) ?? null;
  const isMember = membership?.state === "active" && membership.memberAs === as;
  const isGroupTeacher = isMember && as === "teacher";
  const mayModerate = isMember && (membership!.role !== "member" || (group.kind === "study" && as === "teacher"));
  return { me, as, group, membership, isMember, mayModerate, isGroupTeacher };
}

/**
 * A group the actor may at least know of: a member (any state but removed), or someone whose school
 * lies within its reach and whose role its kind allows. Anyone else gets 404: a group beyond one's
 * reach does not exist for them.
 */
export async function groupAccess(actor: Actor, groupId: string): Promise<GroupAccess> {
  // A page's loaders (the group's header, then the thread) ask the same question: once per request.
  return actor ? oncePerRequest(`group-access:${actor.id}:${actor.activeRole}:${groupId}`, async () => findGroupAccess(actor, groupId)) : findGroupAccess(actor, groupId);
}

async function findGroupAccess(actor: Actor, groupId: string): Promise<GroupAccess> {
  // Parents and admins never see a group: any group id is "not found" for them, known or not.
  if (actor && actor.activeRole !== "teacher" && actor.activeRole !== "student") throw new NotFoundError();
  const { me, as } = await requireGroupsActor(actor);
  const group = await groupRow(groupId);
  if (!group) throw new NotFoundError();
  const access = await accessOf(me, as, group);
  if (access.membership && access.membership.state !== "removed" && access.membership.memberAs === as) return access;
  const person = await personOf(me, as);
  if (!kindAllows(group.kind, as) || !await reachIncludes(group, person.schoolId)) throw new NotFoundError();
  return access;
}

/**
 * An active member (threads, posts, library, tasks, results, the member list). Everyone else gets
 * 404, as for an id that does not exist; within reach its message says why ("join first", "no
 * longer a member"), which depends on the group they may know of, never on the object asked for.
 */
export async function requireGroupMember(actor: Actor, groupId: string): Promise<GroupAccess> {
  const access = await groupAccess(actor, groupId);
  if (!access.isMember) throw new NotFoundError(access.membership?.state === "left" || access.membership?.state === "removed" ? "groups:noLongerMember" : "groups:membersOnly");
  return access;
}

export async function requireGroupModerator(actor: Actor, groupId: string): Promise<GroupAccess> {
  const access = await requireGroupMember(actor, groupId);
  if (!access.mayModerate) throw new ForbiddenError("groups:moderatorsOnly");
  return access;
}

/** For files attached to a group's posts, library and tasks: an active member reads them. */
export async function mayReadGroupContent(actor: Actor, groupId: string): Promise<boolean> {
  try {
    await requireGroupMember(actor, groupId);
    return true;
  } catch {
    return false;
  }
}

async function mayKnowGroup(actor: Actor, groupId: string): Promise<boolean> {
  try {
    await groupAccess(actor, groupId);
    return true;
  } catch {
    return false;
  }
}

/**
 * Who reads a file attached to a group: its cover, whoever may know of the group; a post's,
 * library entry's, task's or result's files, the group's active members (never someone who left).
 */
export async function mayReadGroupFile(actor: Actor, attachedTo: GroupAttachment, attachedId: string): Promise<boolean> {
  if (attachedTo === "group_cover") return mayKnowGroup(actor, attachedId);
  if (attachedTo === "group_post") {
    // A hidden post's files follow the post: its author and the group's teachers and moderators.
    const post = await first(db().select({ groupId: schema.groupPosts.groupId, authorId: schema.groupPosts.authorId, hiddenAt: schema.groupPosts.hiddenAt }).from(schema.groupPosts).where(eq(schema.groupPosts.id, attachedId)).limit(1));
    if (!post) return false;
    try {
      const access = await requireGroupMember(actor, post.groupId);
      return !post.hiddenAt || post.authorId === access.me.id || access.isGroupTeacher || access.mayModerate;
    } catch {
      return false;
    }
  }
  const table = { group_resource: schema.groupResources, group_task: schema.groupTasks, group_result: schema.groupTasks }[attachedTo];
  const row = await first(db().select({ groupId: table.groupId }).from(table).where(eq(table.id, attachedId)).limit(1));
  return Boolean(row) && await mayReadGroupContent(actor, row!.groupId);
}

// ---------------------------------------------------------------------------------------------
// Creating and editing

/** Folds text for substring search: NFKC (full-width forms, compatibility characters) and lower case. */
export function searchFold(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

const trimmed = (max: number, tooLong: string) => z.string().trim().max(max, tooLong);

const groupInput = z.object({
  name: z.string().overwrite(withoutDirectionControls).trim().min(1, "groups:nameRequired").max(GROUP_NAME_MAX, "groups:nameTooLong"),
  description: trimmed(GROUP_DESCRIPTION_MAX, "groups:descriptionTooLong"),
  subject: trimmed(GROUP_SUBJECT_MAX, "groups:subjectTooLong"),
  kind: z.enum(GROUP_KINDS, { message: "groups:kindRequired" }),
  reach: z.enum(GROUP_REACHES, { message: "groups:reachRequired" }),
  regionId: z.string().optional(),
  joinPolicy: z.enum(GROUP_JOIN_POLICIES, { message: "groups:joinPolicyRequired" }),
});

export type GroupForm = { name: string; description: string; subject: string; kind: string; reach: string; regionId: string; joinPolicy: string };

type Fields = { get(name: string): string | null | undefined };

export function groupFormValues(fields: Fields): GroupForm {
  const get = (name: string) => fields.get(name) ?? "";
  return { name: get("name"), description: get("description"), subject: get("subject"), kind: get("kind"), reach: get("reach"), regionId: get("regionId"), joinPolicy: get("joinPolicy") };
}

export type RegionChoice = { id: string; name: string };

/** The form's choices: the kinds, reaches and regions (the creator's school's region and its ancestors) open to the actor. */
export async function newGroupForm(actor: Actor): Promise<{ kinds: GroupKind[]; reaches: GroupReach[]; regions: RegionChoice[] }> {
  const { me, as } = await requireGroupsActor(actor);
  const person = await personOf(me, as);
  if (as === "student") {
    if (!await isFeatureEnabled(me, "student_groups")) throw new ForbiddenError("groups:studentsMayNotCreate");
    return { kinds: ["study"], reaches: ["school"], regions: [] };
  }
  const crossSchool = await crossSchoolOpenFor(person);
  const school = person.schoolId ? await findSchool(person.schoolId) : undefined;
  const regions = crossSchool && school ? (await regionPath(school.regionId)).map((r) => ({ id: r.id, name: r.name })) : [];
  return { kinds: [...GROUP_KINDS], reaches: crossSchool ? [...GROUP_REACHES] : ["school"], regions };
}

async function validGroupInput(actor: Actor, fields: Fields): Promise<{ me: SignedInActor; as: MemberAs; input: z.infer<typeof groupInput>; regionId: string | null }> {
  const { me, as } = await requireGroupsActor(actor);
  const parsed = groupInput.safeParse(groupFormValues(fields));
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const input = parsed.data;
  const choices = await newGroupForm(me);
  if (as === "student" && input.kind === "research") throw new ValidationError({ kind: { key: "groups:studentResearch" } });
  if (!choices.reaches.includes(input.reach)) throw new ValidationError({ reach: { key: as === "student" ? "groups:studentReachSchool" : "groups:reachNeedsCrossSchool" } });
  let regionId: string | null = null;
  if (input.reach === "region") {
    regionId = input.regionId ?? choices.regions[0]?.id ?? null;
    if (!regionId || !choices.regions.some((r) => r.id === regionId)) throw new ValidationError({ regionId: { key: "groups:regionRequired" } });
  }
  return { me, as, input, regionId };
}

/** A teacher makes a group of either kind; a student a study group of their school, where the school allows it. The maker owns it. */
export async function createGroup(actor: Actor, fields: Fields, coverFileIds: string[] = []): Promise<{ id: string }> {
  const { me, as, input, regionId } = await validGroupInput(actor, fields);
  const person = await personOf(me, as);
  if (!person.schoolId) throw new ForbiddenError();
  const id = randomId();
  const now = new Date();
  await db().transaction(
    async (tx) => {
      await tx.insert(schema.groups)
              .values({
                id,
                kind: input.kind,
                name: input.name,
                description: input.description,
                subject: input.subject,
                searchText: searchFold([input.name, input.subject, input.description].join("\n")),
                reach: input.reach,
                schoolId: person.schoolId!,
                regionId,
                joinPolicy: input.joinPolicy,
                createdBy: me.id,
                createdAs: as,
              });
      await tx.insert(schema.groupMembers).values({ groupId: id, userId: me.id, role: "owner", state: "active", memberAs: as, schoolId: person.schoolId, joinedAt: now });
      const cover = coverFileIds.slice(0, 1);
      if (cover.length) {
        await attachFiles(tx, me, cover, { type: "group_cover", id });
        await tx.update(schema.groups).set({ coverFileId: cover[0] }).where(eq(schema.groups.id, id));
      }
    },
    { behavior: "immediate" },
  );
  return { id };
}

export async function groupForEdit(actor: Actor, groupId: string): Promise<{ id: string; version: number; values: GroupForm; cover: StoredFile | null }> {
  const access = await requireGroupOwner(actor, groupId);
  const g = access.group;
  return {
    id: g.id,
    version: g.version,
    values: { name: g.name, description: g.description, subject: g.subject, kind: g.kind, reach: g.reach, regionId: g.regionId ?? "", joinPolicy: g.joinPolicy },
    cover: await coverOf(g),
  };
}

async function requireGroupOwner(actor: Actor, groupId: string): Promise<GroupAccess> {
  const access = await requireGroupMember(actor, groupId);
  if (access.membership?.role !== "owner") throw new ForbiddenError("groups:ownerOnly");
  return access;
}

/**
 * The owner edits name, description, subject, join policy and cover. Kind and reach stay as made:
 * members joined under them (a narrower reach would leave members beyond it). Version-checked.
 */
export async function updateGroup(actor: Actor, groupId: string, fields: Fields, coverFileIds: string[] = []): Promise<void> {
  const access = await requireGroupOwner(actor, groupId);
  const g = access.group;
  const parsed = groupInput.safeParse({ ...groupFormValues(fields), kind: g.kind, reach: g.reach, regionId: g.regionId ?? undefined });
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const input = parsed.data;
  const version = Number(fields.get("version"));
  await db().transaction(
    async (tx) => {
      const current = (await first(tx.select().from(schema.groups).where(eq(schema.groups.id, groupId)).limit(1)))!;
      if (current.version !== version) throw new ValidationError({}, "groups:editedMeanwhile");
      let coverFileId = current.coverFileId;
      if (coverFileIds.length || fields.get("removeCover") === "1") {
        if (current.coverFileId) await deleteFiles(tx, access.me, [current.coverFileId]);
        coverFileId = null;
      }
      if (coverFileIds.length) {
        await attachFiles(tx, access.me, coverFileIds.slice(0, 1), { type: "group_cover", id: groupId });
        coverFileId = coverFileIds[0]!;
      }
      await tx.update(schema.groups)
              .set({
                name: input.name,
                description: input.description,
                subject: input.subject,
                searchText: searchFold([input.name, input.subject, input.description].join("\n")),
                joinPolicy: input.joinPolicy,
                coverFileId,
                version: current.version + 1,
                updatedAt: new Date(),
              })
              .where(eq(schema.groups.id, groupId));
    },
    { behavior: "immediate" },
  );
}

async function coverOf(g: Pick<GroupRow, "coverFileId">): Promise<StoredFile | null> {
  if (!g.coverFileId) return null;
  const f = await first(db().select().from(schema.files).where(eq(schema.files.id, g.coverFileId)).limit(1));
  return f ? { id: f.id, name: f.name, mimeType: f.mimeType, size: f.size, url: fileUrl(f.id, f.name), isImage: f.mimeType.startsWith("image/") } : null;
}

// ---------------------------------------------------------------------------------------------
// The directory

export type GroupCard = {
  id: string;
  name: string;
  kind: GroupKind;
  subject: string;
  reach: GroupReach;
  regionName: string | null;
  joinPolicy: GroupJoinPolicy;
  memberCount: number;
  schools: string[];
  coverUrl: string | null;
  myState: MemberRow["state"] | null;
  /** Why the reader could not join (a locale key), or null. */
  joinRefusal: string | null;
};

export type DirectoryQuery = { q?: string | null; subject?: string | null; kind?: string | null; reach?: string | null; page?: number };

type MemberSummary = { count: number; schools: string[]; requested: number };

/**
 * Member counts and schools of groups, for cards and the group page, and how many requests to join
 * wait in each: one statement, each group read once per request.
 */
async function memberSummaries(groupIds: string[]): Promise<Map<string, MemberSummary>> {
  return manyPerRequest("group-member-summary", groupIds, async (missing) => {
    const out = new Map<string, MemberSummary>(missing.map((id) => [id, { count: 0, schools: [], requested: 0 }]));
    const rows = await db()
          .select({ groupId: schema.groupMembers.groupId, state: schema.groupMembers.state, schoolName: schema.schools.name, count: sql<number>`count(*)` })
          .from(schema.groupMembers)
          .leftJoin(schema.schools, eq(schema.schools.id, schema.groupMembers.schoolId))
          .where(and(inArray(schema.groupMembers.groupId, missing), inArray(schema.groupMembers.state, ["active", "requested"])))
          .groupBy(schema.groupMembers.groupId, schema.groupMembers.state, schema.groupMembers.schoolId, schema.schools.name)
          .orderBy(desc(sql`count(*)`));
    for (const r of rows) {
      const s = out.get(r.groupId)!;
      if (r.state === "requested") s.requested += r.count;
      else {
        s.count += r.count;
        if (r.schoolName) s.schools.push(r.schoolName);
      }
    }
    return out;
  });
}

/** Cards of these groups; `states`, when the caller has read them already, are the actor's membership states. */
async function cardsOf(me: SignedInActor, person: Person, rows: GroupRow[], states?: Map<string, MemberRow["state"]>): Promise<GroupCard[]> {
  const ids = rows.map((g) => g.id);
  const summaries = await memberSummaries(ids);
  const mine =
    states ??
    new Map(
      ids.length
        ? (await db()
                        .select({ groupId: schema.groupMembers.groupId, state: schema.groupMembers.state })
                        .from(schema.groupMembers)
                        .where(and(inArray(schema.groupMembers.groupId, ids), eq(schema.groupMembers.userId, me.id), eq(schema.groupMembers.memberAs, person.as))))
            .map((m) => [m.groupId, m.state])
        : [],
    );
  const coverIds = rows.map((g) => g.coverFileId).filter((f): f is string => Boolean(f));
  const covers = new Map(coverIds.length ? (await db().select({ id: schema.files.id, name: schema.files.name }).from(schema.files).where(inArray(schema.files.id, coverIds))).map((f) => [f.id, fileUrl(f.id, f.name)]) : []);
  const regionIds = [...new Set(rows.map((g) => g.regionId).filter((r): r is string => Boolean(r)))];
  const regionNames = new Map(regionIds.length ? (await db().select({ id: schema.regions.id, name: schema.regions.name }).from(schema.regions).where(inArray(schema.regions.id, regionIds))).map((r) => [r.id, r.name]) : []);
  const refusals = await joinRefusals(
    rows.filter((g) => mine.get(g.id) !== "active" && mine.get(g.id) !== "removed"),
    person,
  );
  return rows.map((g) => {
    const summary = summaries.get(g.id) ?? { count: 0, schools: [] };
    const myState = mine.get(g.id) ?? null;
    return {
      id: g.id,
      name: g.name,
      kind: g.kind,
      subject: g.subject,
      reach: g.reach,
      regionName: g.regionId ? (regionNames.get(g.regionId) ?? null) : null,
      joinPolicy: g.joinPolicy,
      memberCount: summary.count,
      schools: summary.schools,
      coverUrl: g.coverFileId ? (covers.get(g.coverFileId) ?? null) : null,
      myState,
      joinRefusal: myState === "active" ? null : myState === "removed" ? "groups:removedCannotRejoin" : (refusals.get(g.id)?.key ?? null),
    };
  });
}

/**
 * Groups the actor may find: within reach of their school, of a kind their role may join, not
 * archived; for a pupil, only those they may join. `q` matches a substring of the name, subject or description in any script (instr on
 * folded text: Chinese, Tibetan and Yi have no spaces between words to split on).
 */
export async function groupDirectory(actor: Actor, query: DirectoryQuery = {}): Promise<{ groups: GroupCard[]; subjects: string[]; hasMore: boolean; page: number }> {
  const { me, as } = await requireGroupsActor(actor);
  const person = await personOf(me, as);
  const path = await schoolRegionPath(person.schoolId);
  const g = schema.groups;
  const withinReach = or(eq(g.reach, "platform"), and(eq(g.reach, "school"), eq(g.schoolId, person.schoolId ?? "")), path.length ? and(eq(g.reach, "region"), inArray(g.regionId, path)) : sql`0`);
  const conditions = [withinReach, sql`${g.archivedAt} is null`];
  if (as === "student") conditions.push(eq(g.kind, "study"));
  const q = searchFold(query.q?.trim() ?? "").slice(0, 100);
  if (q) conditions.push(spell.contains(g.searchText, q));
  if (query.kind && (GROUP_KINDS as readonly string[]).includes(query.kind)) conditions.push(eq(g.kind, query.kind as GroupKind));
  if (query.reach && (GROUP_REACHES as readonly string[]).includes(query.reach)) conditions.push(eq(g.reach, query.reach as GroupReach));
  const subjects = (await db()
      .selectDistinct({ subject: g.subject })
      .from(g)
      .where(and(withinReach, sql`${g.archivedAt} is null`, sql`${g.subject} <> ''`))
      .orderBy(asc(g.subject)))
    .map((r) => r.subject);
  if (query.subject) conditions.push(eq(g.subject, query.subject));
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const rows = await db()
      .select()
      .from(g)
      .where(and(...conditions))
      .orderBy(desc(g.createdAt), asc(g.id))
      .limit(DIRECTORY_PAGE_SIZE + 1)
      .offset((page - 1) * DIRECTORY_PAGE_SIZE);
  const hasMore = rows.length > DIRECTORY_PAGE_SIZE;
  const cards = await cardsOf(me, person, rows.slice(0, DIRECTORY_PAGE_SIZE));
  // No dead ends for pupils: a pupil is shown only groups they may join (or are already in, asking
  // or invited to). A group the minors rule, the reach or a closed school keeps them out of is left out
  // rather than offered and then refused. Adults still see every group within reach, with the reason.
  const shown = as === "student" ? cards.filter((c) => c.joinRefusal === null || c.myState === "active" || c.myState === "requested" || c.myState === "invited") : cards;
  return { groups: shown, subjects, hasMore, page };
}

/** The actor's groups: active ones, invitations waiting for an answer and requests waiting for approval. */
export async function myGroups(actor: Actor): Promise<{ active: (GroupCard & { requestsWaiting: number })[]; invited: GroupCard[]; requested: GroupCard[] }> {
  const { me, as } = await requireGroupsActor(actor);
  const person = await personOf(me, as);
  const rows = await db()
      .select({ group: schema.groups, state: schema.groupMembers.state, role: schema.groupMembers.role })
      .from(schema.groupMembers)
      .innerJoin(schema.groups, eq(schema.groups.id, schema.groupMembers.groupId))
      .where(and(eq(schema.groupMembers.userId, me.id), eq(schema.groupMembers.memberAs, as), inArray(schema.groupMembers.state, ["active", "invited", "requested"])))
      .orderBy(desc(schema.groups.createdAt));
  const cards = await cardsOf(
    me,
    person,
    rows.map((r) => r.group),
    new Map(rows.map((r) => [r.group.id, r.state])),
  );
  const waiting = await requestsWaitingFor(as, rows.filter((r) => r.state === "active"));
  return {
    active: cards.filter((c) => c.myState === "active").map((c) => ({ ...c, requestsWaiting: waiting.get(c.id) ?? 0 })),
    invited: cards.filter((c) => c.myState === "invited"),
    requested: cards.filter((c) => c.myState === "requested"),
  };
}

/** For the groups the actor moderates (of their active memberships): how many requests to join wait for an answer. */
async function requestsWaitingFor(as: MemberAs, memberships: { group: GroupRow; role: GroupRole }[]): Promise<Map<string, number>> {
  // accessOf's mayModerate, from the actor's active memberships already read.
  const moderated = memberships.filter(({ group, role }) => role !== "member" || (group.kind === "study" && as === "teacher")).map(({ group }) => group.id);
  const summaries = await memberSummaries(moderated);
  return new Map(moderated.map((id) => [id, summaries.get(id)?.requested ?? 0]));
}

export type GroupAbout = GroupCard & { description: string; schoolName: string; ownerName: string | null; createdAt: Date; cover: StoredFile | null };

/** A group's page head: what anyone who may know of it sees; members see more on the pages below it. */
export async function groupAbout(actor: Actor, groupId: string): Promise<{ about: GroupAbout; access: Pick<GroupAccess, "isMember" | "mayModerate" | "isGroupTeacher" | "as"> & { role: GroupRole | null } }> {
  const access = await groupAccess(actor, groupId);
  const own = access.membership?.memberAs === access.as ? access.membership : null;
  const [card] = await cardsOf(access.me, await personOf(access.me, access.as), [access.group], new Map(own ? [[own.groupId, own.state]] : []));
  const ownerName =
    (await first(db()
            .select({ name: schema.users.realName })
            .from(schema.groupMembers)
            .innerJoin(schema.users, eq(schema.users.id, schema.groupMembers.userId))
            .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.role, "owner"), eq(schema.groupMembers.state, "active"))).limit(1)))?.name ?? null;
  return {
    about: { ...card!, description: access.group.description, schoolName: await schoolName(access.group.schoolId), ownerName, createdAt: access.group.createdAt, cover: await coverOf(access.group) },
    access: { isMember: access.isMember, mayModerate: access.mayModerate, isGroupTeacher: access.isGroupTeacher, as: access.as, role: access.isMember ? access.membership!.role : null },
  };
}

/** Active members' ids (for notices to the whole group or its moderators). */
export async function activeMembers(groupId: string): Promise<MemberRow[]> {
  return db()
      .select()
      .from(schema.groupMembers)
      .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.state, "active")));
}

/** The moderators of a group as rows (owner, moderators, and teachers of a study group). */
export async function moderatorsOf(group: Pick<GroupRow, "id" | "kind">): Promise<MemberRow[]> {
  return (await activeMembers(group.id)).filter((m) => m.role !== "member" || (group.kind === "study" && m.memberAs === "teacher"));
}
