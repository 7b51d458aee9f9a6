import { useEffect, useRef, useState } from "react";
import type { Problem } from "./FormBits";

type AttachedFile = { id: string; name: string; url: string };

/**
 * The files of a form that carries uploads: the ones already attached (each with a "remove" box named
 * `removeFile.<id>`) and a multiple file input named "files". Labels come from the caller's namespace.
 */
export function AttachedFilesField({
  files,
  error,
  labels,
}: {
  files: AttachedFile[];
  error?: Problem | null;
  labels: { current: string; remove: string; add: string; hint: string; error?: string; again?: string };
}) {
  return (
    <>
      {files.length ? (
        <fieldset className="field">
          <legend>{labels.current}</legend>
          <ul className="file-list">
            {files.map((f) => (
              <li key={f.id}>
                <a href={f.url}>{f.name}</a>{" "}
                <label className="check">
                  <input type="checkbox" name={`removeFile.${f.id}`} /> {labels.remove}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : null}
      <FilesInput label={labels.add} hint={labels.hint} again={labels.again} error={error ? (labels.error ?? null) : null} />
    </>
  );
}

/**
 * The multiple file input of an upload form, named "files" (id f-files), with its hint and, after a
 * refused upload, the translated error beside it. `again` (given after a refused form) asks for the files
 * again, but only while the input is empty: a full page load (no JavaScript, or before hydration) drops
 * the chosen files, a Remix submission keeps them in the input and then nothing needs choosing again.
 */
export function FilesInput({ label, hint, error, again }: { label: string; hint: string; error: string | null; again?: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [kept, setKept] = useState(false);
  // Only a mount can find files it did not see chosen (a page the browser restored); an action-data
  // re-render keeps this input, and onChange follows every later choice.
  useEffect(() => setKept(Boolean(input.current?.files?.length)), []);
  if (again && !kept) hint = `${hint} ${again}`;
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor="f-files">{label}</label>
      <p className="hint" id="f-files-hint">
        {hint}
      </p>
      <input ref={input} id="f-files" name="files" type="file" multiple onChange={(e) => setKept(Boolean(e.currentTarget.files?.length))} aria-describedby={error ? "f-files-hint f-files-error" : "f-files-hint"} aria-invalid={error ? true : undefined} />
      {error ? (
        <p className="error" id="f-files-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
