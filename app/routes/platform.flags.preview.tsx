import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FlagPreviewPage } from "~/components/FlagPreview";
import { requirePlatformAdmin } from "~/domain/rollout/flags.server";
import { flagPreviewLoader } from "~/lib/flag-preview.server";
import { orErrorPage, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/flags.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Region admins preview from /region/preview; this page stays the platform admin's.
  await orErrorPage(async () => requirePlatformAdmin(await requireActor(request)));
  return flagPreviewLoader(request);
}

export default function PlatformFlagPreview() {
  const { login, search, preview, error } = useLoaderData<typeof loader>();
  const { t } = useTranslation("flags");
  return <FlagPreviewPage intro={t("preview.intro")} back={{ href: "/platform/flags", label: t("preview.back") }} login={login} search={search} preview={preview} error={error} />;
}
