import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isRouteErrorResponse, Outlet, useActionData, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConfirmDelete } from "~/components/ConfirmDelete";
import { GroupFrame } from "~/components/GroupHead";
import { ValidationError } from "~/domain/foundation/errors.server";
import { answerInvitation, cancelRequest, joinGroup, leaveGroup, REQUEST_NOTE_MAX } from "~/domain/groups/group-members.server";
import { groupAbout } from "~/domain/groups/groups.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { i18next } from "~/i18next.server";
import { formatDate, formatList, formatNumber } from "~/lib/format";
import { field, formFailure, orErrorPage, requireActor, safeNext, type ErrorPageData } from "~/lib/http.server";
import cssUrl from "~/styles/groups.css?url";

// The group's layout: head, membership and tabs; each tab is a child route with its own permission
// check. A non-member still sees the head and the way in: a child's refusal shows in the tab's place.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const { about, access } = await orErrorPage(async () => groupAbout(actor, params.id ?? ""));
  const t = await i18next.getFixedT(request);
  return {
    title: `${about.name} · ${t("groups:directory.title")} · ${t("common:appName")}`,
    group: {
      id: about.id,
      name: about.name,
      kind: about.kind,
      subject: about.subject,
      reach: about.reach,
      regionName: about.regionName,
      joinPolicy: about.joinPolicy,
      description: about.description,
      coverUrl: about.cover?.isImage ? about.cover.url : null,
      ownerName: about.ownerName,
      schoolName: about.schoolName,
      createdText: formatDate(about.createdAt, lng),
      memberCountText: formatNumber(about.memberCount, lng),
      schoolsText: formatList(about.schools, lng),
      myState: about.myState,
      joinRefusal: about.joinRefusal,
    },
    access: { isMember: access.isMember, role: access.role },
    // "Leave" first opens this question in the tab's place (a GET view): only a member who may leave is asked.
    confirmLeave: access.isMember && access.role !== "owner" && new URL(request.url).searchParams.get("confirm") === "leave",
    noteMax: REQUEST_NOTE_MAX,
    done: doneNotice(new URL(request.url).searchParams.get("done"), access.isMember, about.myState === "requested"),
  };
}

/** "Joined" / "asked" after the join button, only while it is still true. */
function doneNotice(done: string | null, isMember: boolean, requested: boolean): "joined" | "requested" | null {
  if (done === "joined" && isMember) return "joined";
  if (done === "requested" && requested) return "requested";
  return null;
}

const INTENTS = ["join", "cancel", "accept", "decline", "leave"] as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const groupId = params.id ?? "";
  const form = await request.formData();
  const intent = field(form, "intent");
  const note = field(form, "note");
  try {
    if (intent === "join") {
      const { state } = await joinGroup(actor, groupId, note);
      // Joined (or asked): said at the top of the group's page.
      return redirect(`/groups/${groupId}?done=${state === "active" ? "joined" : "requested"}`);
    }
    else if (intent === "cancel") await cancelRequest(actor, groupId);
    else if (intent === "accept" || intent === "decline") await answerInvitation(actor, groupId, intent === "accept");
    else if (intent === "leave") {
      // Leaving is asked first: a bare "leave" (an old page, a stray tap) only opens the question.
      if (field(form, "confirmed") !== "yes") return redirect(`/groups/${groupId}?confirm=leave`);
      await leaveGroup(actor, groupId);
    }
    else throw new ValidationError({}, "errors:invalidInput");
  } catch (error) {
    return formFailure(error, { note, intent: (INTENTS as readonly string[]).includes(intent) ? intent : "" });
  }
  return redirect(safeNext(form.get("next"), `/groups/${groupId}`));
}

export default function GroupLayout() {
  const { group, access, noteMax, confirmLeave, done } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("groups");
  return (
    <GroupFrame group={group} access={access} noteMax={noteMax} failure={failure} done={done}>
      {confirmLeave && !failure ? (
        <ConfirmDelete
          level={2}
          undoable
          heading={t("common:confirm.leave.heading")}
          name={group.name}
          consequence={`${t("common:confirm.leave.consequence")} ${t("page.leaveHint")}`}
          confirmLabel={t("common:confirm.leave.button")}
          cancelHref={`/groups/${group.id}`}
          action={`/groups/${group.id}`}
          fields={{ intent: "leave" }}
        />
      ) : (
        <Outlet />
      )}
    </GroupFrame>
  );
}

/**
 * A tab's refusal (a non-member opening the discussion: "join first") keeps the group's head and its
 * join button above the reason; a refusal of the group itself (beyond reach: 404) is a plain error page.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("routes/groups.$id");
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("errors");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const kind = status === 404 ? "notFound" : status === 403 || status === 401 ? "forbidden" : "server";
  const reason = isRouteErrorResponse(error) ? (error.data as Partial<ErrorPageData> | null) : null;
  const messageKey = typeof reason?.messageKey === "string" ? reason.messageKey : null;
  const message = <p>{messageKey ? t(messageKey, reason?.params ?? {}) : t(`${kind}Body`)}</p>;
  if (data && messageKey === "groups:membersOnly" && !data.access.isMember) {
    // No dead end: a visitor who may see the group but not read it is told how to get in, or in words why not.
    const g = data.group;
    // A request or invitation waiting: the head already says so (and offers the answer).
    const waiting = g.myState === "requested" || g.myState === "invited";
    const why = g.joinRefusal ? t(g.joinRefusal) : g.joinPolicy === "invitation" ? t("groups:page.closed") : null;
    return (
      <GroupFrame group={g} access={data.access} noteMax={data.noteMax} failure={failure}>
        <section className="panel" aria-labelledby="group-gate-title">
          <h2 id="group-gate-title">{t("groups:gate.title")}</h2>
          {waiting ? null : <p>{why ?? t(g.joinPolicy === "open" ? "groups:gate.joinOpen" : "groups:gate.joinAsk")}</p>}
          {why ? (
            <p>
              <a href="/groups">{t("groups:gate.findOthers")}</a>
            </p>
          ) : waiting ? null : (
            <p>
              <a href="#group-title">{t(g.joinPolicy === "open" ? "groups:page.join" : "groups:page.ask")}</a>
            </p>
          )}
        </section>
      </GroupFrame>
    );
  }
  if (data) {
    return (
      <GroupFrame group={data.group} access={data.access} noteMax={data.noteMax} failure={failure}>
        <section className="panel" aria-labelledby="group-refusal-title">
          <h2 id="group-refusal-title">{t(`${kind}Title`)}</h2>
          {message}
        </section>
      </GroupFrame>
    );
  }
  return (
    <section className="panel narrow" aria-labelledby="error-title">
      <h1 id="error-title">{t(`${kind}Title`)}</h1>
      {message}
      <p>
        <a href="/groups">{t("groups:directory.title")}</a>
      </p>
    </section>
  );
}
