import { useTranslation } from "react-i18next";
import { SelectField, TextField, type Problem } from "./FormBits";

/** A select built from options, with an id prefix so one page can hold several such forms. */
export function OptionsField({
  name,
  idPrefix = "f",
  options,
  defaultValue,
  placeholder,
  ...field
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
  return (
    <SelectField id={`${idPrefix}-${name}`} name={name} defaultValue={defaultValue ?? ""} {...field}>
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
    </SelectField>
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
export function PrefixedTextField({ idPrefix, ...field }: { idPrefix: string; name: string; label: string; error?: Problem; defaultValue?: string; required?: boolean }) {
  return <TextField id={`${idPrefix}-${field.name}`} {...field} />;
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
