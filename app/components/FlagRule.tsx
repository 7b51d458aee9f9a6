import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/domain/foundation/errors.server";
import type { FlagRule, RegionOption } from "~/domain/rollout/flags.server";

type Problem = { key: string; params?: Record<string, unknown> } | undefined;

/** One rule in words: "teacher · 成都市", or "everyone" for a rule without conditions. */
export function FlagRuleConditions({ rule }: { rule: FlagRule & { regionNames: string[] } }) {
  const { t } = useTranslation("flags");
  const parts = [
    rule.roles?.length ? `${t("rule.roles")}: ${rule.roles.map((r) => t(`common:roles.${r}`)).join("、")}` : null,
    rule.stages?.length ? `${t("rule.stages")}: ${rule.stages.map((s) => t(`common:stages.${s}`)).join("、")}` : null,
    rule.regionNames.length ? `${t("rule.regions")}: ${rule.regionNames.join("、")}` : null,
    rule.tags?.length ? `${t("rule.tags")}: ${rule.tags.join("、")}` : null,
  ].filter(Boolean);
  return <span className="flag-conditions">{parts.length ? parts.join(" · ") : t("rule.everyone")}</span>;
}

export type RuleFormValues = { enabled?: string; roles?: string[]; stages?: string[]; regionIds?: string[]; tags?: string };

function FieldError({ id, problem }: { id: string; problem: Problem }) {
  const { t } = useTranslation("flags");
  return problem ? (
    <p className="error" id={id}>
      {t(problem.key, problem.params)}
    </p>
  ) : null;
}

/** The add-rule form: conditions within a rule are ANDed, the choices within one condition ORed. */
export function FlagRuleForm({
  flag,
  stamp,
  roles,
  stages,
  regions,
  values,
  errors,
  hidden = {},
}: {
  flag: string;
  stamp: string;
  /** More fields the form sends back (e.g. the region a region admin's rule is for). */
  hidden?: Record<string, string>;
  roles: readonly string[];
  stages: readonly string[];
  regions: RegionOption[];
  values?: RuleFormValues;
  errors?: FieldErrors;
}) {
  const { t } = useTranslation("flags");
  const id = (name: string) => `${flag}-${name}`;
  const err = (name: string) => errors?.[name];
  const described = (name: string) => (err(name) ? `${id(name)}-error` : undefined);
  return (
    <Form method="post" className="flag-rule-form" noValidate>
      <input type="hidden" name="flag" value={flag} />
      <input type="hidden" name="stamp" value={stamp} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <fieldset className={err("enabled") ? "has-error" : undefined} aria-describedby={described("enabled")}>
        <legend>{t("rule.outcome")}</legend>
        <label className="check">
          <input type="radio" name="enabled" value="on" defaultChecked={values?.enabled !== "off"} /> {t("value.on")}
        </label>
        <label className="check">
          <input type="radio" name="enabled" value="off" defaultChecked={values?.enabled === "off"} /> {t("value.off")}
        </label>
        <FieldError id={`${id("enabled")}-error`} problem={err("enabled")} />
      </fieldset>
      <fieldset className={err("roles") ? "has-error" : undefined} aria-describedby={described("roles")}>
        <legend>{t("rule.roles")}</legend>
        <div className="flag-choices">
          {roles.map((r) => (
            <label key={r} className="check">
              <input type="checkbox" name="roles" value={r} defaultChecked={values?.roles?.includes(r)} /> {t(`common:roles.${r}`)}
            </label>
          ))}
        </div>
        <FieldError id={`${id("roles")}-error`} problem={err("roles")} />
      </fieldset>
      <fieldset className={err("stages") ? "has-error" : undefined} aria-describedby={described("stages")}>
        <legend>{t("rule.stages")}</legend>
        <div className="flag-choices">
          {stages.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" name="stages" value={s} defaultChecked={values?.stages?.includes(s)} /> {t(`common:stages.${s}`)}
            </label>
          ))}
        </div>
        <FieldError id={`${id("stages")}-error`} problem={err("stages")} />
      </fieldset>
      <div className={err("regionIds") ? "field has-error" : "field"}>
        <label htmlFor={id("regionIds")}>{t("rule.regions")}</label>
        <p className="hint" id={`${id("regionIds")}-hint`}>
          {t("rule.regionsHint")}
        </p>
        <select
          id={id("regionIds")}
          name="regionIds"
          multiple
          size={Math.min(regions.length, 6)}
          defaultValue={values?.regionIds ?? []}
          aria-invalid={err("regionIds") ? true : undefined}
          aria-describedby={[`${id("regionIds")}-hint`, described("regionIds")].filter(Boolean).join(" ")}
        >
          {regions.map((r) => (
            <option key={r.id} value={r.id}>
              {"\u00a0\u00a0".repeat(r.depth)}
              {r.name}
            </option>
          ))}
        </select>
        <FieldError id={`${id("regionIds")}-error`} problem={err("regionIds")} />
      </div>
      <div className={err("tags") ? "field has-error" : "field"}>
        <label htmlFor={id("tags")}>{t("rule.tags")}</label>
        <p className="hint" id={`${id("tags")}-hint`}>
          {t("rule.tagsHint")}
        </p>
        <input
          id={id("tags")}
          name="tags"
          defaultValue={values?.tags ?? ""}
          aria-invalid={err("tags") ? true : undefined}
          aria-describedby={[`${id("tags")}-hint`, described("tags")].filter(Boolean).join(" ")}
        />
        <FieldError id={`${id("tags")}-error`} problem={err("tags")} />
      </div>
      <button type="submit" name="intent" value="add" className="primary">
        {t("rule.add")}
      </button>
    </Form>
  );
}
