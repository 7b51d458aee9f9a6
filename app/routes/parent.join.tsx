import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert, TextField } from "~/components/FormBits";
import { addChildWithCode, joinWithCode, mayAddChild } from "~/domain/families/guardian-links.server";
import { myChildren } from "~/domain/people/guardians.server";
import { chosenLanguage } from "~/domain/accounts/locale.server";
import { PASSWORD_MIN } from "~/domain/accounts/passwords.server";
import { actorFromRequest, sessionCookie } from "~/domain/accounts/sessions.server";
import { field, formFailure, pageTitle } from "~/lib/http.server";
import cssUrl from "~/styles/guardian-links.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await actorFromRequest(request);
  const addedId = new URL(request.url).searchParams.get("added");
  const children = actor?.activeRole === "parent" ? await myChildren(actor) : [];
  const added = children.find((c) => c.studentId === addedId);
  return {
    title: await pageTitle(request, "guardianLinks:join.title"),
    passwordMin: PASSWORD_MIN,
    signedIn: Boolean(actor),
    mayAdd: mayAddChild(actor),
    added: added ? { name: added.realName, roleAdded: new URL(request.url).searchParams.has("role") } : null,
    children: children.map((c) => ({ id: c.studentId, realName: c.realName, where: [c.schoolName, ...c.classNames].join(" · ") })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await actorFromRequest(request);
  const form = await request.formData();
  const client = { address: context.clientAddress, userAgent: request.headers.get("User-Agent") };
  const values = { code: field(form, "code"), realName: field(form, "realName"), phone: field(form, "phone") };
  try {
    if (actor) {
      const { studentId, addedParentRole } = await addChildWithCode(actor, values.code, client);
      return redirect(`/parent/join?added=${encodeURIComponent(studentId)}${addedParentRole ? "&role=1" : ""}`);
    }
    const { token, session, studentId } = await joinWithCode(
      { ...values, password: field(form, "password"), confirm: field(form, "confirm"), locale: chosenLanguage(request) },
      client,
    );
    return redirect(`/parent/join?added=${encodeURIComponent(studentId)}`, { headers: { "Set-Cookie": sessionCookie(request, token, session) } });
  } catch (error) {
    return formFailure(error, values);
  }
}

/** Public: a parent opens an account with a child's link code; signed in, anyone (not a student) adds a child. */
export default function ParentJoin() {
  const { passwordMin, signedIn, mayAdd, added, children } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("guardianLinks");
  const errors = failure?.fieldErrors;
  return (
    <>
      {added ? (
        <p className="notice" role="status">
          {t("join.added", { name: added.name })} {added.roleAdded ? t("join.switchHint") : null}
        </p>
      ) : null}
      <section className="panel narrow" aria-labelledby="join-title">
        <h1 id="join-title">{t("join.title")}</h1>
        {signedIn && !mayAdd ? (
          <p className="notice">{t("join.studentNotice")}</p>
        ) : (
          <>
            <p>{signedIn ? t("join.introSignedIn") : t("join.intro")}</p>
            <FormAlert problem={failure?.formError} />
            <Form method="post" noValidate>
              <TextField
                name="code"
                label={t("join.code")}
                hint={t("join.codeHint")}
                autoComplete="one-time-code"
                autoCapitalize="characters"
                spellCheck={false}
                required
                defaultValue={failure?.values.code}
                error={errors?.code}
                className="code-input"
              />
              {signedIn ? null : (
                <>
                  <TextField name="realName" label={t("join.realName")} autoComplete="name" required defaultValue={failure?.values.realName} error={errors?.realName} />
                  <TextField
                    name="phone"
                    type="tel"
                    inputMode="numeric"
                    label={t("join.phone")}
                    hint={t("join.phoneHint")}
                    autoComplete="tel-national"
                    required
                    defaultValue={failure?.values.phone}
                    error={errors?.phone}
                  />
                  <TextField name="password" type="password" label={t("join.password")} hint={t("auth:passwordRules", { min: passwordMin })} autoComplete="new-password" required minLength={passwordMin} error={errors?.password} />
                  <TextField name="confirm" type="password" label={t("join.confirm")} autoComplete="new-password" required error={errors?.confirm} />
                </>
              )}
              <button type="submit" className="primary">
                {signedIn ? t("join.submitAdd") : t("join.submit")}
              </button>
            </Form>
            {signedIn ? null : (
              <p className="aside">
                {t("join.haveAccount")} <a href="/login?next=%2Fparent%2Fjoin">{t("join.signInFirst")}</a>
              </p>
            )}
          </>
        )}
      </section>
      {children.length ? (
        <section className="panel narrow" aria-labelledby="children-title">
          <h2 id="children-title">{t("join.children")}</h2>
          <ul className="linked-children">
            {children.map((c) => (
              <li key={c.id}>
                <strong>{c.realName}</strong>
                <br />
                <span className="meta">{c.where}</span>
              </li>
            ))}
          </ul>
          <p>
            <a href="/parent">{t("join.progress")}</a>
          </p>
        </section>
      ) : null}
    </>
  );
}
