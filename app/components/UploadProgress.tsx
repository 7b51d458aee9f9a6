// The upload progress bar: put it once on a page whose multipart forms carry `data-upload-progress`.
// On a page that does not hydrate, public/upload-progress.js (no framework, deferred, with the page's
// CSP nonce) sends such a form by XHR and moves the bar. On a hydrated page the forms are Remix <Form>s:
// the script stands aside and the bar shows the navigation's own submission (the bytes being sent, no
// percentage: fetch cannot report upload progress). Without JavaScript the form simply posts.
import { useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useNonce } from "~/lib/nonce";
import filesCssUrl from "~/styles/files.css?url";

/** The bytes of the files in a submission being sent, or null when no multipart form is on its way. */
function bytesBeingSent(navigation: ReturnType<typeof useNavigation>): number | null {
  if (navigation.state !== "submitting" || navigation.formEncType !== "multipart/form-data" || !navigation.formData) return null;
  let bytes = 0;
  for (const value of navigation.formData.values()) if (typeof value !== "string") bytes += value.size;
  return bytes;
}

function readableSize(bytes: number, lng: string) {
  const [amount, unit] = bytes >= 1e6 ? [bytes / 1e6, "megabyte"] : [bytes / 1e3, "kilobyte"];
  try {
    return new Intl.NumberFormat(lng, { style: "unit", unit, maximumFractionDigits: 1 }).format(amount);
  } catch {
    return new Intl.NumberFormat("en", { style: "unit", unit, maximumFractionDigits: 1 }).format(amount);
  }
}

export function UploadProgressScript() {
  const { t, i18n } = useTranslation("files");
  const nonce = useNonce();
  const sending = bytesBeingSent(useNavigation());
  return (
    <>
      <div
        id="upload-progress"
        className="upload-progress"
        hidden={sending === null}
        data-uploading={t("progress.uploading")}
        data-done={t("progress.done")}
        data-failed={t("progress.failed")}
      >
        <label htmlFor="upload-progress-bar">{t("progress.label")}</label>
        <span className="upload-progress-bar">
          {/* Without a value the bar is indeterminate: it moves without claiming how far it got. */}
          {sending === null ? <progress id="upload-progress-bar" max={100} value={0} /> : <progress id="upload-progress-bar" key="sending" max={100} />}
          <span className="upload-progress-pct" aria-hidden="true">
            {sending === null ? "0%" : readableSize(sending, i18n.language)}
          </span>
        </span>
        <p className="upload-progress-status" role="status" aria-live="polite">
          {sending === null ? null : t("progress.uploading")}
        </p>
      </div>
      <script src="/upload-progress.js" defer nonce={nonce} />
    </>
  );
}

/** Its stylesheet, for the route's `links` (e.g. `links = () => [...uploadProgressLinks(), …]`). */
export function uploadProgressLinks() {
  return [{ rel: "stylesheet", href: filesCssUrl }];
}
