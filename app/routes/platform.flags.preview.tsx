import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FlagValue } from "~/components/FlagOverride";
import { TextField } from "~/components/FormBits";
import { ValidationError } from "~/domain/errors.server";
import { flagAdminView, previewFlags, type FlagDecision } from "~/domain/flags.server";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/flags.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = requireActor(request);
  const params = new URL(request.url).searchParams;
  const login = (params.get("login") ?? "").slice(0, 100);
  const role = params.get("role");
  const title = await pageTitle(request, "flags:preview.title");
  return orErrorPage(() => {
    // Checks the reader is the platform admin before anything is looked up.
    flagAdminView(actor);
    if (!login.trim()) return { title, login, preview: null, error: null };
    try {
      return { title, login, preview: previewFlags(actor, login, role), error: null };
    } catch (error) {
      if (error instanceof ValidationError) return { title, login, preview: null, error: error.fields.login ?? { key: error.key } };
      throw error;
    }
  });
}

function DecisionText({ decision, place }: { decision: FlagDecision; place: string | null }) {
  const { t } = useTranslation("flags");
  if (decision.step === "rule") return <>{t("decision.rule", { n: decision.index + 1 })}</>;
  if (decision.step === "default") return <>{t("decision.default")}</>;
  return <>{t(decision.locked ? "decision.lockedOverride" : "decision.override", { level: t(`levels.${decision.scope}`), place: place ?? "" })}</>;
}

export default function FlagPreview() {
  const { login, preview, error } = useLoaderData<typeof loader>();
  const { t } = useTranslation("flags");
  return (
    <>
      <section className="panel" aria-labelledby="preview-title">
        <h1 id="preview-title">{t("preview.title")}</h1>
        <p className="hint">{t("preview.intro")}</p>
        <Form method="get" className="flag-preview-form">
          <TextField name="login" label={t("preview.login")} defaultValue={login} autoComplete="off" error={error} />
          {preview && preview.roles.length > 1 ? (
            <div className="field">
              <label htmlFor="f-role">{t("preview.role")}</label>
              <select id="f-role" name="role" defaultValue={preview.role}>
                {preview.roles.map((r) => (
                  <option key={r} value={r}>
                    {t(`common:roles.${r}`)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <button type="submit" className="primary">
            {t("preview.show")}
          </button>
        </Form>
        <p>
          <Link to="/platform/flags">{t("preview.back")}</Link>
        </p>
      </section>
      {preview ? (
        <section className="panel" aria-labelledby="preview-result">
          <h2 id="preview-result">
            {t("preview.resultTitle", { name: preview.user.realName, role: t(`common:roles.${preview.role}`) })}
          </h2>
          <p className="meta">
            {preview.user.loginName}
            {preview.user.schoolName ? ` · ${preview.user.schoolName}` : ""}
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("flag")}</th>
                  <th scope="col">{t("preview.value")}</th>
                  <th scope="col">{t("preview.decidedBy")}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{t(`names.${r.key}`)}</th>
                    <td>
                      <FlagValue enabled={r.enabled} />
                    </td>
                    <td className="flag-decision">
                      <DecisionText decision={r.decision} place={r.placeName} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}
