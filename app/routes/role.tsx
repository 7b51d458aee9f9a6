import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { switchRole } from "~/domain/accounts/accounts.server";
import { field, orErrorPage, requireActor, safeNext } from "~/lib/http.server";

export const loader = () => redirect("/");

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  // A role the person does not hold gets the translated "not allowed" page, not a server error.
  await orErrorPage(async () => switchRole(actor, field(form, "role")));
  return redirect(safeNext(form.get("next")));
}

// A page route (not a resource route), so a refusal renders the root's translated error page.
export default function Role() {
  return null;
}
