import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AuditTable } from "~/components/AuditTable";
import { SelectField, TextField } from "~/components/FormBits";
import { listAuditEvents, type AuditFilters } from "~/domain/rollout/audit-log.server";
import { ValidationError, type FieldErrors } from "~/domain/foundation/errors.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { auditActionChoices } from "~/lib/audit-sentences";
import { formatDateTime } from "~/lib/format";
import { asErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/school.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const url = new URL(request.url);
  const param = (name: string) => (url.searchParams.get(name) ?? "").slice(0, 100);
  const filters: Required<AuditFilters> = { action: param("action"), who: param("who"), from: param("from"), to: param("to") };
  const cursor = param("cursor") || null;
  const title = await pageTitle(request, "audit:title");
  let fieldErrors: FieldErrors = {};
  let page;
  try {
    page = await listAuditEvents(actor, filters, cursor);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw asErrorPage(error);
    // A bad filter keeps what was typed, with the reason beside it, and shows no rows.
    fieldErrors = Object.keys(error.fields).length ? error.fields : { form: { key: error.key } };
    page = { ...await listAuditEvents(actor, {}, null, 1), events: [], nextCursor: null };
  }
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
  const next = page.nextCursor ? `/audit?${new URLSearchParams([...query, ["cursor", page.nextCursor]])}` : null;
  return {
    title,
    scope: page.scope.kind,
    scopeName: page.scopeName,
    filters,
    fieldErrors,
    firstPage: cursor ? `/audit${query.size ? `?${query}` : ""}` : null,
    next,
    events: page.events.map((e) => ({
      id: e.id,
      at: formatDateTime(e.at, lng),
      atIso: e.at.toISOString(),
      who: e.actor?.realName ?? null,
      whoLogin: e.actor?.loginName ?? null,
      whoAnonymous: e.actorAnonymous,
      action: e.action,
      targetType: e.targetType,
      targetName: e.targetName,
      targetAnonymous: e.targetAnonymous,
      schoolName: e.schoolName,
      detail: e.detail,
      detailHidden: e.detailHidden,
      people: e.people,
      list: e.list,
    })),
  };
}

export default function Audit() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("audit");
  const e = data.fieldErrors;
  const choices = auditActionChoices(t);
  const chosen = data.filters.action;
  // An older link's prefix that is no longer a listed choice still shows as chosen.
  const listed = !chosen || choices.some((g) => g.group === chosen || g.actions.some((a) => a.key === chosen));
  return (
    <>
      <section className="panel" aria-labelledby="audit-title">
        <p className="meta">{data.scopeName ? t(`scope.${data.scope}`, { name: data.scopeName }) : t("scope.all")}</p>
        <h1 id="audit-title">{t("title")}</h1>
        <Form method="get" className="audit-filters" role="search" aria-label={t("filters")}>
          <SelectField name="action" label={t("filterAction")} defaultValue={chosen} error={e.action}>
            <option value="">{t("allActions")}</option>
            {listed ? null : <option value={chosen}>{chosen}</option>}
            {choices.map((g) => (
              <optgroup key={g.group} label={g.label}>
                <option value={g.group}>{t("allOfKind", { kind: g.label })}</option>
                {g.actions.map((a) => (
                  <option key={a.key} value={a.key}>
                    {a.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </SelectField>
          <TextField name="who" label={t("filterWho")} hint={t("filterWhoHint")} autoCapitalize="none" spellCheck={false} defaultValue={data.filters.who} error={e.who} />
          <TextField name="from" type="date" label={t("filterFrom")} defaultValue={data.filters.from} error={e.from} />
          <TextField name="to" type="date" label={t("filterTo")} defaultValue={data.filters.to} error={e.to} />
          <div className="filter-buttons">
            <button type="submit" className="primary">
              {t("apply")}
            </button>
            <a href="/audit">{t("clear")}</a>
          </div>
        </Form>
        {e.form ? (
          <p className="alert" role="alert">
            {t(e.form.key)}
          </p>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="events-title">
        <h2 id="events-title">{t("eventsTitle")}</h2>
        {data.events.length === 0 ? <p>{t("none")}</p> : <AuditTable events={data.events} />}
        <p className="pager">
          {data.firstPage ? <a href={data.firstPage}>{t("newest")}</a> : null}
          {data.next ? (
            <a href={data.next} rel="next">
              {t("older")}
            </a>
          ) : null}
        </p>
      </section>
    </>
  );
}
