import { useTranslation } from "react-i18next";

type Problem = { key: string; params?: Record<string, unknown> } | null | undefined;

/** A labelled select with its translated error beside it, keeping the chosen value on a failed submit. */
export function SelectField({
  name,
  idPrefix = "f",
  label,
  error,
  hint,
  options,
  defaultValue,
  placeholder,
}: {
  name: string;
  idPrefix?: string;
  label: string;
  error?: Problem;
  hint?: string;
  options: { value: string; label: string }[];
  defaultValue?: string;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  const id = `${idPrefix}-${name}`;
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <select id={id} name={name} defaultValue={defaultValue ?? ""} aria-invalid={error ? true : undefined} aria-describedby={described}>
        {placeholder ? (
          <option value="" disabled>
            {placeholder}
          </option>
        ) : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <p className="error" id={`${id}-error`}>
          {t(error.key, error.params)}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A school's tags: the known ones as checkboxes, any others typed in a field. Both arrive as
 * `tag` (checked) and `moreTags` (typed); the error, if any, sits under the group.
 */
export function TagFields({ known, selected, more, error, idPrefix = "f" }: { known: readonly string[]; selected: string[]; more: string; error?: Problem; idPrefix?: string }) {
  const { t } = useTranslation("regions");
  const errorId = `${idPrefix}-tags-error`;
  return (
    <fieldset className={error ? "field tag-fields has-error" : "field tag-fields"} aria-describedby={error ? errorId : undefined}>
      <legend>{t("fields.tags")}</legend>
      <div className="tag-checks">
        {known.map((tag) => (
          <label className="check" key={tag}>
            <input type="checkbox" name="tag" value={tag} defaultChecked={selected.includes(tag)} />
            {t(`tagNames.${tag}`)}
          </label>
        ))}
      </div>
      <label htmlFor={`${idPrefix}-moreTags`}>{t("fields.moreTags")}</label>
      <p className="hint" id={`${idPrefix}-moreTags-hint`}>
        {t("fields.moreTagsHint")}
      </p>
      <input id={`${idPrefix}-moreTags`} name="moreTags" defaultValue={more} aria-describedby={`${idPrefix}-moreTags-hint`} aria-invalid={error ? true : undefined} autoCapitalize="none" spellCheck={false} />
      {error ? (
        <p className="error" id={errorId}>
          {t(error.key, error.params)}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A labelled text input whose id carries a prefix, for pages with one small form per region. */
export function PrefixedTextField({ idPrefix, name, label, error, defaultValue, required }: { idPrefix: string; name: string; label: string; error?: Problem; defaultValue?: string; required?: boolean }) {
  const { t } = useTranslation();
  const id = `${idPrefix}-${name}`;
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} defaultValue={defaultValue} required={required} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error ? (
        <p className="error" id={`${id}-error`}>
          {t(error.key, error.params)}
        </p>
      ) : null}
    </div>
  );
}

/** What the school form sends, as typed: checked tags and the typed ones kept apart for redisplay. */
export function schoolFormValues(form: FormData) {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  return {
    regionId: text("regionId"),
    name: text("name"),
    stage: text("stage"),
    defaultLocale: text("defaultLocale"),
    tag: form.getAll("tag").filter((v): v is string => typeof v === "string"),
    moreTags: text("moreTags"),
    loginPrefix: text("loginPrefix"),
  };
}

/** The tags the school form stands for: the checked ones and those typed, split on spaces and commas. */
export function tagsOf(values: { tag: string[]; moreTags: string }): string[] {
  return [...values.tag, ...values.moreTags.split(/[\s,，、;；]+/)].filter(Boolean);
}
