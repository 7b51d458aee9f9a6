import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FlagOverrideCell, FlagOverrideList } from "~/components/FlagOverride";
import { FormAlert, TextField } from "~/components/FormBits";
import { clearFlagOverride, schoolFlagsView, schoolPersonByLogin, setFlagOverride } from "~/domain/rollout/flags.server";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/flags.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const view = await orErrorPage(async () => schoolFlagsView(actor));
  return { title: await pageTitle(request, "flags:schoolTitle"), saved: new URL(request.url).searchParams.has("saved"), ...view };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  const login = field(form, "login");
  const values = { flag: field(form, "flag"), login, enabled: field(form, "enabled") };
  try {
    // A person's override names them by login name; the domain checks they belong to this school.
    const scopeId = field(form, "scope") === "user" && login ? await schoolPersonByLogin(actor, login) : field(form, "scopeId");
    const input = { flag: values.flag, scope: field(form, "scope"), scopeId, enabled: values.enabled, locked: field(form, "locked") };
    if (field(form, "intent") === "clear") await clearFlagOverride(actor, input);
    else await setFlagOverride(actor, input);
    return redirect(`/school/flags?saved=1#flag-${values.flag}`);
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function SchoolFlags() {
  const { school, cells, userFlags, overrides, saved } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("flags");
  const userFailure = failure?.values.login ? failure : undefined;
  return (
    <>
      <section className="panel" aria-labelledby="school-flags-title">
        <h1 id="school-flags-title">{t("schoolTitle")}</h1>
        <p className="meta">{school.name}</p>
        <p className="hint">{t("schoolIntro")}</p>
        {saved ? (
          <p className="notice" role="status">
            {t("saved")}
          </p>
        ) : null}
        {!userFailure ? <FormAlert problem={failure?.formError ?? (failure?.fieldErrors ? Object.values(failure.fieldErrors)[0] : null)} /> : null}
        <ul className="cards flag-cells">
          {cells.map((c) => (
            <FlagOverrideCell key={c.key} cell={c} scope="school" scopeId={school.id} />
          ))}
        </ul>
      </section>
      {userFlags.length ? (
        <section className="panel" aria-labelledby="person-title">
          <h2 id="person-title">{t("person.title")}</h2>
          <p className="hint">{t("person.intro")}</p>
          <FormAlert problem={userFailure?.formError} />
          <Form method="post" className="flag-person" noValidate>
            <input type="hidden" name="scope" value="user" />
            <TextField name="login" label={t("person.login")} defaultValue={userFailure?.values.login ?? ""} autoComplete="off" error={userFailure?.fieldErrors.login} />
            <div className="flag-row">
              <label htmlFor="f-person-flag">{t("flag")}</label>
              <select id="f-person-flag" name="flag" defaultValue={userFailure?.values.flag}>
                {userFlags.map((k) => (
                  <option key={k} value={k}>
                    {t(`names.${k}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="flag-row">
              <label htmlFor="f-person-value">{t("override.value")}</label>
              <select id="f-person-value" name="enabled" defaultValue={userFailure?.values.enabled || "on"}>
                <option value="on">{t("value.on")}</option>
                <option value="off">{t("value.off")}</option>
              </select>
            </div>
            <button type="submit" name="intent" value="set" className="primary">
              {t("override.save")}
            </button>
          </Form>
        </section>
      ) : null}
      <section className="panel" aria-labelledby="school-overrides-title">
        <h2 id="school-overrides-title">{t("override.allHere")}</h2>
        <FlagOverrideList overrides={overrides} clearable={(o) => o.scope === "user"} />
      </section>
    </>
  );
}
