import type { ReactNode } from "react";
import { Form, NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AskToDelete } from "~/components/ConfirmDelete";
import { FormAlert, TextAreaField, type Problem } from "~/components/FormBits";

/** A group as its page head shows it: texts already formatted on the server. */
export type GroupHeadView = {
  id: string;
  name: string;
  kind: "study" | "research";
  subject: string;
  reach: "school" | "region" | "platform";
  regionName: string | null;
  joinPolicy: "open" | "approval" | "invitation";
  description: string;
  coverUrl: string | null;
  ownerName: string | null;
  schoolName: string;
  createdText: string;
  memberCountText: string;
  schoolsText: string;
  myState: "active" | "requested" | "invited" | "left" | "removed" | "declined" | null;
  joinRefusal: string | null;
};

export type GroupHeadAccess = { isMember: boolean; role: "owner" | "moderator" | "member" | null };

/** "学习小组 · 数学 · 本地区：甘孜藏族自治州" as tags. */
export function GroupTags({ kind, subject, reach, regionName }: Pick<GroupHeadView, "kind" | "subject" | "reach" | "regionName">) {
  const { t } = useTranslation("groups");
  const reachText = reach === "region" && regionName ? t("reachIn", { reach: t(`reaches.${reach}`), region: regionName }) : t(`reaches.${reach}`);
  return (
    <p className="tags">
      <span className="tag">{t(`kinds.${kind}`)}</span>
      {subject ? <span className="tag">{subject}</span> : null}
      <span className="tag">{reachText}</span>
    </p>
  );
}

/**
 * The membership buttons: join (open), ask with a note (approval), withdraw a request, answer an
 * invitation, leave. Each posts to the group's own route (/groups/:id), whichever tab is shown.
 */
function Membership({ group, access, noteMax, failure }: { group: GroupHeadView; access: GroupHeadAccess; noteMax: number; failure: { fieldErrors: Record<string, Problem>; values: { note: string } } | undefined }) {
  const { t } = useTranslation("groups");
  const action = `/groups/${group.id}`;
  const button = (intent: string, label: string, className = "quiet") => (
    <Form method="post" action={action}>
      <button type="submit" name="intent" value={intent} className={className}>
        {label}
      </button>
    </Form>
  );
  if (access.isMember) {
    return (
      <div className="group-actions">
        <p className="meta">{t("page.youAre", { role: t(`roles.${access.role ?? "member"}`) })}</p>
        {access.role === "owner" ? (
          <a href={`/groups/${group.id}/edit`}>{t("page.edit")}</a>
        ) : (
          // Leaving is a quiet secondary action that asks first (the layout's ?confirm=leave view).
          <AskToDelete label={t("page.leave")} action={action} value="leave" className="group-leave" />
        )}
      </div>
    );
  }
  if (group.myState === "requested") {
    return (
      <div className="group-actions">
        <p className="notice">{t("page.requestPending")}</p>
        {button("cancel", t("page.cancelRequest"))}
      </div>
    );
  }
  if (group.myState === "invited") {
    return (
      <div className="group-actions">
        <p className="notice">{t("page.invited")}</p>
        {button("accept", t("page.accept"), "primary")}
        {button("decline", t("page.decline"))}
      </div>
    );
  }
  if (group.joinPolicy === "invitation") return <p className="hint">{t("page.closed")}</p>;
  if (group.joinRefusal) return <p className="hint">{t(group.joinRefusal)}</p>;
  if (group.joinPolicy === "open") return <div className="group-actions">{button("join", t("page.join"), "primary")}</div>;
  return (
    <Form method="post" action={action} className="group-ask" noValidate>
      <TextAreaField
        name="note"
        label={t("page.note")}
        hint={t("page.noteHint", { max: noteMax })}
        rows={2}
        defaultValue={failure?.values.note ?? ""}
        error={failure?.fieldErrors.note}
      />
      <button type="submit" name="intent" value="join" className="primary">
        {t("page.ask")}
      </button>
    </Form>
  );
}

type Failure = { formError: Problem; fieldErrors: Record<string, Problem>; values: { note: string } } | undefined;

/** The group's page: its head, membership, tabs, then the tab's content (or why it cannot be shown). */
export function GroupFrame({ group, access, noteMax, failure, done = null, children }: { group: GroupHeadView; access: GroupHeadAccess; noteMax: number; failure: Failure; done?: "joined" | "requested" | null; children: ReactNode }) {
  const { t } = useTranslation("groups");
  const tabs = [
    { to: `/groups/${group.id}`, label: t("page.discussion"), end: true },
    { to: `/groups/${group.id}/library`, label: t("page.library") },
    ...(group.kind === "study" ? [{ to: `/groups/${group.id}/tasks`, label: t("page.tasks") }] : []),
    { to: `/groups/${group.id}/members`, label: t("page.members") },
  ];
  return (
    <>
      {done ? (
        <p className="notice" role="status">
          {t(`done.${done}`)}
        </p>
      ) : null}
      <section className={group.coverUrl ? "panel group-head has-cover" : "panel group-head"} aria-labelledby="group-title">
        {group.coverUrl ? <img className="cover" src={group.coverUrl} alt={t("page.cover", { name: group.name })} /> : null}
        <div>
          <h1 id="group-title">{group.name}</h1>
          <GroupTags kind={group.kind} subject={group.subject} reach={group.reach} regionName={group.regionName} />
          {group.ownerName ? <p className="meta">{t("page.owner", { name: group.ownerName })}</p> : null}
          <p className="meta">
            {t("memberCount", { n: group.memberCountText })}
            {group.schoolsText ? ` · ${t("schoolsList", { schools: group.schoolsText })}` : null}
          </p>
          <p className="meta">{t("page.createdAt", { date: group.createdText, school: group.schoolName })}</p>
          {group.description ? <p className="description">{group.description}</p> : null}
          <FormAlert problem={failure?.formError} />
          <Membership group={group} access={access} noteMax={noteMax} failure={failure} />
        </div>
      </section>
      <nav className="group-tabs" aria-label={t("page.tabs")}>
        <ul>
          {tabs.map((tab) => (
            <li key={tab.to}>
              <NavLink to={tab.to} end={tab.end} prefetch="none">
                {tab.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </>
  );
}
