import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { notificationLinks } from "~/domain/overviews/follows.server";
import { markRead } from "~/domain/notices/notifications.server";
import { orErrorPage, requireActor } from "~/lib/http.server";

// Opening a notice: marks it read (the reader's own only; anyone else's is 404), then goes on to what it
// is about — or back to the list when it has no page. A plain link: works without JavaScript.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const row = await orErrorPage(async () => markRead(actor, params.id ?? ""));
  const href = (await notificationLinks(actor, [row])).get(row.id);
  return redirect(href ?? "/notifications");
}
