// A space's profile: who the person is (real name, school, role, avatar, short bio) and what of their
// space the reader may see. Who may enter a space at all is spaces.server's rule; on top of it an
// anonymous reader may enter a teacher's open space that holds public content (and sees only that).
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { db, schema, firstRow, first } from "#db/client";
import type { LocalNames } from "#db/schema";
import { requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { attachFiles, deleteFiles, discardDrafts } from "../uploads/files.server";
import { ForbiddenError, NotFoundError, ValidationError, fieldErrorsOf } from "../foundation/errors.server";
import { FeatureClosedError, type FlagKey } from "../rollout/flags.server";
import { ownerSpaceStatus, type SpaceRole, type SpaceStatus } from "../rollout/rollout.server";
import { personByHandle, rolesHeldBy } from "../people/people.server";
import { findSchool } from "../places/schools.server";
import { requireOwnerFeature, spaceHome, type SpaceHome } from "./spaces.server";
import { canSee } from "../rollout/visibility.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";
import { filterInOrder } from "~/lib/in-order";

export const BIO_MAX = 300;
const RECENT_POSTS = 5;

/** The owner of a space as the other space modules need them. */
export type SpaceOwner = { id: string; handle: string; realName: string; role: SpaceRole; schoolId: string | null; schoolName: string | null; schoolNames: LocalNames | null; isOwner: boolean };

export type SpaceProfile = {
  isOwner: boolean;
  owner: SpaceOwner & { bio: string | null; avatarUrl: string | null };
  status: SpaceStatus;
  capabilities: SpaceHome["capabilities"];
  counts: { followers: number; following: number };
  /** Whether the reader follows this space; null when they cannot (anonymous, or their own space). */
  following: boolean | null;
  blogOpen: boolean;
  portfolioOpen: boolean;
  recentPosts: { id: string; title: string; excerpt: string; publishedAt: Date }[];
};

/** The URL the download route serves a file under (files.server's fileUrl, without loading a row twice). */
export function avatarUrl(file: { id: string; name: string } | null | undefined): string | null {
  return file ? `/files/${file.id}/${encodeURIComponent(file.name)}` : null;
}

async function mainSpaceRole(userId: string): Promise<SpaceRole | null> {
  const roles = (await rolesHeldBy([userId])).get(userId) ?? [];
  return (["teacher", "student", "parent"] as const).find((r) => roles.some((g) => g.role === r)) ?? null;
}

/** Whether a capability is open for its owner (the reading side of requireOwnerFeature, as a boolean). */
export async function ownerFeatureOpen(ownerId: string, key: FlagKey): Promise<boolean> {
  try {
    await requireOwnerFeature(ownerId, key);
    return true;
  } catch (error) {
    if (error instanceof FeatureClosedError || error instanceof NotFoundError) return false;
    throw error;
  }
}

/**
 * Whether a teacher's open space holds anything public an anonymous reader could see: without it an
 * anonymous reader is asked to sign in, whether or not the handle exists.
 */
async function hasPublicContent(ownerId: string): Promise<boolean> {
  const post = await ownerFeatureOpen(ownerId, "blog")
    ? await first(db()
              .select({ id: schema.posts.id })
              .from(schema.posts)
              .where(and(eq(schema.posts.authorId, ownerId), eq(schema.posts.status, "published"), eq(schema.posts.visibility, "public"), inArray(schema.posts.approval, ["none", "approved"]))).limit(1))
    : undefined;
  if (post) return true;
  const item = await ownerFeatureOpen(ownerId, "portfolio")
    ? await first(db()
              .select({ id: schema.portfolioItems.id })
              .from(schema.portfolioItems)
              .where(and(eq(schema.portfolioItems.ownerId, ownerId), eq(schema.portfolioItems.visibility, "public"))).limit(1))
    : undefined;
  return Boolean(item);
}

/**
 * The space behind a handle, if the reader may enter it: signed-in readers by spaces.server's rule,
 * anonymous readers only a teacher's open space with public content. Refuses with 404 (or, for an
 * anonymous reader, "sign in first") otherwise.
 */
export async function spaceOwner(actor: Actor, handle: string): Promise<{ owner: SpaceOwner; home: SpaceHome | null }> {
  if (actor) {
    const home = await spaceHome(actor, handle);
    const row = (await personByHandle(handle))!;
    return { owner: { id: row.id, handle: row.handle, realName: row.realName, role: home.owner.role, schoolId: row.schoolId, schoolName: home.owner.schoolName, schoolNames: home.owner.schoolNames, isOwner: home.isOwner }, home };
  }
  const row = await personByHandle(handle);
  const role = row && row.status === "active" ? await mainSpaceRole(row.id) : null;
  if (!row || role !== "teacher" || !(await ownerSpaceStatus(row.id, role)).open || !await hasPublicContent(row.id)) requireSignedIn(actor);
  const owner = row!;
  const school = owner.schoolId ? await findSchool(owner.schoolId) : undefined;
  return {
    owner: { id: owner.id, handle: owner.handle, realName: owner.realName, role: "teacher", schoolId: owner.schoolId, schoolName: school?.name ?? null, schoolNames: school?.names ?? null, isOwner: false },
    home: null,
  };
}

/** Whether the reader may enter the space of `userId` (for lists of people: followers, the feed). */
export async function maySeeSpace(actor: Actor, userId: string): Promise<boolean> {
  const row = await first(db().select({ handle: schema.users.handle }).from(schema.users).where(eq(schema.users.id, userId)).limit(1));
  if (!row) return false;
  try {
    await spaceOwner(actor, row.handle);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ForbiddenError) return false;
    throw error;
  }
}

/** Follower and following counts of a person (the caller has checked the reader may enter the space). */
export async function followCountsOf(userId: string): Promise<{ followers: number; following: number }> {
  const counts = await firstRow<{ followers: number; following: number }>(
      sql`select (select count(*) from ${schema.follows} where ${schema.follows.followeeId} = ${userId}) as followers,
                 (select count(*) from ${schema.follows} where ${schema.follows.followerId} = ${userId}) as following`,
    );
  return { followers: counts?.followers ?? 0, following: counts?.following ?? 0 };
}

/** The space home as the reader may see it: profile, counts, and the recent posts visible to them. */
export async function spaceProfile(actor: Actor, handle: string): Promise<SpaceProfile> {
  const { owner, home } = await spaceOwner(actor, handle);
  const row = (await personByHandle(handle))!;
  // files.server serves an avatar only to signed-in readers of the space.
  const avatar = row.avatarFileId && actor ? await first(db().select({ id: schema.files.id, name: schema.files.name }).from(schema.files).where(eq(schema.files.id, row.avatarFileId)).limit(1)) : null;
  const status = home?.status ?? { open: true as const };
  const blogOpen = status.open && await ownerFeatureOpen(owner.id, "blog");
  const portfolioOpen = status.open && await ownerFeatureOpen(owner.id, "portfolio");
  const following =
    actor && !owner.isOwner
      ? Boolean(await first(db().select({ id: schema.follows.followerId }).from(schema.follows).where(and(eq(schema.follows.followerId, actor.id), eq(schema.follows.followeeId, owner.id))).limit(1)))
      : null;
  return {
    isOwner: owner.isOwner,
    owner: { ...owner, bio: row.bio, avatarUrl: avatarUrl(avatar) },
    status,
    capabilities: home?.capabilities ?? null,
    counts: await followCountsOf(owner.id),
    following,
    blogOpen,
    portfolioOpen,
    recentPosts: blogOpen ? await recentPosts(actor, owner.id) : [],
  };
}

async function recentPosts(actor: Actor, ownerId: string) {
  const p = schema.posts;
  // Read a few more than shown: some may be for other audiences than this reader.
  const rows = await db()
      .select({ id: p.id, title: p.title, excerpt: p.excerpt, publishedAt: p.publishedAt, schoolId: p.schoolId, visibility: p.visibility, approval: p.approval })
      .from(p)
      .where(and(eq(p.authorId, ownerId), eq(p.status, "published"), inArray(p.approval, ["none", "approved"])))
      .orderBy(desc(p.publishedAt), desc(p.id))
      .limit(RECENT_POSTS * 6);
  return (await filterInOrder(rows, async (r) => canSee(actor, { ownerId, schoolId: r.schoolId, visibility: r.visibility, approval: r.approval })))
    .slice(0, RECENT_POSTS)
    .map((r) => ({ id: r.id, title: r.title, excerpt: r.excerpt, publishedAt: r.publishedAt ?? new Date(0) }));
}

// Control characters other than line breaks are dropped: a bio is shown as plain text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F]/g;

const bioShape = z
  .string()
  .transform((s) => withoutDirectionControls(s.replace(/\r\n?/g, "\n").replace(CONTROL, "")).trim())
  .pipe(z.string().max(BIO_MAX, "space:bioTooLong"));

function requireOwnProfile(actor: Actor, handle: string): SignedInActor {
  const me = requireSignedIn(actor);
  // Someone else's profile: as if there were nothing to edit, whether or not they may see the space.
  if (me.handle !== handle.toLowerCase()) throw new NotFoundError();
  return me;
}

/** What the edit page starts from. */
export async function profileForEdit(actor: Actor, handle: string): Promise<{ realName: string; handle: string; bio: string; avatarUrl: string | null }> {
  const me = requireOwnProfile(actor, handle);
  const row = (await first(db().select({ bio: schema.users.bio, avatarFileId: schema.users.avatarFileId }).from(schema.users).where(eq(schema.users.id, me.id)).limit(1)))!;
  const avatar = row.avatarFileId ? await first(db().select({ id: schema.files.id, name: schema.files.name }).from(schema.files).where(eq(schema.files.id, row.avatarFileId)).limit(1)) : null;
  return { realName: me.realName, handle: me.handle, bio: row.bio ?? "", avatarUrl: avatarUrl(avatar) };
}

/**
 * Saves the owner's bio and, if one was uploaded, their new avatar (a draft image from
 * receiveUploadForm); the old avatar's file goes. A refused bio discards the uploaded draft.
 */
export async function updateProfile(actor: Actor, handle: string, input: { bio: unknown; avatarFileId?: string | null; removeAvatar?: boolean }): Promise<void> {
  let me: SignedInActor;
  try {
    me = requireOwnProfile(actor, handle);
  } catch (error) {
    if (actor && input.avatarFileId) await discardDrafts(actor, [input.avatarFileId]);
    throw error;
  }
  const parsed = bioShape.safeParse(typeof input.bio === "string" ? input.bio : "");
  if (!parsed.success) {
    if (input.avatarFileId) await discardDrafts(me, [input.avatarFileId]);
    throw new ValidationError(fieldErrorsOf(parsed.error).bio ? { bio: fieldErrorsOf(parsed.error).bio! } : { bio: { key: "space:bioTooLong" } }, "errors:invalidInput");
  }
  await db().transaction(
    async (tx) => {
      const current = await first(tx.select({ avatarFileId: schema.users.avatarFileId }).from(schema.users).where(eq(schema.users.id, me.id)).limit(1));
      let avatarFileId = current?.avatarFileId ?? null;
      if (input.avatarFileId) {
        await attachFiles(tx, me, [input.avatarFileId], { type: "avatar" });
        if (avatarFileId && avatarFileId !== input.avatarFileId) await deleteFiles(tx, me, [avatarFileId]);
        avatarFileId = input.avatarFileId;
      } else if (input.removeAvatar && avatarFileId) {
        await deleteFiles(tx, me, [avatarFileId]);
        avatarFileId = null;
      }
      await tx.update(schema.users)
              .set({ bio: parsed.data || null, avatarFileId })
              .where(eq(schema.users.id, me.id));
    },
    { behavior: "immediate" },
  );
}
