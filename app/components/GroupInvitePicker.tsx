import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TextField, type Problem } from "~/components/FormBits";

export type InviteCandidateView = { userId: string; realName: string; schoolName: string | null; as: "teacher" | "student" };
export type InvitationOutcomeView = { userId: string; realName: string | null; sent: boolean; reason?: string };

/**
 * The moderator's invitation picker, plain forms so it works without JavaScript: a GET search by a
 * fragment of a real name (only people the moderator may already see are found), then a POST with
 * the chosen people. No login name is ever typed.
 */
export function GroupInvitePicker({ query, candidates, outcomes, error }: { query: string; candidates: InviteCandidateView[]; outcomes: InvitationOutcomeView[] | null; error?: Problem }) {
  const { t } = useTranslation("groups");
  const { t: tc } = useTranslation("common");
  const sent = outcomes?.filter((o) => o.sent) ?? [];
  const notSent = outcomes?.filter((o) => !o.sent) ?? [];
  return (
    <>
      {sent.length ? (
        <p className="notice" role="status">
          {t("members.inviteSent", { n: sent.length })} {sent.map((o) => o.realName).join("、")}
        </p>
      ) : null}
      {notSent.length ? (
        <div className="notice" role="status">
          <h3>{t("members.inviteNotSent")}</h3>
          <ul>
            {notSent.map((o) => (
              <li key={o.userId}>
                {o.realName ?? t("members.someone")}: {t(o.reason ?? "groups:inviteNotPossible")}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="get" className="invite-search" role="search">
        <TextField name="q" id="f-invite-q" type="search" label={t("members.searchLabel")} hint={t("members.searchHint")} autoComplete="off" defaultValue={query} maxLength={50} />
        <button type="submit">{t("members.search")}</button>
      </Form>
      {query ? (
        candidates.length ? (
          <Form method="post" className="invite-form">
            <fieldset>
              <legend>{t("members.chooseLegend")}</legend>
              {error ? (
                <p className="error" id="f-invitee-error">
                  {t(error.key, error.params)}
                </p>
              ) : null}
              <ul className="member-list invite-candidates">
                {candidates.map((c) => (
                  <li key={c.userId}>
                    <label>
                      <input type="checkbox" name="invitee" value={c.userId} /> <strong>{c.realName}</strong> <span className="tag">{tc(`roles.${c.as}`)}</span>
                      <span className="meta"> {c.schoolName ?? ""}</span>
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
            <input type="hidden" name="q" value={query} />
            <button type="submit" name="intent" value="invite" className="primary">
              {t("members.sendInvite")}
            </button>
          </Form>
        ) : (
          <p>{t("members.noCandidates")}</p>
        )
      ) : null}
    </>
  );
}
