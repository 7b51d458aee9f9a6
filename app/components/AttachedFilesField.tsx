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
  labels: { current: string; remove: string; add: string; hint: string; error?: string };
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
      <FilesInput label={labels.add} hint={labels.hint} error={error ? (labels.error ?? null) : null} />
    </>
  );
}

/**
 * The multiple file input of an upload form, named "files" (id f-files), with its hint and, after a
 * refused upload, the translated error beside it.
 */
export function FilesInput({ label, hint, error }: { label: string; hint: string; error: string | null }) {
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor="f-files">{label}</label>
      <p className="hint" id="f-files-hint">
        {hint}
      </p>
      <input id="f-files" name="files" type="file" multiple aria-describedby={error ? "f-files-hint f-files-error" : "f-files-hint"} aria-invalid={error ? true : undefined} />
      {error ? (
        <p className="error" id="f-files-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
