// Membership of a group: join an open group, ask to join one that needs approval, be invited to any
// (an "invitation" group is closed to everything else), leave, and the moderators' side: approve or
// decline requests, invite, set roles, remove. Every way in re-checks the join rules of
// groups.server.ts (reach, kind, minors, the cross-school flag) at the moment it takes effect.
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { db, schema } from "#db/client";
import type { GroupRole } from "#db/schema";
import type { Actor } from "./actor.server";
import { NotFoundError, ValidationError, ForbiddenError } from "./errors.server";
import {
  actingPerson,
  activeMembers,
  groupAccess,
  groupRow,
  memberRow,
  moderatorsOf,
  personByLogin,
  personOfMember,
  refuseUnlessJoinable,
  requireGroupMember,
  requireGroupModerator,
  requireGroupsActor,
  type GroupAccess,
  type MemberAs,
  type MemberRow,
} from "./groups.server";
import { notify } from "./notifications.server";

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

const loginInput = z.string().trim().min(1, "groups:loginRequired").max(100, "groups:noSuchPerson");

/**
 * A moderator invites someone by login name (a closed group's only way in). The join rules are
 * checked now, so the moderator learns at once that a person is beyond reach, and again on accepting.
 */
export function inviteToGroup(actor: Actor, groupId: string, rawLogin: unknown): { realName: string } {
  const access = requireGroupModerator(actor, groupId);
  const parsed = loginInput.safeParse(typeof rawLogin === "string" ? rawLogin : "");
  if (!parsed.success) throw new ValidationError({ loginName: { key: parsed.error.issues[0]!.message } });
  const person = personByLogin(parsed.data);
  if (!person || person.status === "disabled") throw new ValidationError({ loginName: { key: "groups:noSuchPerson" } });
  const existing = memberRow(groupId, person.id);
  if (existing?.state === "active") throw new ValidationError({ loginName: { key: "groups:alreadyMember", params: { name: person.realName } } });
  try {
    refuseUnlessJoinable(access.group, person);
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError({ loginName: { key: error.key, params: error.params } });
    throw error;
  }
  db().transaction(
    (tx) => {
      upsertMember(tx, { groupId, userId: person.id, role: "member", state: "invited", memberAs: person.as, schoolId: person.schoolId, invitedBy: access.me.id });
      notify(tx, person.id, "group_invited", access.me.id, { type: "group", id: groupId });
    },
    { behavior: "immediate" },
  );
  return { realName: person.realName };
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

