import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { languageCookie, setPreferredLocale } from "~/domain/accounts/locale.server";
import { actorFromRequest } from "~/domain/accounts/sessions.server";
import { isLng } from "~/i18n";
import { safeNext } from "~/lib/http.server";

export const loader = () => redirect("/");

/** The language switcher posts here: a cookie for everyone, and the saved preference when signed in. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lng = form.get("lng");
  const next = safeNext(form.get("next"));
  if (!isLng(lng)) return redirect(next);
  const actor = await actorFromRequest(request);
  if (actor) await setPreferredLocale(actor, lng);
  return redirect(next, { headers: { "Set-Cookie": languageCookie(lng) } });
}
