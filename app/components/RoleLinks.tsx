import { useTranslation } from "react-i18next";

// The pages each role works in, as the home page lists them. Only pages that exist are listed.
const LINKS: Record<string, { href: string; key: string }[]> = {
  school_admin: [
    { href: "/school/roster", key: "roster" },
    { href: "/school/slips", key: "slips" },
    { href: "/school/classes", key: "classes" },
    { href: "/school/rollout", key: "rollout" },
    { href: "/school/flags", key: "flags" },
    { href: "/school/adoption", key: "adoption" },
    { href: "/approvals", key: "approvals" },
    { href: "/audit", key: "audit" },
  ],
  parent: [
    { href: "/parent", key: "children" },
    { href: "/feed", key: "feed" },
  ],
  region_admin: [
    { href: "/region/schools", key: "schools" },
    { href: "/region/flags", key: "flags" },
    { href: "/region/adoption", key: "adoption" },
    { href: "/region/reviewers", key: "libraryReviewers" },
    { href: "/region/library", key: "libraryCoverage" },
    { href: "/audit", key: "audit" },
  ],
  platform_admin: [
    { href: "/platform/flags", key: "flagRules" },
    { href: "/platform/flags/preview", key: "flagPreview" },
    { href: "/region/library", key: "libraryCoverage" },
    { href: "/audit", key: "audit" },
  ],
};

/**
 * The home page's list of places to work, for the role the person acts in now. A pupil whose space is
 * closed gets only their own space: every other page would answer "not yet open".
 */
export function RoleLinks({ role, handle, groups = false, library = false, spaceOpen = true }: { role: string; handle: string; groups?: boolean; library?: boolean; spaceOpen?: boolean }) {
  const { t } = useTranslation("common");
  const links =
    role === "student" && !spaceOpen
      ? [{ href: `/u/${handle}`, key: "mySpace" }]
      : role === "teacher" || role === "student"
      ? [{ href: `/u/${handle}`, key: "mySpace" }, { href: "/feed", key: "feed" }, ...(role === "teacher"
          ? [{ href: "/assignments", key: "assignments" }, { href: "/lessons", key: "lessons" }, ...(library ? [{ href: "/library", key: "library" }] : []), { href: "/approvals", key: "approvals" }]
          : [{ href: "/assignments", key: "myAssignments" }]), ...(groups ? [{ href: "/groups", key: "groups" }] : [])]
      : (LINKS[role] ?? []);
  if (!links.length) return null;
  return (
    <nav className="panel role-links" aria-label={t("nav.title")}>
      <ul>
        {links.map((l) => (
          <li key={l.href}>
            <a href={l.href}>{t(`nav.${l.key}`)}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
