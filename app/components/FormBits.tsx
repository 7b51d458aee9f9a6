import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

type Problem = { key: string; params?: Record<string, unknown> } | null | undefined;

/** A labelled input with its translated error beside it; keeps the typed value on a failed submit. */
export function TextField({
  name,
  label,
  error,
  hint,
  ...input
}: { name: string; label: string; error?: Problem; hint?: ReactNode } & React.InputHTMLAttributes<HTMLInputElement>) {
  const { t } = useTranslation();
  const id = `f-${name}`;
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      {error ? (
        <p className="error" id={`${id}-error`}>
          {t(error.key, error.params)}
        </p>
      ) : null}
    </div>
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
