import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "~/components/FormBits";
import { FlagRuleConditions, FlagRuleForm, type RuleFormValues } from "~/components/FlagRule";
import { FlagValue } from "~/components/FlagOverride";
import { changeFlag, FLAG_RULE_ROLES, FLAG_RULE_STAGES, FLAG_SCOPES, flagAdminView, type FlagChange } from "~/domain/rollout/flags.server";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/flags.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const view = await orErrorPage(async () => flagAdminView(actor));
  return { title: await pageTitle(request, "flags:platformTitle"), saved: new URL(request.url).searchParams.get("saved"), roles: FLAG_RULE_ROLES, stages: FLAG_RULE_STAGES, ...view };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  const flag = field(form, "flag");
  const intent = field(form, "intent");
  const index = Number(field(form, "index"));
  const values: RuleFormValues & { flag: string; intent: string } = {
    flag,
    intent,
    enabled: field(form, "enabled"),
    roles: form.getAll("roles").map(String),
    stages: form.getAll("stages").map(String),
    regionIds: form.getAll("regionIds").map(String),
    tags: field(form, "tags"),
  };
  const change: FlagChange | null =
    intent === "add"
      ? { op: "add", rule: { enabled: values.enabled, roles: values.roles, stages: values.stages, regionIds: values.regionIds, tags: values.tags } }
      : intent === "remove"
        ? { op: "remove", index }
        : intent === "up"
          ? { op: "move", index, to: index - 1 }
          : intent === "down"
            ? { op: "move", index, to: index + 1 }
            : intent === "settings"
              ? { op: "settings", defaultEnabled: field(form, "defaultEnabled"), overridable: Object.fromEntries(FLAG_SCOPES.map((s) => [s, form.get(`overridable.${s}`) === "on"])) }
              : null;
  try {
    if (!change) throw new Response(null, { status: 400 });
    await changeFlag(actor, flag, field(form, "stamp"), change);
    return redirect(`/platform/flags?saved=${encodeURIComponent(flag)}#flag-${flag}`);
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function PlatformFlags() {
  const { flags, regions, roles, stages, saved } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("flags");
  return (
    <>
      <section className="panel" aria-labelledby="flags-title">
        <h1 id="flags-title">{t("platformTitle")}</h1>
        <p className="hint">{t("platformIntro")}</p>
        <p className="hint">{t("rulesHint")}</p>
        <p>
          <Link to="/platform/flags/preview">{t("preview.link")}</Link>
        </p>
        <nav aria-label={t("flagList")}>
          <ul className="flag-index">
            {flags.map((f) => (
              <li key={f.key}>
                <a href={`#flag-${f.key}`}>{t(`names.${f.key}`)}</a>
              </li>
            ))}
          </ul>
        </nav>
      </section>
      {flags.map((f) => {
        const mine = failure?.values.flag === f.key;
        const name = t(`names.${f.key}`);
        return (
          <section key={f.key} className="panel flag" id={`flag-${f.key}`} aria-labelledby={`flag-${f.key}-title`}>
            <h2 id={`flag-${f.key}-title`}>
              {name} <code className="flag-key">{f.key}</code>
            </h2>
            <p className="meta">{t(`descriptions.${f.key}`)}</p>
            {saved === f.key ? (
              <p className="notice" role="status">
                {t("saved")}
              </p>
            ) : null}
            {mine ? <FormAlert problem={failure?.formError} /> : null}

            <Form method="post" className="flag-settings">
              <input type="hidden" name="flag" value={f.key} />
              <input type="hidden" name="stamp" value={f.stamp} />
              <div className="flag-row">
                <label htmlFor={`${f.key}-default`}>{t("default")}</label>
                <select id={`${f.key}-default`} name="defaultEnabled" defaultValue={f.defaultEnabled ? "on" : "off"}>
                  <option value="on">{t("value.on")}</option>
                  <option value="off">{t("value.off")}</option>
                </select>
              </div>
              <fieldset>
                <legend>{t("overridable")}</legend>
                <div className="flag-choices">
                  {(["region", "school", "user"] as const).map((s) => (
                    <label key={s} className="check">
                      <input type="checkbox" name={`overridable.${s}`} defaultChecked={f.overridable[s]} /> {t(`levels.${s}`)}
                    </label>
                  ))}
                </div>
              </fieldset>
              <button type="submit" name="intent" value="settings" className="secondary">
                {t("saveSettings")}
              </button>
              {f.overrideCount ? <p className="meta">{t("overrideCount", { count: f.overrideCount })}</p> : null}
            </Form>

            <h3>{t("rules")}</h3>
            {f.rules.length === 0 ? <p>{t("noRules")}</p> : null}
            <ol className="flag-rules">
              {f.rules.map((r, i) => (
                <li key={i}>
                  <span className="flag-rule-no">#{i + 1}</span> <FlagValue enabled={r.enabled} /> <FlagRuleConditions rule={r} />
                  <Form method="post" className="inline flag-rule-tools">
                    <input type="hidden" name="flag" value={f.key} />
                    <input type="hidden" name="stamp" value={f.stamp} />
                    <input type="hidden" name="index" value={i} />
                    {i > 0 ? (
                      <button type="submit" name="intent" value="up" aria-label={t("rule.moveUpFor", { n: i + 1 })}>
                        ↑
                      </button>
                    ) : null}
                    {i < f.rules.length - 1 ? (
                      <button type="submit" name="intent" value="down" aria-label={t("rule.moveDownFor", { n: i + 1 })}>
                        ↓
                      </button>
                    ) : null}
                    <button type="submit" name="intent" value="remove" aria-label={t("rule.removeFor", { n: i + 1 })}>
                      {t("rule.remove")}
                    </button>
                  </Form>
                </li>
              ))}
              <li className="flag-rule-default">
                <span className="flag-rule-no">{t("otherwise")}</span> <FlagValue enabled={f.defaultEnabled} />
              </li>
            </ol>

            <details open={mine && failure?.values.intent === "add"}>
              <summary>{t("rule.addTitle", { flag: name })}</summary>
              <FlagRuleForm flag={f.key} stamp={f.stamp} roles={roles} stages={stages} regions={regions} values={mine ? failure?.values : undefined} errors={mine ? failure?.fieldErrors : undefined} />
            </details>
          </section>
        );
      })}
    </>
  );
}
