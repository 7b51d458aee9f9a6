// Membership of a group: join an open group, ask to join one that needs approval, be invited to any
// (an "invitation" group is closed to everything else), leave, and the moderators' side: approve or
// decline requests, invite, set roles, remove. Every way in re-checks the join rules of
// groups.server.ts (reach, kind, minors, the cross-school flag) at the moment it takes effect.
import { and, asc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import { db, schema, first, spell } from "#db/client";
import type { GroupRole } from "#db/schema";
import type { Actor } from "../foundation/actor.server";
import { NotFoundError, ValidationError, ForbiddenError } from "../foundation/errors.server";
import {
  actingPerson,
  activeMembers,
  groupAccess,
  groupRow,
  isMinor,
  memberRow,
  moderatorsOf,
  personOfMember,
  reachIncludes,
  searchFold,
  refuseUnlessJoinable,
  requireGroupMember,
  requireGroupModerator,
  requireGroupsActor,
  type GroupAccess,
  type MemberAs,
  type MemberRow,
  type Person,
} from "./groups.server";
import { notify } from "../notices/notifications.server";
import { mapInOrder } from "~/lib/in-order";

export const REQUEST_NOTE_MAX = 300;

type Tx = Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0];

async function upsertMember(tx: Tx, row: typeof schema.groupMembers.$inferInsert): Promise<void> {
  await tx.insert(schema.groupMembers)
      .values(row)
      .onConflictDoUpdate({
        target: [schema.groupMembers.groupId, schema.groupMembers.userId],
        set: {
          role: row.role ?? "member",
          state: row.state,
          memberAs: row.memberAs,
          schoolId: row.schoolId,
          note: row.note ?? "",
          invitedBy: row.invitedBy ?? null,
          decidedBy: row.decidedBy ?? null,
          decidedAt: row.decidedAt ?? null,
          joinedAt: row.joinedAt ?? null,
        },
      });
}

/**
 * Joins an open group at once, or asks to join one that needs approval (its moderators are told).
 * Refused: a closed (invitation) group, someone removed from it, and whoever the join rules refuse.
 * Asking twice, or joining while already in, changes nothing.
 */
export async function joinGroup(actor: Actor, groupId: string, rawNote?: string | null): Promise<{ state: "active" | "requested" }> {
  const { me, as } = await requireGroupsActor(actor);
  const group = await groupRow(groupId);
  if (!group) throw new NotFoundError();
  // Someone beyond the group's reach (following an old link, say) is told why, not shown a 404.
  await refuseUnlessJoinable(group, await actingPerson(me, as), { crossSchool: false });
  const membership = await memberRow(groupId, me.id) ?? null;
  if (membership?.state === "active" && membership.memberAs === as) return { state: "active" };
  if (membership?.state === "requested") return { state: "requested" };
  if (membership?.state === "invited") return { state: (await answerInvitation(me, groupId, true)).state === "active" ? "active" : "requested" };
  if (membership?.state === "removed") throw new ValidationError({}, "groups:removedCannotRejoin");
  if (group.joinPolicy === "invitation") throw new ValidationError({}, "groups:closedGroup");
  const note = (rawNote ?? "").trim();
  if (note.length > REQUEST_NOTE_MAX) throw new ValidationError({ note: { key: "groups:noteTooLong", params: { max: REQUEST_NOTE_MAX } } });
  const person = await actingPerson(me, as);
  const now = new Date();
  return db().transaction(
    async (tx) => {
      await refuseUnlessJoinable(group, person);
      if (group.joinPolicy === "open") {
        await upsertMember(tx, { groupId, userId: me.id, role: "member", state: "active", memberAs: as, schoolId: person.schoolId, joinedAt: now });
        return { state: "active" as const };
      }
      await upsertMember(tx, { groupId, userId: me.id, role: "member", state: "requested", memberAs: as, schoolId: person.schoolId, note });
      for (const m of await moderatorsOf(group)) await notify(tx, m.userId, "group_join_request", me.id, { type: "group", id: groupId });
      return { state: "requested" as const };
    },
    { behavior: "immediate" },
  );
}

/** Withdraws one's own request. */
export async function cancelRequest(actor: Actor, groupId: string): Promise<void> {
  const { me, membership } = await groupAccess(actor, groupId);
  if (membership?.state !== "requested") return;
  await db().delete(schema.groupMembers).where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, me.id), eq(schema.groupMembers.state, "requested")));
}

/**
 * Leaves the group. Their posts and files stay (the group's discussion would lose its sense without
 * them); from now on they read and upload nothing there. The owner hands the group over first.
 */
export async function leaveGroup(actor: Actor, groupId: string): Promise<void> {
  const access = await requireGroupMember(actor, groupId);
  if (access.membership!.role === "owner") throw new ValidationError({}, "groups:ownerCannotLeave");
  await db().update(schema.groupMembers).set({ state: "left", role: "member" }).where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, access.me.id)));
}

/** A moderator approves or declines a request; approval re-checks the join rules and tells the person. */
export async function decideRequest(actor: Actor, groupId: string, userId: string, approve: boolean): Promise<void> {
  const access = await requireGroupModerator(actor, groupId);
  const now = new Date();
  await db().transaction(
    async (tx) => {
      const row = await first(tx
              .select()
              .from(schema.groupMembers)
              .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, userId))).limit(1));
      if (!row || row.state !== "requested") throw new ValidationError({}, "groups:noSuchRequest");
      if (!approve) {
        await tx.update(schema.groupMembers).set({ state: "declined", decidedBy: access.me.id, decidedAt: now }).where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, userId)));
        return;
      }
      await refuseUnlessJoinable(access.group, await personOfMember(row));
      await tx.update(schema.groupMembers)
              .set({ state: "active", decidedBy: access.me.id, decidedAt: now, joinedAt: now })
              .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, userId)));
      await notify(tx, userId, "group_join_approved", access.me.id, { type: "group", id: groupId });
    },
    { behavior: "immediate" },
  );
}

export const INVITE_SEARCH_MAX = 30;
export const INVITE_BATCH_MAX = 30;

export type InviteCandidate = { userId: string; realName: string; schoolName: string | null; as: MemberAs };

/**
 * People a moderator may invite: those they may already see — people of their own school, members
 * of a group they are in, and teachers — within the group's reach and of a role its kind takes,
 * not already in it or invited. `nameFragment` matches a substring of the real name in any script;
 * `userIds` asks about given people only.
 */
async function candidatesFor(access: GroupAccess, filter: { nameFragment?: string; userIds?: string[] }): Promise<(InviteCandidate & { person: Person })[]> {
  const me = await actingPerson(access.me, access.as);
  const u = schema.users;
  const r = schema.userRoles;
  const gm = schema.groupMembers;
  const myGroups = db().select({ groupId: gm.groupId }).from(gm).where(and(eq(gm.userId, me.id), eq(gm.state, "active")));
  const sharingAGroup = db().select({ userId: gm.userId }).from(gm).where(and(inArray(gm.groupId, myGroups), eq(gm.state, "active")));
  const conditions = [
    inArray(r.role, access.group.kind === "research" ? ["teacher"] : ["teacher", "student"]),
    ne(u.status, "disabled"),
    ne(u.id, me.id),
    or(me.schoolId ? eq(r.schoolId, me.schoolId) : sql`0`, inArray(u.id, sharingAGroup), eq(r.role, "teacher")),
    sql`${u.id} not in (select ${gm.userId} from ${gm} where ${gm.groupId} = ${access.group.id} and ${gm.state} in ('active', 'invited'))`,
  ];
  if (filter.nameFragment) conditions.push(spell.contains(sql`lower(${u.realName})`, filter.nameFragment));
  if (filter.userIds) conditions.push(inArray(u.id, filter.userIds));
  const rows = await db()
      .select({ userId: u.id, realName: u.realName, birthDate: u.birthDate, role: r.role, schoolId: r.schoolId, schoolName: schema.schools.name })
      .from(u)
      .innerJoin(r, eq(r.userId, u.id))
      .leftJoin(schema.schools, eq(schema.schools.id, r.schoolId))
      .where(and(...conditions))
      .orderBy(asc(u.realName), asc(u.id))
      .limit(INVITE_SEARCH_MAX * 4);
  const seen = new Map<string, InviteCandidate & { person: Person }>();
  // A person who both teaches and studies is invited as a teacher, as they would join.
  for (const row of [...rows].sort((x, y) => (x.role === "teacher" ? 0 : 1) - (y.role === "teacher" ? 0 : 1))) {
    if (seen.has(row.userId) || !await reachIncludes(access.group, row.schoolId)) continue;
    const as = row.role as MemberAs;
    seen.set(row.userId, { userId: row.userId, realName: row.realName, schoolName: row.schoolName, as, person: { id: row.userId, schoolId: row.schoolId, birthDate: row.birthDate, as } });
  }
  return [...seen.values()].sort((x, y) => x.realName.localeCompare(y.realName, "zh-Hans")).slice(0, INVITE_SEARCH_MAX);
}

/** The moderator's invitation picker: candidates whose real name contains the fragment typed. */
export async function inviteCandidates(actor: Actor, groupId: string, rawQuery: string | null | undefined): Promise<InviteCandidate[]> {
  const access = await requireGroupModerator(actor, groupId);
  const nameFragment = searchFold((rawQuery ?? "").trim()).slice(0, 50);
  if (!nameFragment) return [];
  return (await candidatesFor(access, { nameFragment })).map(({ person: _person, ...candidate }) => candidate);
}

export type InvitationOutcome = { userId: string; realName: string | null; sent: true } | { userId: string; realName: string | null; sent: false; reason: string };

/** Reasons an invitation may give about a person the inviter sees; the minors rule speaks as the one-school rule. */
const INVITE_REASONS: Record<string, string> = { "groups:minorRule": "groups:oneSchoolForNow" };

/**
 * A moderator invites people chosen in the picker (a closed group's only way in). Each id is checked
 * again: not a candidate (unknown, or someone the inviter may not see) answers "not possible" exactly
 * as an unknown id does; a candidate the join rules refuse answers "not possible" with the rule.
 */
export async function inviteToGroup(actor: Actor, groupId: string, rawUserIds: unknown[]): Promise<InvitationOutcome[]> {
  const access = await requireGroupModerator(actor, groupId);
  const userIds = [...new Set(rawUserIds.filter((id): id is string => typeof id === "string" && id.length > 0 && id.length <= 64))].slice(0, INVITE_BATCH_MAX);
  if (!userIds.length) throw new ValidationError({ invitee: { key: "groups:chooseInvitees" } });
  const candidates = new Map((await candidatesFor(access, { userIds })).map((c) => [c.userId, c]));
  return (mapInOrder(userIds, async (userId): Promise<InvitationOutcome> => {
      const candidate = candidates.get(userId);
      if (!candidate) return { userId, realName: null, sent: false, reason: "groups:inviteNotPossible" };
      const { realName, person } = candidate;
      try {
        await db().transaction(
          async (tx) => {
            await refuseUnlessJoinable(access.group, person);
            await upsertMember(tx, { groupId, userId, role: "member", state: "invited", memberAs: person.as, schoolId: person.schoolId, invitedBy: access.me.id });
            await notify(tx, userId, "group_invited", access.me.id, { type: "group", id: groupId });
          },
          { behavior: "immediate" },
        );
        return { userId, realName, sent: true };
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return { userId, realName, sent: false, reason: INVITE_REASONS[error.key] ?? error.key };
      }
    }));
}

/**
 * Ends every membership (active, asked or invited) that breaks the minors rule: an under-14 pupil in
 * a group holding people of another school. Written before the rule was, such rows are ended
 * ("left"), and the pupil's class teachers are told (the notice names the pupil and the group, no
 * one of the other schools). Idempotent: run at each server start and after the demo seed.
 */
export async function endMinorsCrossSchoolMemberships(): Promise<number> {
  const gm = schema.groupMembers;
  const rows = await db()
      .select({ groupId: gm.groupId, userId: gm.userId, schoolId: gm.schoolId, memberAs: gm.memberAs, birthDate: schema.users.birthDate })
      .from(gm)
      .innerJoin(schema.users, eq(schema.users.id, gm.userId))
      .where(inArray(gm.state, ["active", "requested", "invited"]));
  const schoolsByGroup = new Map<string, Set<string | null>>();
  for (const r of rows) schoolsByGroup.set(r.groupId, (schoolsByGroup.get(r.groupId) ?? new Set()).add(r.schoolId));
  const breaking = rows.filter((r) => isMinor({ as: r.memberAs, birthDate: r.birthDate }) && [...schoolsByGroup.get(r.groupId)!].some((s) => s !== r.schoolId));
  if (!breaking.length) return 0;
  await db().transaction(
    async (tx) => {
      for (const r of breaking) {
        await tx.update(gm).set({ state: "left", role: "member" }).where(and(eq(gm.groupId, r.groupId), eq(gm.userId, r.userId)));
        for (const teacherId of await classTeachersOf(tx, r.userId)) await notify(tx, teacherId, "group_minor_left", r.userId, { type: "group", id: r.groupId });
      }
    },
    { behavior: "immediate" },
  );
  return breaking.length;
}

async function classTeachersOf(tx: Tx, studentId: string): Promise<string[]> {
  const cm = schema.classMemberships;
  const classes = tx.select({ classId: cm.classId }).from(cm).innerJoin(schema.classes, eq(schema.classes.id, cm.classId)).where(and(eq(cm.userId, studentId), eq(cm.role, "student"), isNull(schema.classes.archivedAt)));
  return (await tx
      .selectDistinct({ userId: cm.userId })
      .from(cm)
      .where(and(inArray(cm.classId, classes), eq(cm.role, "teacher"))))
    .map((t) => t.userId);
}

/** The invited person accepts (the join rules re-checked) or declines. */
export async function answerInvitation(actor: Actor, groupId: string, accept: boolean): Promise<{ state: "active" | "declined" }> {
  const access = await groupAccess(actor, groupId);
  const { me, as, group, membership } = access;
  if (membership?.state !== "invited" || membership.memberAs !== as) throw new ValidationError({}, "groups:noInvitation");
  const now = new Date();
  if (!accept) {
    await db().update(schema.groupMembers).set({ state: "declined", decidedAt: now }).where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, me.id)));
    return { state: "declined" };
  }
  const person = await actingPerson(me, as);
  await db().transaction(
    async (tx) => {
      await refuseUnlessJoinable(group, person);
      await tx.update(schema.groupMembers)
              .set({ state: "active", schoolId: person.schoolId, joinedAt: now, decidedAt: now })
              .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, me.id)));
      if (membership.invitedBy) await notify(tx, membership.invitedBy, "group_join_approved", me.id, { type: "group", id: groupId });
    },
    { behavior: "immediate" },
  );
  return { state: "active" };
}

/**
 * The owner makes a member a moderator or a member again, or hands the group over ("owner": the old
 * owner becomes a moderator). A student cannot own or moderate a group that has teachers in it.
 */
export async function setMemberRole(actor: Actor, groupId: string, userId: string, rawRole: unknown): Promise<void> {
  const access = await requireGroupMember(actor, groupId);
  if (access.membership!.role !== "owner") throw new ForbiddenError("groups:ownerOnly");
  const role = z.enum(["owner", "moderator", "member"]).safeParse(rawRole);
  if (!role.success) throw new ValidationError({}, "errors:invalidInput");
  if (userId === access.me.id) throw new ValidationError({}, "groups:ownRole");
  await db().transaction(
    async (tx) => {
      const row = await first(tx
              .select()
              .from(schema.groupMembers)
              .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, userId))).limit(1));
      if (!row || row.state !== "active") throw new NotFoundError();
      // Where teachers are members, they lead: a student neither owns nor moderates such a group.
      if (row.memberAs === "student" && role.data !== "member" && (await activeMembers(groupId)).some((m) => m.memberAs === "teacher")) throw new ValidationError({}, "groups:studentCannotModerate");
      await tx.update(schema.groupMembers).set({ role: role.data }).where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, userId)));
      if (role.data === "owner") {
        await tx.update(schema.groupMembers).set({ role: "moderator" }).where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, access.me.id)));
      }
    },
    { behavior: "immediate" },
  );
}

/**
 * A moderator removes a member; they cannot come back by themselves (only by a new invitation).
 * Nobody removes the owner, and only the owner removes a moderator.
 */
export async function removeMember(actor: Actor, groupId: string, userId: string): Promise<void> {
  const access = await requireGroupModerator(actor, groupId);
  if (userId === access.me.id) throw new ValidationError({}, "groups:ownRole");
  const row = await memberRow(groupId, userId);
  if (!row || row.state !== "active") throw new NotFoundError();
  if (row.role === "owner") throw new ForbiddenError("groups:ownerCannotBeRemoved");
  if (row.role === "moderator" && access.membership!.role !== "owner") throw new ForbiddenError("groups:ownerOnly");
  await db().update(schema.groupMembers).set({ state: "removed", role: "member", decidedBy: access.me.id, decidedAt: new Date() }).where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, userId)));
}

export type MemberListing = {
  userId: string;
  realName: string;
  handle: string;
  schoolName: string | null;
  role: GroupRole;
  memberAs: MemberAs;
  note: string;
  since: Date;
};

/**
 * The members with real names and schools (every member sees them); moderators also see requests
 * waiting and invitations not yet answered.
 */
export async function groupMembers(actor: Actor, groupId: string): Promise<{ access: GroupAccess; members: MemberListing[]; requests: MemberListing[]; invited: MemberListing[] }> {
  const access = await requireGroupMember(actor, groupId);
  const states: MemberRow["state"][] = access.mayModerate ? ["active", "requested", "invited"] : ["active"];
  const rows = await db()
      .select({
        userId: schema.groupMembers.userId,
        realName: schema.users.realName,
        handle: schema.users.handle,
        schoolName: schema.schools.name,
        role: schema.groupMembers.role,
        memberAs: schema.groupMembers.memberAs,
        state: schema.groupMembers.state,
        note: schema.groupMembers.note,
        joinedAt: schema.groupMembers.joinedAt,
        createdAt: schema.groupMembers.createdAt,
      })
      .from(schema.groupMembers)
      .innerJoin(schema.users, eq(schema.users.id, schema.groupMembers.userId))
      .leftJoin(schema.schools, eq(schema.schools.id, schema.groupMembers.schoolId))
      .where(and(eq(schema.groupMembers.groupId, groupId), inArray(schema.groupMembers.state, states)))
      .orderBy(asc(schema.groupMembers.createdAt));
  const rank: Record<GroupRole, number> = { owner: 0, moderator: 1, member: 2 };
  const listing = (r: (typeof rows)[number]): MemberListing => ({
    userId: r.userId,
    realName: r.realName,
    handle: r.handle,
    schoolName: r.schoolName,
    role: r.role,
    memberAs: r.memberAs,
    note: r.note,
    since: r.joinedAt ?? r.createdAt,
  });
  return {
    access,
    members: rows
      .filter((r) => r.state === "active")
      .sort((a, b) => rank[a.role] - rank[b.role])
      .map(listing),
    requests: rows.filter((r) => r.state === "requested").map(listing),
    invited: rows.filter((r) => r.state === "invited").map(listing),
  };
}

