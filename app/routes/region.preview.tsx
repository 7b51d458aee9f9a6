import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FlagPreviewPage } from "~/components/FlagPreview";
import { flagPreviewLoader } from "~/lib/flag-preview.server";
import cssUrl from "~/styles/flags.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export const loader = async ({ request }: LoaderFunctionArgs) => flagPreviewLoader(request);

export default function RegionPreview() {
  const { login, search, preview, error } = useLoaderData<typeof loader>();
  const { t } = useTranslation("flags");
  return <FlagPreviewPage intro={t("preview.regionIntro")} back={{ href: "/region/flags", label: t("preview.back") }} login={login} search={search} preview={preview} error={error} />;
}
