import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SelectField, TextField } from "~/components/FormBits";
import { GroupCard, type GroupCardView } from "~/components/GroupCard";
import { GROUP_KINDS, GROUP_REACHES, groupDirectory, myGroups, newGroupForm, type GroupCard as GroupCardData } from "~/domain/groups/groups.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import type { Lng } from "~/i18n";
import { formatList, formatNumber } from "~/lib/format";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/groups.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

function cardView(g: GroupCardData, lng: Lng): GroupCardView {
  return {
    id: g.id,
    name: g.name,
    kind: g.kind,
    subject: g.subject,
    reach: g.reach,
    regionName: g.regionName,
    memberCountText: formatNumber(g.memberCount, lng),
    schoolsText: formatList(g.schools, lng),
    coverUrl: g.coverUrl,
    myState: g.myState,
  };
}

async function mayCreate(actor: Parameters<typeof newGroupForm>[0]): Promise<boolean> {
  try {
    await newGroupForm(actor);
    return true;
  } catch {
    return false;
  }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const url = new URL(request.url);
  const query = {
    q: (url.searchParams.get("q") ?? "").slice(0, 100),
    subject: url.searchParams.get("subject") ?? "",
    kind: url.searchParams.get("kind") ?? "",
    reach: url.searchParams.get("reach") ?? "",
  };
  const page = Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1);
  const { directory, mine } = await orErrorPage(async () => ({ directory: await groupDirectory(actor, { ...query, page }), mine: await myGroups(actor) }));
  const pageLink = (n: number) => {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v));
    if (n > 1) params.set("page", String(n));
    return `/groups${params.size ? `?${params}` : ""}`;
  };
  return {
    title: await pageTitle(request, "groups:directory.title"),
    query,
    subjects: directory.subjects,
    groups: directory.groups.map((g) => cardView(g, lng)),
    previous: directory.page > 1 ? pageLink(directory.page - 1) : null,
    next: directory.hasMore ? pageLink(directory.page + 1) : null,
    mine: { active: mine.active.map((g) => ({ ...cardView(g, lng), requestsWaiting: g.requestsWaiting, requestsWaitingText: formatNumber(g.requestsWaiting, lng) })), invited: mine.invited.map((g) => cardView(g, lng)), requested: mine.requested.map((g) => cardView(g, lng)) },
    mayCreate: await mayCreate(actor),
    kinds: GROUP_KINDS,
    reaches: GROUP_REACHES,
  };
}

/** The directory: my groups, invitations and requests first, then groups within reach to find and join. */
export default function Groups() {
  const { query, subjects, groups, previous, next, mine, mayCreate, kinds, reaches } = useLoaderData<typeof loader>();
  const { t } = useTranslation("groups");
  return (
    <>
      <section className="panel" aria-labelledby="groups-title">
        <h1 id="groups-title">{t("directory.title")}</h1>
        <p className="meta">{t("directory.intro")}</p>
        {mayCreate ? (
          <p>
            <a href="/groups/new">{t("directory.newGroup")}</a>
          </p>
        ) : null}
        {mine.invited.length ? (
          <>
            <h2>{t("directory.invitations")}</h2>
            <ul className="cards group-cards">
              {mine.invited.map((g) => (
                <GroupCard key={g.id} group={g}>
                  <div className="answer">
                    {(["accept", "decline"] as const).map((intent) => (
                      <Form key={intent} method="post" action={`/groups/${g.id}`}>
                        <input type="hidden" name="next" value="/groups" />
                        <button type="submit" name="intent" value={intent} className={intent === "accept" ? "primary" : "quiet"}>
                          {t(`directory.${intent}`)}
                          <span className="group-sr"> {g.name}</span>
                        </button>
                      </Form>
                    ))}
                  </div>
                </GroupCard>
              ))}
            </ul>
          </>
        ) : null}
        <h2>{t("directory.mine")}</h2>
        {mine.active.length ? (
          <ul className="cards group-cards">
            {mine.active.map((g) => (
              <GroupCard key={g.id} group={g}>
                {g.requestsWaiting ? (
                  <p>
                    <a href={`/groups/${g.id}/members`}>{t("directory.requestsWaiting", { n: g.requestsWaitingText })}</a>
                  </p>
                ) : null}
              </GroupCard>
            ))}
          </ul>
        ) : (
          <p>{t("directory.noneMine")}</p>
        )}
        {mine.requested.length ? (
          <>
            <h2>{t("directory.requests")}</h2>
            <ul className="cards group-cards">
              {mine.requested.map((g) => (
                <GroupCard key={g.id} group={g} />
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="groups-find-title">
        <h2 id="groups-find-title">{t("directory.search")}</h2>
        <form method="get" action="/groups" className="group-search" role="search">
          <TextField name="q" type="search" label={t("directory.q")} defaultValue={query.q} maxLength={100} />
          <SelectField name="subject" label={t("directory.subject")} defaultValue={query.subject}>
            <option value="">{t("directory.anySubject")}</option>
            {subjects.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </SelectField>
          <SelectField name="kind" label={t("directory.kind")} defaultValue={query.kind}>
            <option value="">{t("directory.anyKind")}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </SelectField>
          <SelectField name="reach" label={t("directory.reach")} defaultValue={query.reach}>
            <option value="">{t("directory.anyReach")}</option>
            {reaches.map((r) => (
              <option key={r} value={r}>
                {t(`reaches.${r}`)}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="primary">
            {t("directory.find")}
          </button>
        </form>
        <h3 className="group-sr">{t("directory.results")}</h3>
        {groups.length ? (
          <ul className="cards group-cards" aria-label={t("directory.results")}>
            {groups.map((g) => (
              <GroupCard key={g.id} group={g} />
            ))}
          </ul>
        ) : (
          <p>{t("directory.none")}</p>
        )}
        {previous || next ? (
          <nav className="group-pages" aria-label={t("directory.results")}>
            {previous ? <a href={previous}>{t("directory.previous")}</a> : null}
            {next ? <a href={next}>{t("directory.next")}</a> : null}
          </nav>
        ) : null}
      </section>
    </>
  );
}
