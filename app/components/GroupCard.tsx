import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { GroupTags } from "~/components/GroupHead";

/** A group in the directory or in "my groups": texts already formatted on the server. */
export type GroupCardView = {
  id: string;
  name: string;
  kind: "study" | "research";
  subject: string;
  reach: "school" | "region" | "platform";
  regionName: string | null;
  memberCountText: string;
  schoolsText: string;
  coverUrl: string | null;
  myState: "active" | "requested" | "invited" | "left" | "removed" | "declined" | null;
};

const STATE_LABEL: Partial<Record<NonNullable<GroupCardView["myState"]>, string>> = {
  active: "directory.youAreMember",
  requested: "directory.youRequested",
  invited: "directory.youAreInvited",
};

export function GroupCard({ group, children }: { group: GroupCardView; children?: ReactNode }) {
  const { t } = useTranslation("groups");
  const state = group.myState ? STATE_LABEL[group.myState] : undefined;
  return (
    <li className="card">
      {/* Decorative here: the name beside it says what the card is. */}
      {group.coverUrl ? <img src={group.coverUrl} alt="" loading="lazy" /> : null}
      <div className="body">
        <h3>
          <a href={`/groups/${group.id}`}>{group.name}</a>
          {state ? <span className="tag">{t(state)}</span> : null}
        </h3>
        <GroupTags kind={group.kind} subject={group.subject} reach={group.reach} regionName={group.regionName} />
        <p className="meta">{t("memberCount", { n: group.memberCountText })}</p>
        {group.schoolsText ? <p className="meta">{t("schoolsList", { schools: group.schoolsText })}</p> : null}
        {children}
      </div>
    </li>
  );
}
