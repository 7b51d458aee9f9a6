// Who may read a post, portfolio item or file (DESIGN.md §2 "minors first"). One place decides it for
// every kind of content, so the blog, the portfolio, file downloads and the feed agree.
//
//   private  → only the owner
//   classes  → people who share a (not archived) class with the owner, the owner's guardians, and the
//              admins of the owner's school (not region admins: minors' content stays in the school)
//   school   → everyone of the owner's school, the owner's guardians, and the school's admins
//   public   → anyone, signed in or not (teachers only: students can never choose it)
//
// On top of that, others see nothing of a space that is not open (rollout), and content waiting for a
// teacher's approval (or rejected) is seen only by its author and by those who may approve it. Private
// content never waits for approval: "仅自己" means only the author, approvers and admins included.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { db, schema, selectRows, first } from "#db/client";
import { VISIBILITIES, type ApprovalState, type Visibility } from "#db/schema";
import { requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { NotFoundError, ValidationError } from "../foundation/errors.server";
import { rolesHeldBy, standingsOf } from "../people/people.server";
import { isUnderConsentAge } from "../people/consent-state.server";
import { ownerSpaceStatus, ownerSpaceStatuses, spaceStatus, type SpaceRole } from "./rollout.server";
import { findSchool, studentContentApprovalOf } from "../places/schools.server";

export { VISIBILITIES, type Visibility };

/** What visibility is judged on: whose it is, their school when written, the level, and approval. */
export type Audience = { ownerId: string; schoolId: string | null; visibility: Visibility; approval?: ApprovalState };

/** The owner as the visibility rules need them. */
export type Owner = { id: string; role: SpaceRole | null; schoolId: string | null; birthDate: string | null; status: string };

export async function ownerOf(userId: string): Promise<Owner> {
  const owner = (await ownersOf([userId])).get(userId);
  if (!owner) throw new NotFoundError();
  return owner;
}

/** Several owners in two statements (a list of comments asks about all their authors at once). */
export async function ownersOf(userIds: string[]): Promise<Map<string, Owner>> {
  const owners = new Map<string, Owner>();
  if (!userIds.length) return owners;
  const roles = await rolesHeldBy(userIds);
  for (const user of (await standingsOf(userIds)).values()) {
    const held = roles.get(user.id) ?? [];
    owners.set(user.id, { ...user, role: (["teacher", "student", "parent"] as const).find((r) => held.some((g) => g.role === r)) ?? null });
  }
  return owners;
}

/**
 * The levels an author may choose: a student never beyond their school, a student under 14 never
 * beyond their classes (PIPL art. 31; an unknown birth date counts as under 14).
 */
export function allowedVisibilities(owner: Owner): Visibility[] {
  if (owner.role === "student") return isUnderConsentAge(owner.birthDate) ? ["private", "classes"] : ["private", "classes", "school"];
  return [...VISIBILITIES];
}

/** Parses a submitted visibility and refuses one the author may not choose (field error "visibility"). */
export function chosenVisibility(owner: Owner, raw: unknown): Visibility {
  const parsed = z.enum(VISIBILITIES).safeParse(raw);
  if (!parsed.success) throw new ValidationError({ visibility: { key: "space:visibilityInvalid" } });
  if (!allowedVisibilities(owner).includes(parsed.data)) {
    throw new ValidationError({ visibility: { key: `space:visibilityNotAllowed_${isUnderConsentAge(owner.birthDate) ? "under14" : "student"}` } });
  }
  return parsed.data;
}

/**
 * Whether a student's posts and comments wait for a teacher: the school's setting, or by default on for
 * primary (and preschool) schools. Teachers' content never waits.
 */
export async function needsApproval(owner: Owner): Promise<boolean> {
  if (owner.role !== "student" || !owner.schoolId) return false;
  const school = await findSchool(owner.schoolId);
  if (!school) return false;
  return studentContentApprovalOf(school).required;
}

/**
 * A reader's relations, computed once per request and reused for every item on a page (a feed shows
 * dozens): their classes, their children, and memoised per-owner facts.
 */
export type Reader = {
  actor: SignedInActor | null;
  /** Ids of people who share a not-archived class with the reader (including the reader). */
  classmates(): Promise<Set<string>>;
  /** Ids of the reader's children (guardian links). */
  children(): Promise<Set<string>>;
  /** Whether the owner's space is open (memoised per owner). */
  spaceOpen(ownerId: string): Promise<boolean>;
  /** Looks up these owners' spaces at once, so that spaceOpen asks nothing more per owner (a feed, a class). */
  knowOwners(ownerIds: string[]): Promise<void>;
  /** An owner looked up by knowOwners or spaceOpen (undefined: not looked up, or no such person). */
  knownOwner(ownerId: string): Owner | undefined;
  /** Whether the reader may approve content by this author (memoised per author). */
  mayApprove(authorId: string): Promise<boolean>;
  /** Whether the reader may see what this person wrote beside others' content (a comment): see mayReadWordsOf. */
  mayReadWordsOf(authorId: string): Promise<boolean>;
  /** Looks up these authors at once, so that mayReadWordsOf asks nothing more per author. */
  knowAuthors(authorIds: string[]): Promise<void>;
  /** A pupil whose own space is closed (see readsOnlyOwn). */
  readsOnlyOwn(): Promise<boolean>;
};

const readers = new WeakMap<object, Reader>();

/** The reader for an actor; memoised per actor object (one per request). */
export function readerFor(actor: Actor): Reader {
  if (actor) {
    const known = readers.get(actor);
    if (known) return known;
  }
  let circle: Circle | null = null;
  const open = new Map<string, boolean>();
  const known = new Map<string, Owner>();
  const approve = new Map<string, boolean>();
  const words = new Map<string, boolean>();
  let onlyOwn: boolean | null = null;
  const reader: Reader = {
    actor,
    async classmates() {
      circle ??= actor ? await circleOf(actor.id) : { classmates: new Set(), children: new Set() };
      return circle.classmates;
    },
    async children() {
      circle ??= actor ? await circleOf(actor.id) : { classmates: new Set(), children: new Set() };
      return circle.children;
    },
    async spaceOpen(ownerId) {
      let value = open.get(ownerId);
      if (value === undefined) {
        const owner = await ownerOf(ownerId);
        known.set(ownerId, owner);
        value = owner.role !== null && owner.role !== "parent" && (await ownerSpaceStatus(ownerId, owner.role)).open;
        open.set(ownerId, value);
      }
      return value;
    },
    async knowOwners(ownerIds) {
      const owners = await ownersOf([...new Set(ownerIds)].filter((id) => !open.has(id)));
      const spaces = [...owners.values()].flatMap((o) => (o.role && o.role !== "parent" ? [{ id: o.id, role: o.role }] : []));
      const statuses = await ownerSpaceStatuses(spaces);
      for (const o of owners.values()) {
        known.set(o.id, o);
        open.set(o.id, o.role !== null && o.role !== "parent" && Boolean(statuses.get(`${o.id}:${o.role}`)?.open));
      }
    },
    knownOwner(ownerId) {
      return known.get(ownerId);
    },
    async mayApprove(authorId) {
      let value = approve.get(authorId);
      if (value === undefined) {
        value = actor ? await mayApproveFor(actor, authorId) : false;
        approve.set(authorId, value);
      }
      return value;
    },
    async mayReadWordsOf(authorId) {
      let value = words.get(authorId);
      if (value === undefined) {
        value = await mayReadWordsOf(reader, await ownerOf(authorId));
        words.set(authorId, value);
      }
      return value;
    },
    async knowAuthors(authorIds) {
      const unknown = [...new Set(authorIds)].filter((id) => !words.has(id));
      for (const [id, author] of await ownersOf(unknown)) words.set(id, await mayReadWordsOf(reader, author));
    },
    async readsOnlyOwn() {
      onlyOwn ??= Boolean(actor && actor.activeRole === "student" && !(await spaceStatus(actor)).open);
      return onlyOwn;
    },
  };
  if (actor) readers.set(actor, reader);
  return reader;
}

type Circle = { classmates: Set<string>; children: Set<string> };

/**
 * The people around a reader, in one statement: everyone in their current classes (themselves
 * included) and the children they are a guardian of.
 */
async function circleOf(userId: string): Promise<Circle> {
  const rows = await selectRows<{ kind: "classmate" | "child"; id: string }>(sql`
    select 'classmate' as kind, other.user_id as id
      from class_memberships mine
      join classes c on c.id = mine.class_id and c.archived_at is null
      join class_memberships other on other.class_id = mine.class_id
     where mine.user_id = ${userId}
    union all
    select 'child', student_id from guardian_links where guardian_id = ${userId}`);
  const circle: Circle = { classmates: new Set([userId]), children: new Set() };
  for (const r of rows) (r.kind === "child" ? circle.children : circle.classmates).add(r.id);
  return circle;
}

/**
 * Who approves a student's posts and comments: a teacher of one of the student's (current) classes,
 * acting as teacher, or an admin of the student's school.
 */
async function mayApproveFor(actor: SignedInActor, authorId: string): Promise<boolean> {
  const author = await ownerOf(authorId);
  if (author.schoolId && isSchoolAdminOf(actor, author.schoolId)) return true;
  if (actor.activeRole !== "teacher" || actor.schoolId !== author.schoolId) return false;
  const shared = (await db()
      .select({ classId: schema.classMemberships.classId })
      .from(schema.classMemberships)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
      .where(and(eq(schema.classMemberships.userId, authorId), eq(schema.classMemberships.role, "student"), isNull(schema.classes.archivedAt))))
    .map((r) => r.classId);
  if (!shared.length) return false;
  const teaches = await first(db()
      .select({ classId: schema.classMemberships.classId })
      .from(schema.classMemberships)
      .where(and(eq(schema.classMemberships.userId, actor.id), eq(schema.classMemberships.role, "teacher"), inArray(schema.classMemberships.classId, shared))).limit(1));
  return Boolean(teaches);
}

/**
 * The admins of the owner's own school, acting as such. Region and platform admins manage schools but
 * do not read (or moderate) pupils' content: minors' content stays inside their school.
 */
export function isSchoolAdminOf(actor: SignedInActor, schoolId: string): boolean {
  return actor.activeRole === "school_admin" && actor.roles.some((g) => g.role === "school_admin" && g.schoolId === schoolId);
}

/**
 * Whether the person is of this school: holds a role there (a school admin only while acting as one).
 * A parent's school is their child's, not theirs: guardians are asked about separately.
 */
export function belongsToSchool(actor: SignedInActor, schoolId: string | null): boolean {
  if (!schoolId) return false;
  if (isSchoolAdminOf(actor, schoolId)) return true;
  return actor.schoolId === schoolId && actor.roles.some((g) => g.schoolId === schoolId && g.role !== "school_admin");
}

/**
 * A pupil's comment carries a child's real name, whatever the post it stands under: it is read only by
 * the pupil, people of the pupil's school and the pupil's guardians (never anonymous readers, other
 * schools or region admins). Others' words follow the post they stand under.
 */
async function mayReadWordsOf(reader: Reader, author: Owner): Promise<boolean> {
  if (author.role !== "student") return true;
  const viewer = reader.actor;
  if (!viewer) return false;
  return viewer.id === author.id || belongsToSchool(viewer, author.schoolId) || (await reader.children()).has(author.id);
}

/** Whether the reader may approve (or reject) content written by `authorId`. */
export async function mayApprove(actor: Actor, authorId: string): Promise<boolean> {
  return readerFor(actor).mayApprove(authorId);
}

/**
 * A pupil, acting as one, whose own space is not open — no guardian consent yet (under 14), or the
 * school's phase does not reach students — reads nothing of others (spaces, posts, portfolios, files,
 * the feed) until it opens: only their own content. Class, lesson, assignment and group pages refuse
 * them already through requireSpaceFeature.
 */
export async function readsOnlyOwn(actor: Actor): Promise<boolean> {
  return readerFor(actor).readsOnlyOwn();
}

/** Whether the reader may see content with this audience. */
export async function canSee(actor: Actor, audience: Audience): Promise<boolean> {
  const reader = readerFor(actor);
  const viewer = reader.actor;
  if (viewer && viewer.id === audience.ownerId) return true;
  if (await reader.readsOnlyOwn()) return false;
  // Before approvals: "仅自己" is never shown to an approver, even if it once waited for one.
  if (audience.visibility === "private") return false;
  const approval = audience.approval ?? "none";
  if (approval === "pending" || approval === "rejected") return reader.mayApprove(audience.ownerId);
  if (!await reader.spaceOpen(audience.ownerId)) return false;
  if (audience.visibility === "public") return true;
  if (!viewer) return false;
  if ((await reader.children()).has(audience.ownerId)) return true;
  if (audience.schoolId && isSchoolAdminOf(viewer, audience.schoolId)) return true;
  if (audience.visibility === "classes") return (await reader.classmates()).has(audience.ownerId);
  // "school": the reader's own school, in a role held at that school (a parent of another school's child does not count).
  return Boolean(audience.schoolId && viewer.schoolId === audience.schoolId && viewer.roles.some((g) => g.schoolId === audience.schoolId));
}

/** Refuses content the reader may not see as "not found": a guessed URL learns nothing. */
export async function requireVisible(actor: Actor, audience: Audience): Promise<void> {
  if (!await canSee(actor, audience)) {
    if (!actor) requireSignedIn(actor); // anonymous readers are sent to sign in first
    throw new NotFoundError();
  }
}
