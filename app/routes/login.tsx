import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert, TextField } from "~/components/FormBits";
import { LoginRenamed } from "~/components/LoginRenamed";
import { signIn } from "~/domain/accounts/accounts.server";
import { actorFromRequest, knownDeviceCookie, knownDevicesFromRequest, sessionCookie } from "~/domain/accounts/sessions.server";
import { field, formFailure, pageTitle, safeNext } from "~/lib/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

// Only anonymous readers see this page (the signed-in are sent on) and it is the same for everyone in
// a language: the browser may keep it and ask again with its ETag (server/etag.mjs answers 304).
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const next = safeNext(new URL(request.url).searchParams.get("next"));
  if (await actorFromRequest(request)) throw redirect(next);
  return data({ title: await pageTitle(request, "auth:signInTitle"), next }, { headers: { "Cache-Control": "private, no-cache" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = { loginName: field(form, "loginName"), remember: form.get("remember") === "on" };
  try {
    const { token, session, knownDevices, renamedTo } = await signIn(
      { ...values, password: field(form, "password") },
      { address: context.clientAddress, userAgent: request.headers.get("User-Agent"), knownDevices: knownDevicesFromRequest(request) },
    );
    const headers = new Headers([
      ["Set-Cookie", sessionCookie(request, token, session)],
      ["Set-Cookie", knownDeviceCookie(request, knownDevices)],
    ]);
    const next = safeNext(form.get("next"));
    if (renamedTo) return data({ renamed: { loginName: renamedTo, next } }, { headers });
    return redirect(next, { headers });
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function Login() {
  const { next } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  if (answer && "renamed" in answer) return <LoginRenamed {...answer.renamed} />;
  const failure = answer;
  return (
    <section className="panel narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t("signInTitle")}</h1>
      <FormAlert problem={failure?.formError} />
      <Form method="post" noValidate>
        <input type="hidden" name="next" value={next} />
        <TextField
          name="loginName"
          label={t("loginName")}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          defaultValue={failure?.values.loginName}
          error={failure?.fieldErrors.loginName}
        />
        <TextField name="password" type="password" label={t("password")} autoComplete="current-password" required error={failure?.fieldErrors.password} />
        <div className="check">
          <input id="f-remember" type="checkbox" name="remember" defaultChecked={failure?.values.remember} />
          <label htmlFor="f-remember">{t("rememberDevice")}</label>
        </div>
        <p className="hint">{t("rememberHint")}</p>
        <button type="submit" className="primary">
          {t("signIn")}
        </button>
      </Form>
      <p className="aside">
        {t("firstTime")} <a href="/activate">{t("activateLink")}</a>
      </p>
    </section>
  );
}
