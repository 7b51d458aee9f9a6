import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/domain/foundation/errors.server";
import type { TaskFormValues } from "~/domain/group-work/group-tasks.server";
import { AttachedFilesField } from "./AttachedFilesField";
import { FormAlert, TextField, type Problem } from "./FormBits";
import { RichTextField } from "./RichTextField";
import { UploadProgressScript } from "./UploadProgress";

type Props = { values: TaskFormValues; errors?: FieldErrors; formError?: Problem; titleMax: number };

/**
 * Setting a group task: title, rich-text instructions (a textarea without JavaScript), due time typed as
 * Beijing time, files; one multipart request. The hidden id makes a double submit one task.
 */
export function GroupTaskForm({ values, errors = {}, formError, titleMax }: Props) {
  const { t } = useTranslation("groupTasks");
  return (
    <>
      <FormAlert problem={formError} />
      <Form method="post" encType="multipart/form-data" data-upload-progress="" noValidate className="task-form">
        <input type="hidden" name="id" value={values.id} />
        <TextField name="title" label={t("form.title")} defaultValue={values.title} required maxLength={titleMax} error={errors.title} />
        <RichTextField name="body" label={t("form.body")} hint={t("form.bodyHint")} initialJson={values.bodyJson ?? undefined} initialText={values.body} error={errors.body} rows={10} />
        <TextField name="dueAt" type="datetime-local" label={t("form.due")} defaultValue={values.dueAt} required error={errors.dueAt} />
        <AttachedFilesField
          files={[]}
          error={errors.files}
          labels={{ current: t("form.currentFiles"), remove: t("form.removeFile"), add: t("form.files"), hint: t("form.filesHint"), error: errors.files ? t(errors.files.key, errors.files.params) : undefined }}
        />
        <button type="submit" className="primary">
          {t("form.create")}
        </button>
      </Form>
      <UploadProgressScript />
    </>
  );
}
