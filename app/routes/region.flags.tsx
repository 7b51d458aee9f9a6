import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FlagOverrideCell, FlagOverrideList, FlagValue } from "~/components/FlagOverride";
import { FlagRuleConditions, FlagRuleForm, type RuleFormValues } from "~/components/FlagRule";
import { FormAlert } from "~/components/FormBits";
import { changeRegionFlagRules, clearFlagOverride, FLAG_RULE_ROLES, FLAG_RULE_STAGES, regionFlagsView, setFlagOverride } from "~/domain/rollout/flags.server";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/flags.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const url = new URL(request.url);
  const view = await orErrorPage(async () => regionFlagsView(actor, url.searchParams.get("place")));
  return { title: await pageTitle(request, "flags:regionTitle"), saved: url.searchParams.has("saved"), roles: FLAG_RULE_ROLES, stages: FLAG_RULE_STAGES, ...view };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  const intent = field(form, "intent");
  const flag = field(form, "flag");
  if (intent === "add" || intent === "removeRule") {
    const regionId = field(form, "regionId");
    const values: RuleFormValues & { flag: string; rulesAt: string } = {
      flag,
      rulesAt: regionId,
      enabled: field(form, "enabled"),
      roles: form.getAll("roles").map(String),
      stages: form.getAll("stages").map(String),
      regionIds: form.getAll("regionIds").map(String),
      tags: field(form, "tags"),
    };
    try {
      await changeRegionFlagRules(
        actor,
        { flag, regionId, stamp: field(form, "stamp") },
        intent === "add" ? { op: "add", rule: { enabled: values.enabled, roles: values.roles, stages: values.stages, regionIds: values.regionIds, tags: values.tags } } : { op: "remove", index: Number(field(form, "index")) },
      );
      return redirect(`/region/flags?place=${encodeURIComponent(`region:${regionId}`)}&saved=1#rules-${flag}`);
    } catch (error) {
      return formFailure(error, values);
    }
  }
  const input = { flag, scope: field(form, "scope"), scopeId: field(form, "scopeId"), enabled: field(form, "enabled"), locked: field(form, "locked") };
  try {
    if (intent === "clear") await clearFlagOverride(actor, input);
    else await setFlagOverride(actor, input);
    const place = `${input.scope}:${input.scopeId}`;
    return redirect(`/region/flags?place=${encodeURIComponent(place)}&saved=1#flag-${input.flag}`);
  } catch (error) {
    const values: RuleFormValues & { flag: string; rulesAt: string } = { flag: input.flag, rulesAt: "" };
    return formFailure(error, values);
  }
}

export default function RegionFlags() {
  const { region, places, place, cells, overrides, rules, roles, stages, saved } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("flags");
  const ruleFailure = failure?.values.rulesAt ? failure : undefined;
  const overrideFailure = failure && !ruleFailure ? failure : undefined;
  return (
    <>
      <section className="panel" aria-labelledby="region-flags-title">
        <h1 id="region-flags-title">{t("regionTitle")}</h1>
        <p className="meta">{region}</p>
        <p className="hint">{t("regionIntro")}</p>
        <p>
          <a href="/region/preview">{t("preview.link")}</a>
        </p>
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
        <FormAlert problem={overrideFailure?.formError ?? (overrideFailure?.fieldErrors ? Object.values(overrideFailure.fieldErrors)[0] : null)} />
        <ul className="cards flag-cells">
          {cells.map((c) => (
            <FlagOverrideCell key={c.key} cell={c} scope={place.scope} scopeId={place.id} />
          ))}
        </ul>
      </section>
      {rules ? (
        <section className="panel" aria-labelledby="region-rules-title">
          <h2 id="region-rules-title">{t("regionRules.title", { place: place.name })}</h2>
          <p className="hint">{t("regionRules.intro")}</p>
          {rules.cells.map((c) => {
            const mine = ruleFailure?.values.flag === c.key ? ruleFailure : undefined;
            return (
              <div key={c.key} className="flag" id={`rules-${c.key}`}>
                <h3>{t(`names.${c.key}`)}</h3>
                {c.refused ? (
                  <p className="meta">{t(c.refused.key, c.refused.params)}</p>
                ) : (
                  <>
                    {mine ? <FormAlert problem={mine.formError} /> : null}
                    {c.rules.length === 0 ? <p>{t("noRules")}</p> : null}
                    <ol className="flag-rules">
                      {c.rules.map((r, i) => (
                        <li key={i}>
                          <span className="flag-rule-no">#{i + 1}</span> <FlagValue enabled={r.enabled} /> <FlagRuleConditions rule={r} />
                          <Form method="post" className="inline flag-rule-tools">
                            <input type="hidden" name="flag" value={c.key} />
                            <input type="hidden" name="regionId" value={place.id} />
                            <input type="hidden" name="stamp" value={c.stamp} />
                            <input type="hidden" name="index" value={i} />
                            <button type="submit" name="intent" value="removeRule" aria-label={t("rule.removeFor", { n: i + 1 })}>
                              {t("rule.remove")}
                            </button>
                          </Form>
                        </li>
                      ))}
                      <li className="flag-rule-default">
                        <span className="flag-rule-no">{t("otherwise")}</span> {t("regionRules.otherwise")}
                      </li>
                    </ol>
                    <details open={Boolean(mine)}>
                      <summary>{t("rule.add")}</summary>
                      <FlagRuleForm
                        flag={c.key}
                        stamp={c.stamp}
                        roles={roles}
                        stages={stages}
                        regions={rules.regions}
                        hidden={{ regionId: place.id }}
                        values={mine?.values}
                        errors={mine?.fieldErrors}
                      />
                    </details>
                  </>
                )}
              </div>
            );
          })}
        </section>
      ) : null}
      <section className="panel" aria-labelledby="all-overrides-title">
        <h2 id="all-overrides-title">{t("override.allBelow")}</h2>
        <FlagOverrideList overrides={overrides} />
      </section>
    </>
  );
}
