// What every thin route needs between the request and the domain: the actor, form fields, safe
// redirects, and turning domain errors into responses a form can show.
import { data, redirect } from "@remix-run/node";
import type { SignedInActor } from "~/domain/foundation/actor.server";
import { DomainError, ThrottledError, ValidationError, type FieldErrors } from "~/domain/foundation/errors.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { escapeHtml } from "~/domain/foundation/richtext.server";
import { actorFromRequest } from "~/domain/accounts/sessions.server";
import { i18next } from "~/i18next.server";
import { errorPageKeys } from "./error-page";

/** A redirect to sign in that comes back to this page afterwards. */
function signInRedirect(request: Request): Response {
  const url = new URL(request.url);
  return redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
}

/** The signed-in actor, or a redirect to sign in that comes back here afterwards. */
export async function requireActor(request: Request): Promise<SignedInActor> {
  const actor = await actorFromRequest(request);
  if (!actor) throw signInRedirect(request);
  return actor;
}

/**
 * For pages anonymous readers may open (public content): a refusal for want of a session sends them to
 * sign in and back; any other refusal becomes its error page. Use as `throw readerErrorPage(request, e)`.
 */
export function readerErrorPage(request: Request, error: unknown): unknown {
  if (error instanceof DomainError && error.status === 401) return signInRedirect(request);
  return asErrorPage(error);
}

// Any origin will do as the base: only whether the value stays on it matters, and only the path is kept.
const OWN_ORIGIN = "https://own.invalid";

/**
 * Only same-site paths, judged by the browser's own URL rules: it drops tabs and newlines and reads
 * `\` as `/`, so `/\t/evil.example` and `/\evil` lead elsewhere although they start with one slash.
 * The answer is the parsed path, so what reaches a Location header is always percent-encoded.
 */
export function safeNext(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(value, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== OWN_ORIGIN || !url.pathname.startsWith("/") || url.pathname.startsWith("//")) return fallback;
  return url.pathname + url.search + url.hash;
}

export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export type FormFailure<V> = {
  formError: { key: string; params: Record<string, unknown> } | null;
  fieldErrors: FieldErrors;
  values: V;
};

/**
 * A domain refusal as the form's answer: validation and throttling come back to the form with what was
 * typed (passwords aside); anything else is rethrown as an error page of the right status.
 */
export function formFailure<V>(error: unknown, values: V) {
  if (error instanceof ValidationError || error instanceof ThrottledError) {
    const fieldErrors = error instanceof ValidationError ? error.fields : {};
    const formError = Object.keys(fieldErrors).length ? null : { key: error.key, params: error.params };
    const headers: HeadersInit = error instanceof ThrottledError ? { "Retry-After": String(Math.ceil(error.retryAfterMs / 1000)) } : {};
    return data<FormFailure<V>>({ formError, fieldErrors, values }, { status: error.status, headers });
  }
  throw asErrorPage(error);
}

/** What the root error boundary reads to explain a refusal (e.g. a capability not yet open). */
export type ErrorPageData = { messageKey: string; params: Record<string, unknown> };

/**
 * A domain refusal as an error page of its status carrying its translated reason; anything else
 * unchanged. Use in loaders: `catch (e) { throw asErrorPage(e) }`, or wrap with `orErrorPage`.
 */
export function asErrorPage(error: unknown): unknown {
  if (error instanceof DomainError) return data<ErrorPageData>({ messageKey: error.key, params: error.params }, { status: error.status });
  return error;
}

/** Runs a loader or action body, turning domain refusals into error pages. */
export async function orErrorPage<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw asErrorPage(error);
  }
}

/**
 * For resource routes (file downloads, CSV/XLSX/ZIP exports), which have no error boundary: a domain
 * refusal becomes a small page of its status saying what the other error pages say, in the reader's
 * language, instead of Remix's untranslated JSON; a refusal for want of a session asks to sign in.
 * Anything else unchanged. Use as `throw await resourceErrorPage(request, e)`, or wrap with
 * `orResourceErrorPage`.
 */
export async function resourceErrorPage(request: Request, error: unknown): Promise<unknown> {
  if (!(error instanceof DomainError)) return error;
  if (error.status === 401) return signInRedirect(request);
  const lng = await resolveLocale(request, await actorFromRequest(request));
  const t = await i18next.getFixedT(lng, "errors");
  const missing = "\u0000";
  const { titleKey, bodyKey } = errorPageKeys(error.status, error.key, (key) => t(key, { defaultValue: missing }) !== missing);
  const [title, body, home] = [t(titleKey), t(bodyKey, error.params), t("backHome")].map(escapeHtml);
  const page = `<!doctype html><html lang="${lng}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body><main><h1>${title}</h1><p>${body}</p><p><a href="/">${home}</a></p></main></body></html>`;
  return new Response(page, { status: error.status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

/** Runs a resource route's loader body, turning domain refusals into `resourceErrorPage`s. */
export async function orResourceErrorPage<T>(request: Request, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw await resourceErrorPage(request, error);
  }
}

/** A translated page title for a route's loader to return (meta functions cannot translate). */
export async function pageTitle(request: Request, key: string): Promise<string> {
  const t = await i18next.getFixedT(request);
  return `${t(key)} · ${t("common:appName")}`;
}
