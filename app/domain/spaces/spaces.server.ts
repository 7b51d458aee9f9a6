// Personal spaces (/u/:handle): who may see one, and what its home shows. A space opens by its school's
// phase (teachers first) and, for a student under 14, guardian consent (rollout.server.ts); the
// capabilities inside it are feature flags (flags.server.ts).
import { and, eq } from "drizzle-orm";
import { db, schema, first } from "#db/client";
import type { LocalNames } from "#db/schema";
import { requireSignedIn, type Actor } from "../foundation/actor.server";
import { NotFoundError } from "../foundation/errors.server";
import { evaluateFlagsForUser, FeatureClosedError, flagForUsers, isFeatureEnabled, requireFeature, type FlagKey } from "../rollout/flags.server";
import { personByHandle, rolesHeldBy, standingsOf } from "../people/people.server";
import { ownerSpaceStatus, requireOpenSpace, type SpaceRole, type SpaceStatus } from "../rollout/rollout.server";
import { findSchool } from "../places/schools.server";
import { belongsToSchool, readerFor, readsOnlyOwn } from "../rollout/visibility.server";
import { mapInOrder } from "~/lib/in-order";

export type SpaceHome = {
  isOwner: boolean;
  /** `schoolNames`: the school's name in bo, ii and en where it gave them (pick with `localName`). */
  owner: { realName: string; handle: string; role: SpaceRole; schoolName: string | null; schoolNames: LocalNames | null };
  status: SpaceStatus;
  /** For the owner of an open space: which capabilities are open for them now (flags). */
  capabilities: { key: FlagKey; open: boolean }[] | null;
};

// The capabilities a personal space holds; study groups, parent access and lesson sharing live elsewhere.
const SPACE_CAPABILITIES: FlagKey[] = ["blog", "portfolio", "assignments"];

/**
 * A space's home as the actor may see it. The owner always sees their own (open or not, and why);
 * others only an open space, and a student's only from inside the student's school (their teachers,
 * classmates, school admins) or as the student's guardian: minors' spaces never reach beyond.
 */
export async function spaceHome(actor: Actor, handle: string): Promise<SpaceHome> {
  const viewer = requireSignedIn(actor);
  const owner = await personByHandle(handle);
  if (!owner || owner.status !== "active") throw new NotFoundError();
  const roles = (await rolesHeldBy([owner.id])).get(owner.id) ?? [];
  const role = (["teacher", "student", "parent"] as const).find((r) => roles.some((g) => g.role === r));
  if (!role) throw new NotFoundError();
  const status = await ownerSpaceStatus(owner.id, role);
  const isOwner = owner.id === viewer.id;
  if (!isOwner) {
    // A closed space, a parent's space and anything the viewer may not see all read as "no such page".
    if (!status.open || role === "parent" || await readsOnlyOwn(viewer)) throw new NotFoundError();
    if (role === "student" && !await mayVisitStudent(viewer, owner)) throw new NotFoundError();
  }
  const school = owner.schoolId ? await findSchool(owner.schoolId) : undefined;
  return {
    isOwner,
    owner: { realName: owner.realName, handle: owner.handle, role, schoolName: school?.name ?? null, schoolNames: school?.names ?? null },
    status,
    capabilities: isOwner && status.open ? (await mapInOrder(SPACE_CAPABILITIES, async (key) => ({ key, open: await isFeatureEnabled(viewer, key) }))) : null,
  };
}

/**
 * Of these people, those whose space the viewer may enter (spaceHome would not refuse), in a fixed
 * number of statements: lists of people (a class) ask about everyone at once with the same rules.
 */
export async function enterableSpaces(actor: Actor, userIds: string[]): Promise<Set<string>> {
  const viewer = requireSignedIn(actor);
  const ids = [...new Set(userIds)];
  const enterable = new Set<string>();
  if (!ids.length) return enterable;
  // The reader's own lookups: the same owners (main role, open space) the feed's checks use, asked once.
  const reader = readerFor(viewer);
  await reader.knowOwners(ids);
  const people = ids.flatMap((id) => {
    const owner = reader.knownOwner(id);
    return owner && owner.status === "active" && owner.role ? [{ ...owner, role: owner.role }] : [];
  });
  const onlyOwn = people.some((p) => p.id !== viewer.id) && await reader.readsOnlyOwn();
  const pupilsElsewhere = people.filter((p) => p.id !== viewer.id && p.role === "student" && !belongsToSchool(viewer, p.schoolId));
  const children = pupilsElsewhere.length ? await reader.children() : new Set<string>();
  for (const p of people) {
    if (p.id === viewer.id) {
      enterable.add(p.id);
      continue;
    }
    // spaceOpen is false for a parent's space (and a closed one), as spaceHome refuses both.
    if (!await reader.spaceOpen(p.id) || onlyOwn) continue;
    if (p.role === "student" && !belongsToSchool(viewer, p.schoolId) && !children.has(p.id)) continue;
    enterable.add(p.id);
  }
  return enterable;
}

/**
 * Who may enter a pupil's space: people holding a role at the pupil's school (its admins acting as
 * such, teachers, classmates) and the pupil's guardians. Region and platform admins manage schools
 * but see counts, never a child's space.
 */
async function mayVisitStudent(viewer: NonNullable<Actor>, student: { id: string; schoolId: string | null }): Promise<boolean> {
  if (belongsToSchool(viewer, student.schoolId)) return true;
  const guardian = await first(db()
      .select({ id: schema.guardianLinks.id })
      .from(schema.guardianLinks)
      .where(and(eq(schema.guardianLinks.guardianId, viewer.id), eq(schema.guardianLinks.studentId, student.id))).limit(1));
  return Boolean(guardian);
}

/**
 * What every route of a space capability (blog, portfolio, assignments…) calls first: the actor's
 * space must be open and the capability's flag on for them; otherwise a translated "not yet open" page.
 */
export async function requireSpaceFeature(actor: Actor, key: FlagKey): Promise<void> {
  await requireOpenSpace(actor);
  await requireFeature(actor, key);
}

/** requireOwnerFeature's answer for several owners at once (a feed's, a class's authors): the ids it lets through. */
export async function ownersWithFeature(ownerIds: string[], key: FlagKey): Promise<Set<string>> {
  const ids = [...new Set(ownerIds)];
  if (!ids.length) return new Set();
  const held = await rolesHeldBy(ids);
  const subjects = [...(await standingsOf(ids)).values()].flatMap((owner) => {
    const roles = held.get(owner.id) ?? [];
    const grant = (["teacher", "student"] as const).map((r) => roles.find((g) => g.role === r)).find(Boolean);
    return grant ? [{ id: owner.id, schoolId: owner.schoolId, role: grant.role, grant }] : [];
  });
  const open = await flagForUsers(subjects, key);
  return new Set([...open].filter(([, enabled]) => enabled).map(([id]) => id));
}

/**
 * Refuses reading a capability that is closed for its owner (e.g. the blog of a teacher whose school
 * has the blog flag off): the reader gets the same "not yet open" page the owner would.
 */
export async function requireOwnerFeature(ownerId: string, key: FlagKey): Promise<void> {
  const owner = (await standingsOf([ownerId])).get(ownerId);
  if (!owner) throw new NotFoundError();
  const roles = (await rolesHeldBy([ownerId])).get(ownerId) ?? [];
  const grant = (["teacher", "student"] as const).map((r) => roles.find((g) => g.role === r)).find(Boolean);
  if (!grant) throw new NotFoundError();
  const evaluation = (await evaluateFlagsForUser(owner, grant.role, grant)).find((e) => e.key === key);
  if (!evaluation?.enabled) throw new FeatureClosedError(key);
}
