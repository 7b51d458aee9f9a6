import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/domain/foundation/errors.server";
import type { ThreadFormValues } from "~/domain/groups/group-threads.server";
import { FormAlert, TextField, type Problem } from "./FormBits";
import { RichTextField } from "./RichTextField";
import { UploadProgressScript } from "./UploadProgress";
import { FilesInput } from "~/components/AttachedFilesField";

function parseJson(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A new thread: title, rich-text opening post (a textarea without JavaScript), files; one multipart request. */
export function GroupThreadForm({
  values,
  threadId,
  titleMax,
  errors = {},
  formError,
  failed,
}: {
  values: ThreadFormValues;
  threadId: string;
  titleMax: number;
  errors?: FieldErrors;
  formError?: Problem;
  failed: boolean;
}) {
  const { t } = useTranslation("groupThreads");
  const fileError = errors.files;
  return (
    <>
      <FormAlert problem={formError} />
      <Form method="post" encType="multipart/form-data" data-upload-progress="" noValidate className="thread-form" data-draft="thread">
        <input type="hidden" name="threadId" value={threadId} />
        <TextField name="title" label={t("new.fieldTitle")} defaultValue={values.title} required maxLength={titleMax} error={errors.title} />
        <RichTextField name="body" label={t("new.fieldBody")} hint={t("new.fieldBodyHint")} initialJson={parseJson(values.bodyJson)} initialText={values.body} error={errors.body} rows={10} />
        <FilesInput label={t("new.fieldFiles")} hint={t("new.fieldFilesHint")} again={failed ? t("new.filesAgain") : undefined} error={fileError ? t(fileError.key, fileError.params) : null} />
        <button type="submit" className="primary">
          {t("new.create")}
        </button>
      </Form>
      <UploadProgressScript />
    </>
  );
}
