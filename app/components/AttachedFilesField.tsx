import { useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { UPLOAD_ACCEPT, UPLOAD_TYPES } from "~/lib/upload-types";
import { useNonce } from "~/lib/nonce";
import type { RootData } from "~/root";
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
 * public/file-check.js refuses a file too large or of a refused type as soon as it is chosen (a 20 MB
 * limit learnt after the upload is most of an hour at 64 kbps) and makes photos smaller unless "send the
 * original" is ticked; it reads the limit and the messages from this markup. Without it the server refuses.
 */
export function FilesInput({ label, hint, error, again }: { label: string; hint: string; error: string | null; again?: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [kept, setKept] = useState(false);
  // Only a mount can find files it did not see chosen (a page the browser restored); an action-data
  // re-render keeps this input, and onChange follows every later choice.
  useEffect(() => setKept(Boolean(input.current?.files?.length)), []);
  if (again && !kept) hint = `${hint} ${again}`;
  const { t } = useTranslation("files");
  const maxBytes = useRouteLoaderData<RootData>("root")?.maxUploadBytes;
  const checked = maxBytes
    ? {
        accept: UPLOAD_ACCEPT,
        "data-file-check": "f-files-check",
        "data-max-bytes": maxBytes,
        "data-types": UPLOAD_TYPES,
        "data-too-large": t("tooLarge", { max: Math.round(maxBytes / 1024 / 1024) }),
        "data-refused-type": t("refusedType"),
        "data-not-sent": t("check.notSent", { name: "%name%" }),
        "data-preparing": t("check.preparing"),
        "data-original": "f-files-original",
      }
    : {};
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor="f-files">{label}</label>
      <p className="hint" id="f-files-hint">
        {hint}
      </p>
      <input
        ref={input}
        id="f-files"
        name="files"
        type="file"
        multiple
        onChange={(e) => setKept(Boolean(e.currentTarget.files?.length))}
        aria-describedby={error ? "f-files-hint f-files-error f-files-check" : "f-files-hint f-files-check"}
        aria-invalid={error ? true : undefined}
        {...checked}
      />
      {/* Only the script can make a photo smaller, so only the script shows this box. */}
      <label className="check" id="f-files-original-label" hidden>
        <input type="checkbox" id="f-files-original" /> {t("check.sendOriginal")}
      </label>
      <div className="error" id="f-files-check" role="status" aria-live="polite" hidden />
      {error ? (
        <p className="error" id="f-files-error">
          {error}
        </p>
      ) : null}
      <FileCheckScript />
    </div>
  );
}

/**
 * Loads public/file-check.js once. Rendered in the page it runs before (and without) hydration; a page
 * reached by client navigation gets it from the effect, since React never runs a script it renders.
 */
function FileCheckScript() {
  const nonce = useNonce();
  useEffect(() => {
    const loaded = (window as { fileCheck?: { scan(): void } }).fileCheck;
    if (loaded) return loaded.scan();
    const script = document.createElement("script");
    script.src = "/file-check.js";
    if (nonce) script.nonce = nonce;
    document.body.appendChild(script);
  }, [nonce]);
  return <script src="/file-check.js" defer nonce={nonce} />;
}
