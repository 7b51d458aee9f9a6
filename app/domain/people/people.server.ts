// People as the rules need them: standing (status, birthday, school) and the roles they hold, for any
// number of ids in two statements, each person looked up at most once per read-only request (a page's
// flags, space statuses and visibility checks all ask about the same authors and members).
import { eq, inArray } from "drizzle-orm";
import { db, schema, first } from "#db/client";
import type { Role } from "#db/schema";
import { knownForRequest, manyPerRequest, oncePerRequest } from "~/lib/request-scope.server";
import { consentColumns, knownConsent } from "./consent-state.server";

export type Standing = { id: string; status: string; birthDate: string | null; schoolId: string | null };
export type HeldRole = { userId: string; role: Role; regionId: string | null; schoolId: string | null };

/** Status, birthday and school of each id found (the others are left out). */
export async function standingsOf(userIds: Iterable<string>): Promise<Map<string, Standing>> {
  return manyPerRequest("standing", userIds, async (ids) => (await fetchPeople(ids)).standings);
}

/** The roles each id holds (an empty list for none). */
export async function rolesHeldBy(userIds: Iterable<string>): Promise<Map<string, HeldRole[]>> {
  return manyPerRequest("roles", userIds, async (ids) => (await fetchPeople(ids)).roles);
}

/** Standing and roles together, in one statement (a row per role held); each answer serves both. */
async function fetchPeople(ids: string[]): Promise<{ standings: Map<string, Standing>; roles: Map<string, HeldRole[]> }> {
  const standings = new Map<string, Standing>();
  const roles = new Map<string, HeldRole[]>(ids.map((id) => [id, []]));
  const rows = await db()
      .select({
        id: schema.users.id,
        status: schema.users.status,
        birthDate: schema.users.birthDate,
        schoolId: schema.users.schoolId,
        role: { role: schema.userRoles.role, regionId: schema.userRoles.regionId, schoolId: schema.userRoles.schoolId },
        ...consentColumns(),
      })
      .from(schema.users)
      .leftJoin(schema.userRoles, eq(schema.userRoles.userId, schema.users.id))
      .where(inArray(schema.users.id, ids));
  for (const { role, consentRecord, consentLink, ...standing } of rows) {
    if (!standings.has(standing.id)) {
      standings.set(standing.id, standing);
      knownConsent(standing.id, { consentRecord, consentLink });
    }
    if (role) roles.get(standing.id)!.push({ userId: standing.id, ...role });
  }
  for (const [id, standing] of standings) knownForRequest("standing", id, standing);
  for (const [id, held] of roles) knownForRequest("roles", id, held);
  return { standings, roles };
}

export type Person = typeof schema.users.$inferSelect;

/** The person behind a handle (a space's address), whatever their status; asked once per read-only request. */
export async function personByHandle(handle: string): Promise<Person | undefined> {
  const key = handle.toLowerCase();
  return oncePerRequest(`person-by-handle:${key}`, async () => first(db().select().from(schema.users).where(eq(schema.users.handle, key)).limit(1)));
}

/** The signed-in reader's own row and roles, read with their session: no page asks for them again. */
export function knownReader(user: Standing, roles: Omit<HeldRole, "userId">[]): void {
  knownForRequest("standing", user.id, { id: user.id, status: user.status, birthDate: user.birthDate, schoolId: user.schoolId });
  knownForRequest("roles", user.id, roles.map((r) => ({ userId: user.id, ...r })));
}
