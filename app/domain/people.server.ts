// People as the rules need them: standing (status, birthday, school) and the roles they hold, for any
// number of ids in two statements, each person looked up at most once per read-only request (a page's
// flags, space statuses and visibility checks all ask about the same authors and members).
import { inArray } from "drizzle-orm";
import { db, schema } from "#db/client";
import type { Role } from "#db/schema";
import { knownForRequest, manyPerRequest } from "~/lib/request-scope.server";

export type Standing = { id: string; status: string; birthDate: string | null; schoolId: string | null };
export type HeldRole = { userId: string; role: Role; regionId: string | null; schoolId: string | null };

/** Status, birthday and school of each id found (the others are left out). */
export function standingsOf(userIds: Iterable<string>): Map<string, Standing> {
  return manyPerRequest("standing", userIds, (ids) =>
    new Map(
      db()
        .select({ id: schema.users.id, status: schema.users.status, birthDate: schema.users.birthDate, schoolId: schema.users.schoolId })
        .from(schema.users)
        .where(inArray(schema.users.id, ids))
        .all()
        .map((p) => [p.id, p]),
    ),
  );
}

/** The roles each id holds (an empty list for none). */
export function rolesHeldBy(userIds: Iterable<string>): Map<string, HeldRole[]> {
  return manyPerRequest("roles", userIds, (ids) => {
    const held = new Map<string, HeldRole[]>(ids.map((id) => [id, []]));
    const rows = db()
      .select({ userId: schema.userRoles.userId, role: schema.userRoles.role, regionId: schema.userRoles.regionId, schoolId: schema.userRoles.schoolId })
      .from(schema.userRoles)
      .where(inArray(schema.userRoles.userId, ids))
      .all();
    for (const row of rows) held.get(row.userId)!.push(row);
    return held;
  });
}

/** The signed-in reader's own row and roles, read with their session: no page asks for them again. */
export function knownReader(user: Standing, roles: Omit<HeldRole, "userId">[]): void {
  knownForRequest("standing", user.id, { id: user.id, status: user.status, birthDate: user.birthDate, schoolId: user.schoolId });
  knownForRequest("roles", user.id, roles.map((r) => ({ userId: user.id, ...r })));
}
