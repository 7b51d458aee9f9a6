import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { switchRole } from "~/domain/accounts.server";
import { field, requireActor, safeNext } from "~/lib/http.server";

export const loader = () => redirect("/");

export async function action({ request }: ActionFunctionArgs) {
  const actor = requireActor(request);
  const form = await request.formData();
  switchRole(actor, field(form, "role"));
  return redirect(safeNext(form.get("next")));
}
