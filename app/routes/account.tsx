import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert, TextField } from "~/components/FormBits";
import { GuardianLinkList } from "~/components/GuardianLinkList";
import { changePassword, ownSessions } from "~/domain/accounts/accounts.server";
import { guardiansOf } from "~/domain/families/guardian-links.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { PASSWORD_MIN } from "~/domain/accounts/passwords.server";
import { findSchool } from "~/domain/places/schools.server";
import { sessionCookie } from "~/domain/accounts/sessions.server";
import { formatDate, formatDateTime } from "~/lib/format";
import { field, formFailure, pageTitle, requireActor } from "~/lib/http.server";
import guardianLinksCss from "~/styles/guardian-links.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: guardianLinksCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  return {
    title: await pageTitle(request, "auth:accountTitle"),
    passwordMin: PASSWORD_MIN,
    changed: new URL(request.url).searchParams.has("changed"),
    guardians: actor.activeRole === "student" ? (await guardiansOf(actor, actor.id)).map((g) => ({ ...g, since: formatDate(g.linkedAt, lng) })) : null,
    me: {
      realName: actor.realName,
      loginName: actor.loginName,
      schoolName: actor.schoolId ? ((await findSchool(actor.schoolId))?.name ?? null) : null,
      roles: actor.roles.map((g) => g.role),
    },
    sessions: (await ownSessions(actor))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((s) => ({
        current: s.id === actor.sessionId,
        remember: s.remember,
        since: formatDateTime(s.createdAt, lng),
        until: formatDateTime(s.expiresAt, lng),
        device: s.userAgent ? deviceName(s.userAgent) : null,
      })),
  };
}

// A recognisable device name from a User-Agent, without storing or showing the whole string.
function deviceName(userAgent: string): string {
  const os = /Android|iPhone|iPad|Windows|Mac OS X|Linux|HarmonyOS/.exec(userAgent)?.[0] ?? "";
  const browser = /Edg|MicroMessenger|Chrome|Firefox|Safari/.exec(userAgent)?.[0] ?? "";
  return [browser === "Edg" ? "Edge" : browser === "MicroMessenger" ? "WeChat" : browser, os].filter(Boolean).join(" · ");
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  try {
    const { token, session } = await changePassword(
      actor,
      { current: field(form, "current"), password: field(form, "password"), confirm: field(form, "confirm") },
      { userAgent: request.headers.get("User-Agent") },
    );
    return redirect("/account?changed=1", { headers: { "Set-Cookie": sessionCookie(request, token, session) } });
  } catch (error) {
    return formFailure(error, {});
  }
}

export default function Account() {
  const { me, sessions, changed, passwordMin, guardians } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  return (
    <>
      {changed ? (
        <p className="notice" role="status">
          {t("passwordChanged")}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="me-title">
        <h1 id="me-title">{t("accountTitle")}</h1>
        <dl className="facts">
          <dt>{t("realName")}</dt>
          <dd>{me.realName}</dd>
          <dt>{t("loginName")}</dt>
          <dd>{me.loginName}</dd>
          {me.schoolName ? (
            <>
              <dt>{t("school")}</dt>
              <dd>{me.schoolName}</dd>
            </>
          ) : null}
          <dt>{t("roles")}</dt>
          <dd>{me.roles.map((r) => t(`common:roles.${r}`)).join(" · ")}</dd>
        </dl>
      </section>
      {guardians ? (
        <section className="panel" aria-labelledby="guardians-title">
          <h2 id="guardians-title">{t("guardianLinks:list.title")}</h2>
          <p className="hint">{t("guardianLinks:list.intro")}</p>
          <GuardianLinkList guardians={guardians} />
        </section>
      ) : null}
      <section className="panel" aria-labelledby="password-title">
        <h2 id="password-title">{t("changePassword")}</h2>
        <p className="hint">{t("changePasswordHint")}</p>
        <FormAlert problem={failure?.formError} />
        <Form method="post" noValidate>
          <TextField name="current" type="password" label={t("currentPassword")} autoComplete="current-password" required error={failure?.fieldErrors.current} />
          <TextField name="password" type="password" label={t("newPassword")} hint={t("passwordRules", { min: passwordMin })} autoComplete="new-password" required error={failure?.fieldErrors.password} />
          <TextField name="confirm" type="password" label={t("confirmPassword")} autoComplete="new-password" required error={failure?.fieldErrors.confirm} />
          <button type="submit" className="primary">
            {t("changePassword")}
          </button>
        </Form>
      </section>
      <section className="panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t("sessionsTitle")}</h2>
        <ul className="sessions">
          {sessions.map((s, i) => (
            <li key={i}>
              <strong>{s.device ?? t("unknownDevice")}</strong>
              {s.current ? <span className="tag">{t("thisDevice")}</span> : null}
              <br />
              <span className="meta">
                {t("signedInAt", { at: s.since })} · {s.remember ? t("remembered", { until: s.until }) : t("endsWithBrowser")}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
