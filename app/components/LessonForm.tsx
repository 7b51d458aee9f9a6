import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AttachedFilesField } from "./AttachedFilesField";
import type { FieldErrors } from "~/domain/foundation/errors.server";
import type { StoredFile } from "~/domain/uploads/files.server";
import type { LessonForm as LessonValues } from "~/domain/classwork/lessons.server";
import { FormAlert, TextField, type Problem } from "./FormBits";
import { RichTextField } from "./RichTextField";
import { UploadProgressScript } from "./UploadProgress";

type Props = {
  values: LessonValues;
  errors?: FieldErrors;
  formError?: Problem;
  /** Files already on the lesson (editing), each with a "remove" box. */
  files?: StoredFile[];
  /** The version the edit is based on (editing). */
  version?: number;
  submitLabel: string;
};

/** A lesson's form: title, rich-text body (a textarea without JavaScript), files; one multipart request. */
export function LessonForm({ values, errors = {}, formError, files = [], version, submitLabel }: Props) {
  const { t } = useTranslation("lessons");
  return (
    <>
      <FormAlert problem={formError} />
      <Form method="post" encType="multipart/form-data" data-upload-progress="" noValidate className="lesson-form" data-draft="lesson">
        {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
        <TextField name="title" label={t("fieldTitle")} defaultValue={values.title} required maxLength={200} error={errors.title} />
        <RichTextField name="body" label={t("fieldBody")} hint={t("fieldBodyHint")} initialJson={values.bodyJson ?? undefined} initialText={values.body} error={errors.body} rows={12} />
        <AttachedFilesField
          files={files}
          error={errors.files}
          labels={{ current: t("currentFiles"), remove: t("removeFile"), add: t("fieldFiles"), hint: t("fieldFilesHint"), error: errors.files ? t(errors.files.key, errors.files.params) : undefined }}
        />
        <button type="submit" className="primary">
          {submitLabel}
        </button>
      </Form>
      <UploadProgressScript />
    </>
  );
}
