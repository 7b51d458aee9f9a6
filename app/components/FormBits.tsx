import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

export type Problem = { key: string; params?: Record<string, unknown> } | null | undefined;

type FieldProps = { name: string; label: string; error?: Problem; hint?: ReactNode; /** defaults to `f-<name>`; set it when a page has two forms with the same field */ id?: string };

function describedBy(id: string, hint: ReactNode, error: Problem): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

/** Label, hint, the control, and its translated error beside it: every form field's frame. */
function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: ReactNode; error?: Problem; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p className="error" id={`${id}-error`}>
          {t(error.key, error.params)}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input with its translated error beside it; keeps the typed value on a failed submit. */
export function TextField({ name, label, error, hint, id = `f-${name}`, ...input }: FieldProps & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...input} />
    </Field>
  );
}

/** A labelled select; `defaultValue` keeps the choice on a failed submit. */
export function SelectField({ name, label, error, hint, id = `f-${name}`, children, ...select }: FieldProps & { children: ReactNode } & React.SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <select id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...select}>
        {children}
      </select>
    </Field>
  );
}

/** A labelled multi-line text box. */
export function TextAreaField({ name, label, error, hint, id = `f-${name}`, ...area }: FieldProps & React.TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <textarea id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...area} />
    </Field>
  );
}

/** The form-wide message (e.g. wrong password, too many attempts), announced to screen readers. */
export function FormAlert({ problem }: { problem: Problem }) {
  const { t } = useTranslation();
  if (!problem) return null;
  return (
    <p className="alert" role="alert">
      {t(problem.key, problem.params)}
    </p>
  );
}
