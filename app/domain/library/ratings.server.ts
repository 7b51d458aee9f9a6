// Teachers who may use a resource rate it (1–5, once: rating again replaces it) and comment on it.
// Its author answers comments but does not rate their own work.
import { z } from "zod";
import { db, schema } from "#db/client";
import type { Actor } from "../foundation/actor.server";
import { ForbiddenError, ValidationError } from "../foundation/errors.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";
import { randomId } from "../foundation/ids.server";
import { resourceRow, resourceStanding } from "./library-access.server";

export const LIBRARY_COMMENT_MAX = 1000;

export async function rateResource(actor: Actor, resourceId: string, raw: string | null | undefined, now = Date.now()): Promise<{ stars: number }> {
  const standing = await resourceStanding(actor, await resourceRow(resourceId));
  if (standing.isAuthor || !standing.mayUse) throw new ForbiddenError("library:errors.mayNotRate");
  const stars = z.coerce.number().int().min(1).max(5).safeParse(raw);
  if (!stars.success) throw new ValidationError({ stars: { key: "library:errors.starsInvalid" } });
  await db()
    .insert(schema.libraryRatings)
    .values({ resourceId, userId: standing.me.id, stars: stars.data, updatedAt: new Date(now) })
    .onConflictDoUpdate({ target: [schema.libraryRatings.resourceId, schema.libraryRatings.userId], set: { stars: stars.data, updatedAt: new Date(now) } });
  return { stars: stars.data };
}

const commentShape = z.string().overwrite(withoutDirectionControls).trim().min(1, "library:errors.commentEmpty").max(LIBRARY_COMMENT_MAX, "library:errors.commentTooLong");

export async function commentOnResource(actor: Actor, resourceId: string, raw: string | null | undefined): Promise<{ id: string }> {
  const standing = await resourceStanding(actor, await resourceRow(resourceId));
  if (!standing.isAuthor && !standing.mayUse) throw new ForbiddenError();
  const body = commentShape.safeParse(raw ?? "");
  if (!body.success) throw new ValidationError({ comment: { key: body.error.issues[0]?.message ?? "errors:invalidInput" } });
  const id = randomId();
  await db().insert(schema.libraryComments).values({ id, resourceId, authorId: standing.me.id, body: body.data });
  return { id };
}
