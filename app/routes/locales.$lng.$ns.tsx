import type { LoaderFunctionArgs } from "@remix-run/node";
import { isLng, namespaces } from "~/i18n";
import { resources } from "~/i18next.server";

// Translations for hydrated pages, fetched by the browser's i18next; cached for an hour.
export function loader({ params }: LoaderFunctionArgs) {
  const ns = params.ns ?? "";
  if (!isLng(params.lng) || !(namespaces as readonly string[]).includes(ns)) throw new Response(null, { status: 404 });
  return Response.json(resources[params.lng]?.[ns] ?? {}, { headers: { "Cache-Control": "public, max-age=3600" } });
}
