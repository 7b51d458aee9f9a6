import { useTranslation } from "react-i18next";
import { SelectField, TextAreaField, TextField, type Problem } from "~/components/FormBits";

export type GroupFormValues = { name: string; description: string; subject: string; kind: string; reach: string; regionId: string; joinPolicy: string };

type Choices = { kinds: readonly string[]; reaches: readonly string[]; regions: { id: string; name: string }[]; joinPolicies: readonly string[] };

type Props = {
  values: GroupFormValues;
  errors: Record<string, Problem>;
  choices: Choices;
  limits: { name: number; description: number; subject: number };
  /** Editing: kind and reach stay as made (members joined under them); the current cover, if any. */
  edit?: { cover: { url: string; name: string } | null };
  submitLabel: string;
};

/**
 * The fields of a group, for making and editing it. A plain multipart form: the region choice shows
 * only while reach is "region" through CSS alone (:has), so it works without JavaScript.
 */
export function GroupFields({ values, errors, choices, limits, edit, submitLabel }: Props) {
  const { t } = useTranslation("groups");
  const coverError = errors.cover;
  return (
    <>
      {/* No maxLength: a pasted long name gets the translated reason instead of being cut silently. */}
      <TextField name="name" label={t("form.name")} hint={t("form.nameHint", { max: limits.name })} required defaultValue={values.name} error={errors.name} />
      <TextField name="subject" label={t("form.subject")} hint={t("form.subjectHint")} defaultValue={values.subject} error={errors.subject} />
      <TextAreaField
        name="description"
        label={t("form.description")}
        hint={t("form.descriptionHint", { max: limits.description })}
        rows={4}
        defaultValue={values.description}
        error={errors.description}
      />
      {edit ? (
        <p className="hint">{t("form.fixed")}</p>
      ) : (
        <>
          <SelectField name="kind" label={t("form.kind")} defaultValue={values.kind || choices.kinds[0]} error={errors.kind}>
            {choices.kinds.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </SelectField>
          <SelectField name="reach" label={t("form.reach")} hint={t("form.reachHint")} defaultValue={values.reach || choices.reaches[0]} error={errors.reach}>
            {choices.reaches.map((r) => (
              <option key={r} value={r}>
                {t(`reaches.${r}`)}
              </option>
            ))}
          </SelectField>
          {choices.regions.length ? (
            <div className="group-region">
              <SelectField name="regionId" label={t("form.region")} hint={t("form.regionHint")} defaultValue={values.regionId || choices.regions[0]?.id} error={errors.regionId}>
                {choices.regions.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </SelectField>
            </div>
          ) : null}
        </>
      )}
      <SelectField name="joinPolicy" label={t("form.joinPolicy")} defaultValue={values.joinPolicy || "approval"} error={errors.joinPolicy}>
        {choices.joinPolicies.map((p) => (
          <option key={p} value={p}>
            {t(`joinPolicies.${p}`)}
          </option>
        ))}
      </SelectField>
      <div className={coverError ? "field has-error" : "field"}>
        <label htmlFor="f-cover">{t("form.cover")}</label>
        <p className="hint" id="f-cover-hint">
          {t("form.coverHint")}
        </p>
        {edit?.cover ? <img className="group-cover-preview" src={edit.cover.url} alt={t("form.currentCover")} /> : null}
        <input
          id="f-cover"
          name="cover"
          type="file"
          accept="image/jpeg,image/png,image/gif,image/webp"
          aria-describedby={coverError ? "f-cover-hint f-cover-error" : "f-cover-hint"}
          aria-invalid={coverError ? true : undefined}
        />
        {coverError ? (
          <p className="error" id="f-cover-error">
            {t(coverError.key, coverError.params)}
          </p>
        ) : null}
        {edit?.cover ? (
          <label className="check">
            <input type="checkbox" name="removeCover" value="1" /> {t("form.removeCover")}
          </label>
        ) : null}
      </div>
      <button type="submit" className="primary">
        {submitLabel}
      </button>
    </>
  );
}
