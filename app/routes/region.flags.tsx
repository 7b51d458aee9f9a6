import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FlagOverrideCell, FlagOverrideList } from "~/components/FlagOverride";
import { FormAlert } from "~/components/FormBits";
import { clearFlagOverride, regionFlagsView, setFlagOverride } from "~/domain/flags.server";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/flags.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = requireActor(request);
  const url = new URL(request.url);
  const view = await orErrorPage(() => regionFlagsView(actor, url.searchParams.get("place")));
  return { title: await pageTitle(request, "flags:regionTitle"), saved: url.searchParams.has("saved"), ...view };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = requireActor(request);
  const form = await request.formData();
  const input = { flag: field(form, "flag"), scope: field(form, "scope"), scopeId: field(form, "scopeId"), enabled: field(form, "enabled"), locked: field(form, "locked") };
  try {
    if (field(form, "intent") === "clear") clearFlagOverride(actor, input);
    else setFlagOverride(actor, input);
    const place = `${input.scope}:${input.scopeId}`;
    return redirect(`/region/flags?place=${encodeURIComponent(place)}&saved=1#flag-${input.flag}`);
  } catch (error) {
    return formFailure(error, { flag: input.flag });
  }
}

export default function RegionFlags() {
  const { region, places, place, cells, overrides, saved } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("flags");
  return (
    <>
      <section className="panel" aria-labelledby="region-flags-title">
        <h1 id="region-flags-title">{t("regionTitle")}</h1>
        <p className="meta">{region}</p>
        <p className="hint">{t("regionIntro")}</p>
        <Form method="get" className="flag-place">
          <div className="flag-row">
            <label htmlFor="f-place">{t("place")}</label>
            <select id="f-place" name="place" defaultValue={`${place.scope}:${place.id}`}>
              {places.map((p) => (
                <option key={`${p.scope}:${p.id}`} value={`${p.scope}:${p.id}`}>
                  {"\u00a0\u00a0".repeat(p.depth)}
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="secondary">
            {t("showPlace")}
          </button>
        </Form>
      </section>
      <section className="panel" aria-labelledby="place-title">
        <h2 id="place-title">
          <span className="meta">{t(`levels.${place.scope}`)}</span> {place.name}
        </h2>
        {saved ? (
          <p className="notice" role="status">
            {t("saved")}
          </p>
        ) : null}
        <FormAlert problem={failure?.formError ?? (failure?.fieldErrors ? Object.values(failure.fieldErrors)[0] : null)} />
        <ul className="cards flag-cells">
          {cells.map((c) => (
            <FlagOverrideCell key={c.key} cell={c} scope={place.scope} scopeId={place.id} />
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="all-overrides-title">
        <h2 id="all-overrides-title">{t("override.allBelow")}</h2>
        <FlagOverrideList overrides={overrides} />
      </section>
    </>
  );
}
