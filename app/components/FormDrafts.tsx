// Browser drafts of the long forms (those whose <form> carries `data-draft="<key>"`): public/form-drafts.js
// (no framework, deferred, with the page's CSP nonce) keeps them in localStorage per signed-in person and
// page, offers them back, and drops them once the form is sent or the person signs out.
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useNonce } from "~/lib/nonce";

export function FormDraftsScript({ handle }: { handle: string }) {
  const { t } = useTranslation("common");
  const nonce = useNonce();
  // On a page React hydrates, the script waits for this before it touches the page.
  useEffect(() => {
    (window as { pageHydrated?: boolean }).pageHydrated = true;
    document.dispatchEvent(new Event("page-hydrated"));
  }, []);
  return <script src="/form-drafts.js" defer nonce={nonce} data-user={handle} data-kept={t("drafts.kept")} data-restore={t("drafts.restore")} data-discard={t("drafts.discard")} />;
}
