import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert, TextField } from "~/components/FormBits";
import { LoginRenamed } from "~/components/LoginRenamed";
import { activateAccount } from "~/domain/accounts/accounts.server";
import { PASSWORD_MIN } from "~/domain/accounts/passwords.server";
import { actorFromRequest, sessionCookie } from "~/domain/accounts/sessions.server";
import { field, formFailure, pageTitle } from "~/lib/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

// For an anonymous reader the page is the same for everyone in a language: the browser may keep it and
// ask again with its ETag (server/etag.mjs answers 304). Signed in, the header shows who: not kept.
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const anonymous = !await actorFromRequest(request);
  const cacheControl = anonymous ? "private, no-cache" : "private, no-store";
  return data({ title: await pageTitle(request, "auth:activateTitle"), passwordMin: PASSWORD_MIN }, { headers: { "Cache-Control": cacheControl } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = { loginName: field(form, "loginName"), code: field(form, "code"), realName: field(form, "realName") };
  try {
    const { token, session, renamedTo } = await activateAccount(
      { ...values, password: field(form, "password"), confirm: field(form, "confirm") },
      { address: context.clientAddress, userAgent: request.headers.get("User-Agent") },
    );
    const headers = { "Set-Cookie": sessionCookie(request, token, session) };
    if (renamedTo) return data({ renamed: { loginName: renamedTo, next: "/?welcome=1" } }, { headers });
    return redirect("/?welcome=1", { headers });
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function Activate() {
  const { passwordMin } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  if (answer && "renamed" in answer) return <LoginRenamed {...answer.renamed} />;
  const failure = answer;
  const errors = failure?.fieldErrors;
  return (
    <section className="panel narrow" aria-labelledby="activate-title">
      <h1 id="activate-title">{t("activateTitle")}</h1>
      <p>{t("activateIntro")}</p>
      <FormAlert problem={failure?.formError} />
      <Form method="post" noValidate>
        <TextField name="loginName" label={t("loginName")} autoComplete="username" autoCapitalize="none" spellCheck={false} required defaultValue={failure?.values.loginName} error={errors?.loginName} />
        <TextField name="code" label={t("activationCode")} hint={t("activationCodeHint")} autoComplete="one-time-code" autoCapitalize="characters" spellCheck={false} required defaultValue={failure?.values.code} error={errors?.code} />
        <TextField name="realName" label={t("realName")} hint={t("realNameHint")} autoComplete="name" required defaultValue={failure?.values.realName} error={errors?.realName} />
        <TextField name="password" type="password" label={t("newPassword")} hint={t("passwordRules", { min: passwordMin })} autoComplete="new-password" required minLength={passwordMin} error={errors?.password} />
        <TextField name="confirm" type="password" label={t("confirmPassword")} autoComplete="new-password" required error={errors?.confirm} />
        <button type="submit" className="primary">
          {t("activate")}
        </button>
      </Form>
      <p className="aside">
        {t("haveAccount")} <a href="/login">{t("signIn")}</a>
      </p>
    </section>
  );
}
