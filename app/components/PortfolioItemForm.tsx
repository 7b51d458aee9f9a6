import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AttachedFilesField } from "./AttachedFilesField";
import type { FieldErrors } from "~/domain/foundation/errors.server";
import type { PortfolioForm } from "~/domain/portfolio/portfolio.server";
import type { StoredFile } from "~/domain/uploads/files.server";
import { FormAlert, SelectField, TextField, type Problem } from "./FormBits";
import { RichTextField } from "./RichTextField";
import { UploadProgressScript } from "./UploadProgress";

export const PORTFOLIO_KIND_CHOICES = ["work", "project", "award", "certificate", "reflection", "lesson_record"] as const;

type Props = {
  values: PortfolioForm;
  choices: string[];
  errors?: FieldErrors;
  formError?: Problem;
  /** Files already on the item (editing), each with a "remove" box. */
  files?: StoredFile[];
  /** The version the edit is based on (editing). */
  version?: number;
  submitLabel: string;
};

/**
 * A portfolio item's form: a multipart form (files and fields in one request) that shows upload
 * progress with JavaScript and posts plainly without it.
 */
export function PortfolioItemForm({ values, choices, errors = {}, formError, files = [], version, submitLabel }: Props) {
  const { t } = useTranslation("portfolio");
  return (
    <>
      <FormAlert problem={formError} />
      <Form method="post" encType="multipart/form-data" data-upload-progress="" noValidate className="portfolio-form" data-draft="portfolio">
        {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
        <TextField name="title" label={t("fieldTitle")} defaultValue={values.title} required maxLength={200} error={errors.title} />
        <SelectField name="kind" label={t("fieldKind")} defaultValue={values.kind || "work"} error={errors.kind}>
          {PORTFOLIO_KIND_CHOICES.map((k) => (
            <option key={k} value={k}>
              {t(`kinds.${k}`)}
            </option>
          ))}
        </SelectField>
        <TextField name="occurredOn" type="date" label={t("fieldDate")} hint={t("fieldDateHint")} defaultValue={values.occurredOn} required error={errors.occurredOn} />
        <RichTextField name="description" label={t("fieldDescription")} initialJson={values.descriptionJson ?? undefined} initialText={values.description} error={errors.description} rows={8} />
        <AttachedFilesField
          files={files}
          error={errors.files}
          labels={{ current: t("currentFiles"), remove: t("removeFile"), add: t("fieldFiles"), hint: t("fieldFilesHint"), error: errors.files ? t(errors.files.key, errors.files.params) : undefined }}
        />
        <TextField name="tags" label={t("fieldTags")} hint={t("fieldTagsHint")} defaultValue={values.tags} error={errors.tags} />
        <div className="field">
          <label className="check">
            <input type="checkbox" name="featured" defaultChecked={values.featured} /> {t("fieldFeatured")}
          </label>
        </div>
        <fieldset className={errors.visibility ? "field has-error" : "field"} aria-describedby={errors.visibility ? "f-visibility-error" : undefined}>
          <legend>{t("space:visibilityLabel")}</legend>
          {choices.map((v) => (
            <label key={v} className="check">
              <input type="radio" name="visibility" value={v} defaultChecked={(values.visibility || "private") === v} /> {t(`space:visibility.${v}`)}
            </label>
          ))}
          {errors.visibility ? (
            <p className="error" id="f-visibility-error">
              {t(errors.visibility.key, errors.visibility.params)}
            </p>
          ) : null}
        </fieldset>
        <button type="submit" className="primary">
          {submitLabel}
        </button>
      </Form>
      <UploadProgressScript />
    </>
  );
}
