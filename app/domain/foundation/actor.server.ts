// The acting user as every domain function receives it: who they are, what roles they hold with
// which scope, and the role they act in now. `null` means anonymous.
import type { Locale, Role, UserStatus } from "#db/schema";
import { ForbiddenError } from "./errors.server";

export type RoleGrant = { role: Role; regionId: string | null; schoolId: string | null };

export type SignedInActor = {
  id: string;
  handle: string;
  loginName: string;
  realName: string;
  schoolId: string | null;
  locale: Locale | null;
  status: UserStatus;
  roles: RoleGrant[];
  activeRole: Role;
  sessionId: string;
};

export type Actor = SignedInActor | null;

/** Refuses anonymous readers (401: the route sends them to sign in). */
export function requireSignedIn(actor: Actor): SignedInActor {
  if (!actor) throw new ForbiddenError("errors:signInRequired", 401);
  return actor;
}

/** The grant of `role` if the actor holds it and is acting in it now; refuses otherwise. */
export function requireActingAs(actor: Actor, role: Role): { actor: SignedInActor; grant: RoleGrant } {
  const signedIn = requireSignedIn(actor);
  const grant = signedIn.roles.find((g) => g.role === role);
  if (!grant || signedIn.activeRole !== role) throw new ForbiddenError();
  return { actor: signedIn, grant };
}

/** The actor for a user row, their role grants and the role they act in (a session, or the demo seed). */
export function actorOf(
  user: Pick<SignedInActor, "id" | "handle" | "loginName" | "realName" | "schoolId" | "locale" | "status">,
  roles: RoleGrant[],
  activeRole: Role,
  sessionId: string,
): SignedInActor {
  const { id, handle, loginName, realName, schoolId, locale, status } = user;
  return { id, handle, loginName, realName, schoolId, locale, status, roles, activeRole, sessionId };
}
