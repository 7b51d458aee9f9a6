import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/domain/foundation/errors.server";
import type { Catalogue } from "~/domain/library/catalogue.server";
import type { OfferValues } from "~/domain/library-use/offering.server";
import { AttachedFilesField } from "./AttachedFilesField";
import { FormAlert, SelectField, TextAreaField, TextField, type Problem } from "./FormBits";
import { RichTextField } from "./RichTextField";
import { UploadProgressScript } from "./UploadProgress";

type Props = {
  catalogue: Catalogue;
  libraries: { id: string; name: string }[];
  values: OfferValues;
  errors?: FieldErrors;
  formError?: Problem;
  /** Files that come with it: a lesson's (shown only), or the last version's (each with a "remove" box). */
  files: { id: string; name: string; url: string }[];
  revising: boolean;
  submitLabel: string;
};

/**
 * Offering a resource (or a new version of one): its text and files, and its description. Every
 * choice is a plain select, so the form works before and without JavaScript; the server checks that
 * the subject, edition and unit belong together.
 */
export function LibraryOfferForm({ catalogue, libraries, values, errors = {}, formError, files, revising, submitLabel }: Props) {
  const { t } = useTranslation("library");
  const unitError = errors.unit ?? errors.unitBook ?? errors.unitNumber;
  return (
    <>
      <FormAlert problem={formError} />
      <Form method="post" encType="multipart/form-data" data-upload-progress="" noValidate className="lesson-form library-form" data-draft={revising ? "library-revise" : "library-offer"}>
        {values.lessonId ? <input type="hidden" name="lessonId" value={values.lessonId} /> : null}
        <TextField name="title" label={t("fieldTitle")} defaultValue={values.title} required maxLength={200} error={errors.title} />
        <RichTextField name="body" label={t("fieldBody")} hint={t("fieldBodyHint")} initialJson={values.bodyJson ?? undefined} initialText={values.body} error={errors.body} rows={10} />
        {values.lessonId && files.length ? (
          <div className="field">
            <p>{t("lessonFiles")}</p>
            <ul className="file-list">
              {files.map((f) => (
                <li key={f.id}>{f.name}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <AttachedFilesField
          files={values.lessonId ? [] : files}
          error={errors.files}
          labels={{ current: t("keepFiles"), remove: t("lessons:removeFile"), add: t("fieldFiles"), hint: t("fieldFilesHint"), error: errors.files ? t(errors.files.key, errors.files.params) : undefined }}
        />
        <fieldset className="library-description">
          <legend>{t("description")}</legend>
          <SelectField name="kind" label={t("fieldKind")} defaultValue={values.kind ?? ""} error={errors.kind}>
            <option value="">—</option>
            {catalogue.kinds.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </SelectField>
          <SelectField name="stage" label={t("fieldStage")} defaultValue={values.stage ?? ""} error={errors.stage}>
            <option value="">—</option>
            {catalogue.stages.map((s) => (
              <option key={s} value={s}>
                {t(`common:stages.${s}`)}
              </option>
            ))}
          </SelectField>
          <SelectField name="schoolYear" label={t("fieldGrade")} defaultValue={values.schoolYear ?? ""} error={errors.grade ?? errors.schoolYear}>
            <option value="">—</option>
            {Array.from({ length: 12 }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {t("grade", { n })}
              </option>
            ))}
          </SelectField>
          <SelectField name="subject" label={t("fieldSubject")} defaultValue={values.subject ?? ""} error={errors.subject}>
            <option value="">—</option>
            {catalogue.stages.map((s) => (
              <optgroup key={s} label={t(`common:stages.${s}`)}>
                {catalogue.subjects[s].map((code) => (
                  <option key={`${s}-${code}`} value={code}>
                    {t(`subjects.${code}`)}
                  </option>
                ))}
              </optgroup>
            ))}
          </SelectField>
          <SelectField name="edition" label={t("fieldEdition")} defaultValue={values.edition ?? ""} error={errors.edition}>
            <option value="">—</option>
            {[...new Set(Object.values(catalogue.editions).flat())].map((e) => (
              <option key={e} value={e}>
                {t(`editions.${e}`)}
              </option>
            ))}
          </SelectField>
          <div className={unitError ? "field has-error unit-field" : "field unit-field"}>
            <span className="label" id="unit-label">
              {t("fieldUnit")}
            </span>
            <p className="hint" id="unit-hint">
              {t("fieldUnitHint")}
            </p>
            <select name="unitBook" aria-labelledby="unit-label" aria-describedby="unit-hint" defaultValue={values.unitBook ?? ""} aria-invalid={unitError ? true : undefined}>
              <option value="">—</option>
              <option value="a">{t("bookA")}</option>
              <option value="b">{t("bookB")}</option>
            </select>{" "}
            <select name="unitNumber" aria-labelledby="unit-label" aria-describedby="unit-hint" defaultValue={values.unitNumber ?? ""} aria-invalid={unitError ? true : undefined}>
              <option value="">—</option>
              {Array.from({ length: catalogue.unitsPerBook }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  {t("unit", { book: "", n })}
                </option>
              ))}
            </select>
            {unitError ? <p className="error">{t(unitError.key, unitError.params)}</p> : null}
          </div>
          <SelectField name="language" label={t("fieldLanguage")} defaultValue={values.language ?? ""} error={errors.language}>
            <option value="">—</option>
            {catalogue.languages.map((l) => (
              <option key={l} value={l}>
                {t(`languages.${l}`)}
              </option>
            ))}
          </SelectField>
          <SelectField name="licence" label={t("fieldLicence")} defaultValue={values.licence ?? ""} error={errors.licence}>
            <option value="">—</option>
            {catalogue.licences.map((l) => (
              <option key={l} value={l}>
                {t(`licences.${l}`)}
              </option>
            ))}
          </SelectField>
        </fieldset>
        {revising ? null : (
          <fieldset className={errors.regionId ? "field has-error" : "field"}>
            <legend>{t("fieldLibrary")}</legend>
            <p className="hint">{t("fieldLibraryHint")}</p>
            {libraries.map((l) => (
              <label key={l.id} className="check">
                <input type="radio" name="regionId" value={l.id} defaultChecked={values.regionId === l.id} /> {t("libraryOf", { name: l.name })}
              </label>
            ))}
            {errors.regionId ? <p className="error">{t(errors.regionId.key, errors.regionId.params)}</p> : null}
          </fieldset>
        )}
        <TextAreaField name="note" label={t("fieldNote")} hint={t("fieldNoteHint")} defaultValue={values.note} rows={2} maxLength={500} error={errors.note} />
        <button type="submit" className="primary">
          {submitLabel}
        </button>
      </Form>
      <UploadProgressScript />
    </>
  );
}
