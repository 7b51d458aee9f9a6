import { useTranslation } from "react-i18next";
import { AttachedFilesField } from "./AttachedFilesField";
import { FormAlert, TextAreaField, type Problem } from "./FormBits";

type Failure = { formError: Problem; fieldErrors: Record<string, Problem>; values: { score: string; feedback: string } } | undefined;

/**
 * The grade: score out of the points, feedback, files returned with it, and the grade's version so a
 * save over another teacher's newer grade is refused. A plain multipart form: it works without script.
 */
export function GradeForm({
  points,
  feedbackMax,
  grade,
  failure,
}: {
  points: number;
  feedbackMax: number;
  grade: { score: number | null; feedback: string; gradeVersion: number; files: { id: string; name: string; url: string }[] };
  failure: Failure;
}) {
  const { t } = useTranslation("grading");
  const scoreError = failure?.fieldErrors.score;
  const score = failure ? failure.values.score : grade.score === null ? "" : String(grade.score);
  const feedback = failure ? failure.values.feedback : grade.feedback;
  return (
    <form method="post" encType="multipart/form-data" data-upload-progress="" className="grade-form" noValidate data-draft="feedback">
      <FormAlert problem={failure?.formError ?? failure?.fieldErrors.form} />
      <input type="hidden" name="gradeVersion" value={grade.gradeVersion} />
      <div className={scoreError ? "field has-error" : "field"}>
        <label htmlFor="f-score">{t("fieldScore")}</label>
        <p className="hint" id="f-score-hint">
          {t("scoreHint", { points })}
        </p>
        <span className="score-input">
          <input
            id="f-score"
            name="score"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            size={6}
            defaultValue={score}
            aria-invalid={scoreError ? true : undefined}
            aria-describedby={scoreError ? "f-score-hint f-score-error" : "f-score-hint"}
          />
          <span className="out-of">{t("outOf", { points })}</span>
        </span>
        {scoreError ? (
          <p className="error" id="f-score-error">
            {t(scoreError.key, scoreError.params)}
          </p>
        ) : null}
      </div>
      <TextAreaField name="feedback" label={t("fieldFeedback")} hint={t("feedbackHint", { max: feedbackMax })} rows={6} maxLength={feedbackMax} defaultValue={feedback} error={failure?.fieldErrors.feedback} />
      <AttachedFilesField
        files={grade.files}
        error={failure?.fieldErrors.files}
        labels={{
          current: t("filesCurrent"),
          remove: t("filesRemove"),
          add: t("filesAdd"),
          hint: t("filesHint"),
          error: failure?.fieldErrors.files ? t(failure.fieldErrors.files.key, failure.fieldErrors.files.params) : undefined,
        }}
      />
      <div className="grade-buttons button-row">
        <button type="submit" name="intent" value="draft" className="quiet">
          {t("saveDraft")}
        </button>
        <button type="submit" name="intent" value="return" className="primary">
          {t("saveReturn")}
        </button>
      </div>
    </form>
  );
}
