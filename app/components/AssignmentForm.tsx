import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { AssignmentFormValues, ClassChoice } from "~/domain/classwork/assignments.server";
import type { FieldErrors } from "~/domain/foundation/errors.server";
import type { StoredFile } from "~/domain/uploads/files.server";
import { AttachedFilesField } from "./AttachedFilesField";
import { FormAlert, SelectField, TextField, type Problem } from "./FormBits";
import { RichTextField } from "./RichTextField";
import { UploadProgressScript } from "./UploadProgress";

type Props = {
  /** The assignment's id, picked by the page's loader (a new one) so sending the form twice creates one. */
  id?: string;
  /** The version the edit is based on (editing). */
  version?: number;
  /** A draft offers "save draft" and "publish"; a published assignment only "save". */
  status: "draft" | "published";
  values: AssignmentFormValues;
  classChoices: ClassChoice[];
  lessonChoices: { id: string; title: string }[];
  /** Files already on the assignment (editing), each with a "remove" box. */
  files?: StoredFile[];
  errors?: FieldErrors;
  formError?: Problem;
  /** The form came back refused: files chosen then were not kept and must be chosen again. */
  refused?: boolean;
};

/**
 * An assignment's form: title, rich-text instructions (a textarea without JavaScript), files, classes,
 * lesson, Beijing times, late work, handing in again, points. One multipart request; works without JS.
 */
export function AssignmentForm({ id, version, status, values, classChoices, lessonChoices, files = [], errors = {}, formError, refused }: Props) {
  const { t } = useTranslation("assignments");
  const chosen = new Set(values.classIds);
  const classError = errors.classIds;
  return (
    <>
      <FormAlert problem={formError} />
      <Form method="post" encType="multipart/form-data" data-upload-progress="" noValidate className="assignment-form" data-draft="assignment">
        {id ? <input type="hidden" name="id" value={id} /> : null}
        {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
        <TextField name="title" label={t("fieldTitle")} defaultValue={values.title} required maxLength={200} error={errors.title} />
        <RichTextField name="body" label={t("fieldBody")} hint={t("fieldBodyHint")} initialJson={values.bodyJson ?? undefined} initialText={values.body} error={errors.body} rows={10} />
        <AttachedFilesField
          files={files}
          error={errors.files}
          labels={{
            current: t("currentFiles"),
            remove: t("removeFile"),
            add: t("fieldFiles"),
            hint: t("fieldFilesHint"),
            again: refused ? t("filesAgain") : undefined,
            error: errors.files ? t(errors.files.key, errors.files.params) : undefined,
          }}
        />
        <fieldset className={classError ? "field has-error" : "field"} aria-describedby={classError ? "f-classIds-error" : undefined}>
          <legend>{t("fieldClasses")}</legend>
          {classChoices.length === 0 ? <p className="hint">{t("noClasses")}</p> : null}
          <div className="class-choices">
            {classChoices.map((c) => (
              <label key={c.id} className="check">
                <input type="checkbox" name={`class.${c.id}`} defaultChecked={chosen.has(c.id)} /> {c.name}
              </label>
            ))}
          </div>
          {classError ? (
            <p className="error" id="f-classIds-error">
              {t(classError.key, classError.params)}
            </p>
          ) : null}
        </fieldset>
        {lessonChoices.length ? (
          <SelectField name="lessonId" label={t("fieldLesson")} defaultValue={values.lessonId} error={errors.lessonId}>
            <option value="">{t("noLesson")}</option>
            {lessonChoices.map((l) => (
              <option key={l.id} value={l.id}>
                {l.title}
              </option>
            ))}
          </SelectField>
        ) : null}
        <div className="time-fields">
          <TextField name="openAt" type="datetime-local" label={t("fieldOpenAt")} hint={t("fieldOpenAtHint")} defaultValue={values.openAt} error={errors.openAt} />
          <TextField name="dueAt" type="datetime-local" label={t("fieldDueAt")} hint={t("beijingTime")} defaultValue={values.dueAt} error={errors.dueAt} required />
        </div>
        <div className="field">
          <label className="check">
            <input type="checkbox" name="acceptLate" defaultChecked={values.acceptLate} /> {t("fieldAcceptLate")}
          </label>
        </div>
        <TextField name="lateUntil" type="datetime-local" label={t("fieldLateUntil")} hint={t("fieldLateUntilHint")} defaultValue={values.lateUntil} error={errors.lateUntil} />
        <div className="field">
          <label className="check">
            <input type="checkbox" name="allowResubmit" defaultChecked={values.allowResubmit} /> {t("fieldAllowResubmit")}
          </label>
        </div>
        <TextField name="points" inputMode="numeric" label={t("fieldPoints")} hint={t("fieldPointsHint")} defaultValue={values.points} error={errors.points} className="points" />
        <div className="form-actions button-row">
          {status === "draft" ? (
            <>
              <button type="submit" name="intent" value="draft" className="quiet">
                {t("saveDraft")}
              </button>
              <button type="submit" name="intent" value="publish" className="primary">
                {t("publish")}
              </button>
            </>
          ) : (
            <button type="submit" name="intent" value="save" className="primary">
              {t("save")}
            </button>
          )}
        </div>
      </Form>
      <UploadProgressScript />
    </>
  );
}
