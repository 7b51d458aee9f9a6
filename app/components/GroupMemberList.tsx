import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

export type GroupMemberView = {
  userId: string;
  realName: string;
  schoolName: string | null;
  role: "owner" | "moderator" | "member";
  memberAs: "teacher" | "student";
  note: string;
  sinceText: string;
};

/** People of a group (members, requests or invitations): real name, school, role, and what may be done. */
export function GroupMemberList({ members, me, controls }: { members: GroupMemberView[]; me: string; controls?: (m: GroupMemberView) => ReactNode }) {
  const { t } = useTranslation("groups");
  const { t: tc } = useTranslation("common");
  return (
    <ul className="member-list">
      {members.map((m) => {
        const extra = controls?.(m);
        return (
          <li key={m.userId}>
            <div className="who">
              <strong>{m.realName}</strong>
              {m.userId === me ? ` ${t("members.you")}` : null}
              {m.role !== "member" ? <span className="tag">{t(`roles.${m.role}`)}</span> : null}
              <span className="tag">{tc(`roles.${m.memberAs}`)}</span>
              <p className="meta">
                {m.schoolName ?? ""} · {m.sinceText}
              </p>
              {m.note ? <p className="note">{t("members.note", { note: m.note })}</p> : null}
            </div>
            {extra ? <div className="controls">{extra}</div> : null}
          </li>
        );
      })}
    </ul>
  );
}
