import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

type Problem = { key: string; params?: Record<string, unknown> } | null | undefined;

/** Wires a control to its label, hint and translated error, like FormBits' TextField does for inputs. */
function described(id: string, hint: ReactNode, error: Problem): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

function Problem({ id, error }: { id: string; error: Problem }) {
  const { t } = useTranslation();
  return error ? (
    <p className="error" id={`${id}-error`}>
      {t(error.key, error.params)}
    </p>
  ) : null;
}

/** A labelled select with its translated error beside it; `defaultValue` keeps the choice on a failed submit. */
export function SelectField({
  name,
  label,
  error,
  hint,
  idSuffix = "",
  children,
  ...select
}: { name: string; label: string; error?: Problem; hint?: ReactNode; idSuffix?: string; children: ReactNode } & React.SelectHTMLAttributes<HTMLSelectElement>) {
  const id = `f-${name}${idSuffix}`;
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <select id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={described(id, hint, error)} {...select}>
        {children}
      </select>
      <Problem id={id} error={error} />
    </div>
  );
}

/** A labelled multi-line text box with its translated error beside it. */
export function TextAreaField({
  name,
  label,
  error,
  hint,
  ...area
}: { name: string; label: string; error?: Problem; hint?: ReactNode } & React.TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = `f-${name}`;
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <textarea id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={described(id, hint, error)} {...area} />
      <Problem id={id} error={error} />
    </div>
  );
}
