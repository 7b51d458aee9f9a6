// Membership of a group: join an open group, ask to join one that needs approval, be invited to any
// (an "invitation" group is closed to everything else), leave, and the moderators' side: approve or
// decline requests, invite, set roles, remove. Every way in re-checks the join rules of
// groups.server.ts (reach, kind, minors, the cross-school flag) at the moment it takes effect.
import { and, asc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import { db, schema } from "#db/client";
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

export const REQUEST_NOTE_MAX = 300;

type Tx = Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0];

function upsertMember(tx: Tx, row: typeof schema.groupMembers.$inferInsert): void {
  tx.insert(schema.groupMembers)
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
    })
    .run();
}

/**
 * Joins an open group at once, or asks to join one that needs approval (its moderators are told).
 * Refused: a closed (invitation) group, someone removed from it, and whoever the join rules refuse.
 * Asking twice, or joining while already in, changes nothing.
 */
export function joinGroup(actor: Actor, groupId: string, rawNote?: string | null): { state: "active" | "requested" } {
  const { me, as } = requireGroupsActor(actor);
  const group = groupRow(groupId);
  if (!group) throw new NotFoundError();
  // Someone beyond the group's reach (following an old link, say) is told why, not shown a 404.
  refuseUnlessJoinable(group, actingPerson(me, as), { crossSchool: false });
  const membership = memberRow(groupId, me.id) ?? null;
  if (membership?.state === "active" && membership.memberAs === as) return { state: "active" };
  if (membership?.state === "requested") return { state: "requested" };
  if (membership?.state === "invited") return { state: answerInvitation(me, groupId, true).state === "active" ? "active" : "requested" };
  if (membership?.state === "removed") throw new ValidationError({}, "groups:removedCannotRejoin");
  if (group.joinPolicy === "invitation") throw new ValidationError({}, "groups:closedGroup");
  const note = (rawNote ?? "").trim();
  if (note.length > REQUEST_NOTE_MAX) throw new ValidationError({ note: { key: "groups:noteTooLong", params: { max: REQUEST_NOTE_MAX } } });
  const person = actingPerson(me, as);
  const now = new Date();
  return db().transaction(
    (tx) => {
      refuseUnlessJoinable(group, person);
      if (group.joinPolicy === "open") {
        upsertMember(tx, { groupId, userId: me.id, role: "member", state: "active", memberAs: as, schoolId: person.schoolId, joinedAt: now });
        return { state: "active" as const };
      }
      upsertMember(tx, { groupId, userId: me.id, role: "member", state: "requested", memberAs: as, schoolId: person.schoolId, note });
      for (const m of moderatorsOf(group)) notify(tx, m.userId, "group_join_request", me.id, { type: "group", id: groupId });
      return { state: "requested" as const };
    },
    { behavior: "immediate" },
  );
}

/** Withdraws one's own request. */
export function cancelRequest(actor: Actor, groupId: string): void {
  const { me, membership } = groupAccess(actor, groupId);
  if (membership?.state !== "requested") return;
  db().delete(schema.groupMembers).where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, me.id), eq(schema.groupMembers.state, "requested"))).run();
}

/**
 * Leaves the group. Their posts and files stay (the group's discussion would lose its sense without
 * them); from now on they read and upload nothing there. The owner hands the group over first.
 */
export function leaveGroup(actor: Actor, groupId: string): void {
  const access = requireGroupMember(actor, groupId);
  if (access.membership!.role === "owner") throw new ValidationError({}, "groups:ownerCannotLeave");
  db().update(schema.groupMembers).set({ state: "left", role: "member" }).where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, access.me.id))).run();
}

/** A moderator approves or declines a request; approval re-checks the join rules and tells the person. */
export function decideRequest(actor: Actor, groupId: string, userId: string, approve: boolean): void {
  const access = requireGroupModerator(actor, groupId);
  const now = new Date();
  db().transaction(
    (tx) => {
      const row = tx
        .select()
        .from(schema.groupMembers)
        .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, userId)))
        .get();
      if (!row || row.state !== "requested") throw new ValidationError({}, "groups:noSuchRequest");
      if (!approve) {
        tx.update(schema.groupMembers).set({ state: "declined", decidedBy: access.me.id, decidedAt: now }).where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, userId))).run();
        return;
      }
      refuseUnlessJoinable(access.group, personOfMember(row));
      tx.update(schema.groupMembers)
        .set({ state: "active", decidedBy: access.me.id, decidedAt: now, joinedAt: now })
        .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, userId)))
        .run();
      notify(tx, userId, "group_join_approved", access.me.id, { type: "group", id: groupId });
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
function candidatesFor(access: GroupAccess, filter: { nameFragment?: string; userIds?: string[] }): (InviteCandidate & { person: Person })[] {
  const me = actingPerson(access.me, access.as);
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
  if (filter.nameFragment) conditions.push(sql`instr(lower(${u.realName}), ${filter.nameFragment}) > 0`);
  if (filter.userIds) conditions.push(inArray(u.id, filter.userIds));
  const rows = db()
    .select({ userId: u.id, realName: u.realName, birthDate: u.birthDate, role: r.role, schoolId: r.schoolId, schoolName: schema.schools.name })
    .from(u)
    .innerJoin(r, eq(r.userId, u.id))
    .leftJoin(schema.schools, eq(schema.schools.id, r.schoolId))
    .where(and(...conditions))
    .orderBy(asc(u.realName), asc(u.id))
    .limit(INVITE_SEARCH_MAX * 4)
    .all();
  const seen = new Map<string, InviteCandidate & { person: Person }>();
  // A person who both teaches and studies is invited as a teacher, as they would join.
  for (const row of [...rows].sort((x, y) => (x.role === "teacher" ? 0 : 1) - (y.role === "teacher" ? 0 : 1))) {
    if (seen.has(row.userId) || !reachIncludes(access.group, row.schoolId)) continue;
    const as = row.role as MemberAs;
    seen.set(row.userId, { userId: row.userId, realName: row.realName, schoolName: row.schoolName, as, person: { id: row.userId, schoolId: row.schoolId, birthDate: row.birthDate, as } });
  }
  return [...seen.values()].sort((x, y) => x.realName.localeCompare(y.realName, "zh-Hans")).slice(0, INVITE_SEARCH_MAX);
}

/** The moderator's invitation picker: candidates whose real name contains the fragment typed. */
export function inviteCandidates(actor: Actor, groupId: string, rawQuery: string | null | undefined): InviteCandidate[] {
  const access = requireGroupModerator(actor, groupId);
  const nameFragment = searchFold((rawQuery ?? "").trim()).slice(0, 50);
  if (!nameFragment) return [];
  return candidatesFor(access, { nameFragment }).map(({ person: _person, ...candidate }) => candidate);
}

export type InvitationOutcome = { userId: string; realName: string | null; sent: true } | { userId: string; realName: string | null; sent: false; reason: string };

/** Reasons an invitation may give about a person the inviter sees; the minors rule speaks as the one-school rule. */
const INVITE_REASONS: Record<string, string> = { "groups:minorRule": "groups:oneSchoolForNow" };

/**
 * A moderator invites people chosen in the picker (a closed group's only way in). Each id is checked
 * again: not a candidate (unknown, or someone the inviter may not see) answers "not possible" exactly
 * as an unknown id does; a candidate the join rules refuse answers "not possible" with the rule.
 */
export function inviteToGroup(actor: Actor, groupId: string, rawUserIds: unknown[]): InvitationOutcome[] {
  const access = requireGroupModerator(actor, groupId);
  const userIds = [...new Set(rawUserIds.filter((id): id is string => typeof id === "string" && id.length > 0 && id.length <= 64))].slice(0, INVITE_BATCH_MAX);
  if (!userIds.length) throw new ValidationError({ invitee: { key: "groups:chooseInvitees" } });
  const candidates = new Map(candidatesFor(access, { userIds }).map((c) => [c.userId, c]));
  return userIds.map((userId): InvitationOutcome => {
    const candidate = candidates.get(userId);
    if (!candidate) return { userId, realName: null, sent: false, reason: "groups:inviteNotPossible" };
    const { realName, person } = candidate;
    try {
      db().transaction(
        (tx) => {
          refuseUnlessJoinable(access.group, person);
          upsertMember(tx, { groupId, userId, role: "member", state: "invited", memberAs: person.as, schoolId: person.schoolId, invitedBy: access.me.id });
          notify(tx, userId, "group_invited", access.me.id, { type: "group", id: groupId });
        },
        { behavior: "immediate" },
      );
      return { userId, realName, sent: true };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return { userId, realName, sent: false, reason: INVITE_REASONS[error.key] ?? error.key };
    }
  });
}

/**
 * Ends every membership (active, asked or invited) that breaks the minors rule: an under-14 pupil in
 * a group holding people of another school. Written before the rule was, such rows are ended
 * ("left"), and the pupil's class teachers are told (the notice names the pupil and the group, no
 * one of the other schools). Idempotent: run at each server start and after the demo seed.
 */
export function endMinorsCrossSchoolMemberships(): number {
  const gm = schema.groupMembers;
  const rows = db()
    .select({ groupId: gm.groupId, userId: gm.userId, schoolId: gm.schoolId, memberAs: gm.memberAs, birthDate: schema.users.birthDate })
    .from(gm)
    .innerJoin(schema.users, eq(schema.users.id, gm.userId))
    .where(inArray(gm.state, ["active", "requested", "invited"]))
    .all();
  const schoolsByGroup = new Map<string, Set<string | null>>();
  for (const r of rows) schoolsByGroup.set(r.groupId, (schoolsByGroup.get(r.groupId) ?? new Set()).add(r.schoolId));
  const breaking = rows.filter((r) => isMinor({ as: r.memberAs, birthDate: r.birthDate }) && [...schoolsByGroup.get(r.groupId)!].some((s) => s !== r.schoolId));
  if (!breaking.length) return 0;
  db().transaction(
    (tx) => {
      for (const r of breaking) {
        tx.update(gm).set({ state: "left", role: "member" }).where(and(eq(gm.groupId, r.groupId), eq(gm.userId, r.userId))).run();
        for (const teacherId of classTeachersOf(tx, r.userId)) notify(tx, teacherId, "group_minor_left", r.userId, { type: "group", id: r.groupId });
      }
    },
    { behavior: "immediate" },
  );
  return breaking.length;
}

function classTeachersOf(tx: Tx, studentId: string): string[] {
  const cm = schema.classMemberships;
  const classes = tx.select({ classId: cm.classId }).from(cm).innerJoin(schema.classes, eq(schema.classes.id, cm.classId)).where(and(eq(cm.userId, studentId), eq(cm.role, "student"), isNull(schema.classes.archivedAt)));
  return tx
    .selectDistinct({ userId: cm.userId })
    .from(cm)
    .where(and(inArray(cm.classId, classes), eq(cm.role, "teacher")))
    .all()
    .map((t) => t.userId);
}

/** The invited person accepts (the join rules re-checked) or declines. */
export function answerInvitation(actor: Actor, groupId: string, accept: boolean): { state: "active" | "declined" } {
  const access = groupAccess(actor, groupId);
  const { me, as, group, membership } = access;
  if (membership?.state !== "invited" || membership.memberAs !== as) throw new ValidationError({}, "groups:noInvitation");
  const now = new Date();
  if (!accept) {
    db().update(schema.groupMembers).set({ state: "declined", decidedAt: now }).where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, me.id))).run();
    return { state: "declined" };
  }
  const person = actingPerson(me, as);
  db().transaction(
    (tx) => {
      refuseUnlessJoinable(group, person);
      tx.update(schema.groupMembers)
        .set({ state: "active", schoolId: person.schoolId, joinedAt: now, decidedAt: now })
        .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, me.id)))
        .run();
      if (membership.invitedBy) notify(tx, membership.invitedBy, "group_join_approved", me.id, { type: "group", id: groupId });
    },
    { behavior: "immediate" },
  );
  return { state: "active" };
}

/**
 * The owner makes a member a moderator or a member again, or hands the group over ("owner": the old
 * owner becomes a moderator). A student cannot own or moderate a group that has teachers in it.
 */
export function setMemberRole(actor: Actor, groupId: string, userId: string, rawRole: unknown): void {
  const access = requireGroupMember(actor, groupId);
  if (access.membership!.role !== "owner") throw new ForbiddenError("groups:ownerOnly");
  const role = z.enum(["owner", "moderator", "member"]).safeParse(rawRole);
  if (!role.success) throw new ValidationError({}, "errors:invalidInput");
  if (userId === access.me.id) throw new ValidationError({}, "groups:ownRole");
  db().transaction(
    (tx) => {
      const row = tx
        .select()
        .from(schema.groupMembers)
        .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, userId)))
        .get();
      if (!row || row.state !== "active") throw new NotFoundError();
      // Where teachers are members, they lead: a student neither owns nor moderates such a group.
      if (row.memberAs === "student" && role.data !== "member" && activeMembers(groupId).some((m) => m.memberAs === "teacher")) throw new ValidationError({}, "groups:studentCannotModerate");
      tx.update(schema.groupMembers).set({ role: role.data }).where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, userId))).run();
      if (role.data === "owner") {
        tx.update(schema.groupMembers).set({ role: "moderator" }).where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, access.me.id))).run();
      }
    },
    { behavior: "immediate" },
  );
}

/**
 * A moderator removes a member; they cannot come back by themselves (only by a new invitation).
 * Nobody removes the owner, and only the owner removes a moderator.
 */
export function removeMember(actor: Actor, groupId: string, userId: string): void {
  const access = requireGroupModerator(actor, groupId);
  if (userId === access.me.id) throw new ValidationError({}, "groups:ownRole");
  const row = memberRow(groupId, userId);
  if (!row || row.state !== "active") throw new NotFoundError();
  if (row.role === "owner") throw new ForbiddenError("groups:ownerCannotBeRemoved");
  if (row.role === "moderator" && access.membership!.role !== "owner") throw new ForbiddenError("groups:ownerOnly");
  db().update(schema.groupMembers).set({ state: "removed", role: "member", decidedBy: access.me.id, decidedAt: new Date() }).where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, userId))).run();
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
export function groupMembers(actor: Actor, groupId: string): { access: GroupAccess; members: MemberListing[]; requests: MemberListing[]; invited: MemberListing[] } {
  const access = requireGroupMember(actor, groupId);
  const states: MemberRow["state"][] = access.mayModerate ? ["active", "requested", "invited"] : ["active"];
  const rows = db()
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
    .orderBy(asc(schema.groupMembers.createdAt))
    .all();
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

