// Tests run against the demo world (real rows in a real migrated database), signing people in
// through the same session code the app uses.
import { and, eq } from "drizzle-orm";
import { db, schema, first } from "#db/client";
import type { Role } from "#db/schema";
import { seedDemo } from "#db/seed/demo";
import type { SignedInActor } from "~/domain/foundation/actor.server";
import { createSession, validateSessionToken } from "~/domain/accounts/sessions.server";

let seeded: Awaited<ReturnType<typeof seedDemo>> | undefined;

export async function demoWorld() {
  seeded ??= await seedDemo();
  return seeded;
}

export async function userByLogin(loginName: string) {
  const user = await first(db().select().from(schema.users).where(eq(schema.users.loginName, loginName)).limit(1));
  if (!user) throw new Error(`no demo user ${loginName}`);
  return user;
}

/** A signed-in actor for a demo login, acting in `role` (default: their first role). */
export async function actorFor(loginName: string, role?: Role): Promise<SignedInActor> {
  const user = await userByLogin(loginName);
  const roles = await db().select().from(schema.userRoles).where(eq(schema.userRoles.userId, user.id));
  const activeRole = role ?? roles[0]!.role;
  const { token } = await createSession(user.id, { remember: false, activeRole });
  const validated = await validateSessionToken(token);
  if (!validated) throw new Error(`cannot sign in ${loginName}`);
  return validated.actor;
}

export const CLIENT = { address: "203.0.113.7", userAgent: "vitest" };

/** A demo class's id, by its school's login prefix (e.g. "wuhou-pri") and its name. */
export async function classIdOf(school: string, name: string): Promise<string> {
  return (await first(db()
      .select()
      .from(schema.classes)
      .innerJoin(schema.schools, eq(schema.schools.id, schema.classes.schoolId))
      .where(and(eq(schema.classes.name, name), eq(schema.schools.loginPrefix, school))).limit(1)))!.classes.id;
}
