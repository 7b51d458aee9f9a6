import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "~/components/FormBits";
import { GroupInvitePicker, type InvitationOutcomeView } from "~/components/GroupInvitePicker";
import { GroupMemberList, type GroupMemberView } from "~/components/GroupMemberList";
import { ValidationError, type FieldErrors } from "~/domain/foundation/errors.server";
import { decideRequest, groupMembers, inviteCandidates, inviteToGroup, removeMember, setMemberRole, type MemberListing } from "~/domain/groups/group-members.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { i18next } from "~/i18next.server";
import type { Lng } from "~/i18n";
import { formatDate } from "~/lib/format";
import { field, formFailure, orErrorPage, requireActor } from "~/lib/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

function memberView(m: MemberListing, lng: Lng): GroupMemberView {
  return { userId: m.userId, realName: m.realName, schoolName: m.schoolName, role: m.role, memberAs: m.memberAs, note: m.note, sinceText: formatDate(m.since, lng) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const { access, members, requests, invited } = await orErrorPage(async () => groupMembers(actor, params.id ?? ""));
  const query = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 50);
  const candidates = access.mayModerate && query ? await inviteCandidates(actor, access.group.id, query) : [];
  const t = await i18next.getFixedT(request);
  return {
    title: `${t("groups:members.title")} · ${access.group.name} · ${t("common:appName")}`,
    me: access.me.id,
    isOwner: access.membership?.role === "owner",
    mayModerate: access.mayModerate,
    members: members.map((m) => memberView(m, lng)),
    requests: requests.map((m) => memberView(m, lng)),
    invited: invited.map((m) => memberView(m, lng)),
    query,
    candidates,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const groupId = params.id ?? "";
  const form = await request.formData();
  const intent = field(form, "intent");
  const userId = field(form, "userId");
  try {
    if (intent === "invite") {
      const outcomes = await inviteToGroup(actor, groupId, form.getAll("invitee"));
      return data({ formError: null, fieldErrors: {} as FieldErrors, values: {}, outcomes });
    }
    if (intent === "approve" || intent === "decline") await decideRequest(actor, groupId, userId, intent === "approve");
    else if (intent === "role") await setMemberRole(actor, groupId, userId, field(form, "role"));
    else if (intent === "remove") await removeMember(actor, groupId, userId);
    else throw new ValidationError({}, "errors:invalidInput");
  } catch (error) {
    return formFailure(error, {});
  }
  return redirect(`/groups/${groupId}/members`);
}

/** The members with real names and schools; moderators also answer requests and invite; the owner sets roles. */
export default function GroupMembers() {
  const { me, isOwner, mayModerate, members, requests, invited, query, candidates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("groups");
  const outcomes = result && "outcomes" in result ? (result.outcomes as InvitationOutcomeView[]) : null;
  const controls = (m: GroupMemberView) => {
    if (m.userId === me || m.role === "owner") return null;
    const mayRemove = mayModerate && (m.role !== "moderator" || isOwner);
    if (!isOwner && !mayRemove) return null;
    const post = (intent: string, label: string, extra?: { role: string }, danger = false) => (
      <Form method="post">
        <input type="hidden" name="userId" value={m.userId} />
        {extra ? <input type="hidden" name="role" value={extra.role} /> : null}
        <button type="submit" name="intent" value={intent} className={danger ? "quiet danger" : "quiet"}>
          {label}
          <span className="group-sr"> {m.realName}</span>
        </button>
      </Form>
    );
    return (
      <>
        {isOwner ? post("role", t(m.role === "moderator" ? "members.makeMember" : "members.makeModerator"), { role: m.role === "moderator" ? "member" : "moderator" }) : null}
        {isOwner ? post("role", t("members.makeOwner"), { role: "owner" }) : null}
        {mayRemove ? post("remove", t("members.remove"), undefined, true) : null}
      </>
    );
  };
  return (
    <>
      <section className="panel" aria-labelledby="members-title">
        <h2 id="members-title">{t("members.title")}</h2>
        <FormAlert problem={result?.formError} />
        {isOwner && members.length > 1 ? <p className="hint">{t("members.makeOwnerHint")}</p> : null}
        <GroupMemberList members={members} me={me} controls={controls} />
      </section>
      {mayModerate ? (
        <>
          <section className="panel" aria-labelledby="requests-title">
            <h2 id="requests-title">{t("members.requests")}</h2>
            {requests.length ? (
              <GroupMemberList
                members={requests}
                me={me}
                controls={(m) => (
                  <>
                    {(["approve", "decline"] as const).map((intent) => (
                      <Form key={intent} method="post">
                        <input type="hidden" name="userId" value={m.userId} />
                        <button type="submit" name="intent" value={intent} className={intent === "approve" ? "primary" : "quiet"}>
                          {t(intent === "approve" ? "members.approve" : "members.declineRequest")}
                          <span className="group-sr"> {m.realName}</span>
                        </button>
                      </Form>
                    ))}
                  </>
                )}
              />
            ) : (
              <p>{t("members.noRequests")}</p>
            )}
          </section>
          <section className="panel" aria-labelledby="invite-title">
            <h2 id="invite-title">{t("members.invite")}</h2>
            <GroupInvitePicker query={query} candidates={candidates} outcomes={outcomes} error={result?.fieldErrors.invitee} />
            <h3>{t("members.pending")}</h3>
            {invited.length ? <GroupMemberList members={invited} me={me} /> : <p>{t("members.noPending")}</p>}
          </section>
        </>
      ) : null}
    </>
  );
}
