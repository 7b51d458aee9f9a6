import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { actorFromRequest, blankSessionCookie, invalidateSession } from "~/domain/accounts/sessions.server";

// Signing out is a POST (a link could be fetched by a prefetcher); GET just goes home.
export const loader = () => redirect("/");

export async function action({ request }: ActionFunctionArgs) {
  const actor = await actorFromRequest(request);
  if (actor) await invalidateSession(actor.sessionId);
  return redirect("/login", { headers: { "Set-Cookie": blankSessionCookie(request) } });
}
