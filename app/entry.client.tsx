// Runs only on pages whose route asks for hydration (handle.hydrate); read-only pages ship no script.
import { RemixBrowser } from "@remix-run/react";
import i18next, { type BackendModule } from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import i18nConfig from "~/i18n";

const backend: BackendModule = {
  type: "backend",
  init() {},
  read(lng, ns, callback) {
    fetch(`/locales/${lng}/${ns}`)
      .then((r) => r.json())
      .then((data) => callback(null, data), (error) => callback(error, null));
  },
};

async function hydrate() {
  const lng = document.documentElement.lang;
  // The server names the namespaces this page uses (root.tsx); loading them first keeps hydration exact.
  const ns = document.querySelector('meta[name="i18n-namespaces"]')?.getAttribute("content")?.split(",") ?? ["common"];
  // No fallback language in the browser: every locale has every key (tests/unit/locales enforces it), so a
  // Tibetan or Yi page does not also fetch the Chinese namespaces (≈13 KB and six round trips on a thin link).
  await i18next.use(initReactI18next).use(backend).init({ ...i18nConfig, lng, ns, fallbackLng: false });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();
