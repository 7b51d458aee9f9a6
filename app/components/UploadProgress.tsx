// The upload progress bar: put it once on a page whose multipart forms carry `data-upload-progress`.
// public/upload-progress.js (no framework, deferred, with the page's CSP nonce) sends such a form by
// XHR and moves the bar; without JavaScript the form simply posts and the slot stays hidden.
import { useTranslation } from "react-i18next";
import { useNonce } from "~/lib/nonce";
import filesCssUrl from "~/styles/files.css?url";

export function UploadProgressScript() {
  const { t } = useTranslation("files");
  const nonce = useNonce();
  return (
    <>
      <div
        id="upload-progress"
        className="upload-progress"
        hidden
        data-uploading={t("progress.uploading")}
        data-done={t("progress.done")}
        data-failed={t("progress.failed")}
      >
        <label htmlFor="upload-progress-bar">{t("progress.label")}</label>
        <span className="upload-progress-bar">
          <progress id="upload-progress-bar" max={100} value={0} />
          <span className="upload-progress-pct" aria-hidden="true">
            0%
          </span>
        </span>
        <p className="upload-progress-status" role="status" aria-live="polite" />
      </div>
      <script src="/upload-progress.js" defer nonce={nonce} />
    </>
  );
}

/** Its stylesheet, for the route's `links` (e.g. `links = () => [...uploadProgressLinks(), …]`). */
export function uploadProgressLinks() {
  return [{ rel: "stylesheet", href: filesCssUrl }];
}
