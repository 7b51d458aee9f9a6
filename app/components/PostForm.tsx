import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/domain/foundation/errors.server";
import { FormAlert, TextField, type Problem } from "./FormBits";
import { RichTextField } from "./RichTextField";

export type PostFormValues = { id: string; title: string; body: string; bodyJson: unknown; visibility: string; tags: string; version: number };

/** Writing or editing a post: a plain form that posts without JavaScript (the editor enhances the body). */
export function PostForm({
  values,
  visibilities,
  needsApproval,
  errors,
  formError,
}: {
  values: PostFormValues;
  visibilities: string[];
  needsApproval: boolean;
  errors?: FieldErrors;
  formError?: Problem;
}) {
  // The visibility labels live in the space namespace: load it too, or hydration would show keys.
  const { t } = useTranslation(["blog", "space"]);
  return (
    <Form method="post" noValidate className="post-form" data-draft="post">
      <FormAlert problem={formError} />
      {needsApproval ? <p className="notice">{t("approvalHint")}</p> : null}
      <input type="hidden" name="id" value={values.id} />
      <input type="hidden" name="version" value={values.version} />
      <TextField name="title" label={t("fieldTitle")} defaultValue={values.title} required maxLength={200} error={errors?.title} />
      <RichTextField name="body" label={t("fieldBody")} plainHint={t("bodyHint")} initialJson={values.bodyJson} initialText={values.body} error={errors?.body} />
      <fieldset className={errors?.visibility ? "field has-error" : "field"}>
        <legend>{t("fieldVisibility")}</legend>
        {visibilities.map((v) => (
          <label key={v} className="choice">
            <input type="radio" name="visibility" value={v} defaultChecked={values.visibility === v} /> {t(`space:visibility.${v}`)}
          </label>
        ))}
        {errors?.visibility ? <p className="error">{t(errors.visibility.key, errors.visibility.params)}</p> : null}
      </fieldset>
      <TextField name="tags" label={t("fieldTags")} hint={t("tagsHint")} defaultValue={values.tags} error={errors?.tags} />
      <div className="actions button-row">
        <button type="submit" name="intent" value="publish" className="primary">
          {t("publish")}
        </button>
        <button type="submit" name="intent" value="draft">
          {t("saveDraft")}
        </button>
      </div>
    </Form>
  );
}
