import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { spaceHome } from "~/domain/spaces.server";
import { orErrorPage, requireActor } from "~/lib/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = requireActor(request);
  const home = await orErrorPage(() => spaceHome(actor, params.handle ?? ""));
  return { ...home, title: home.owner.realName };
}

/** A person's space. Its blog, portfolio and other capabilities join it as they open (feature flags). */
export default function Space() {
  const { owner, isOwner, status, capabilities } = useLoaderData<typeof loader>();
  const { t } = useTranslation("space");
  return (
    <section className="panel" aria-labelledby="space-title">
      <h1 id="space-title">{owner.realName}</h1>
      <p className="meta">
        {t(`common:roles.${owner.role}`)}
        {owner.schoolName ? ` · ${owner.schoolName}` : ""}
      </p>
      {isOwner ? (
        status.open ? (
          <p className="notice">{t("ownOpen")}</p>
        ) : (
          <p className="alert">{t(`ownClosed_${status.reason}`)}</p>
        )
      ) : null}
      {capabilities ? (
        <>
          <h2>{t("capabilities")}</h2>
          <ul className="capabilities">
            {capabilities.map((c) => (
              <li key={c.key}>
                {t(`flags:names.${c.key}`)} <span className={c.open ? "tag consent-given" : "tag"}>{c.open ? t("capabilityOpen") : t("capabilityClosed")}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
