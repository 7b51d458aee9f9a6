import { useTranslation } from "react-i18next";
import { ConsentNeeded } from "~/components/ConsentNeeded";

// "What's next" on each role's home (issue 16): short lists, each line linking to the page that
// finishes it. Everything arrives formatted from the route's loader (dates, numbers, time left).

export type NextDue = { id: string; title: string; classes: string; dueText: string; overdue: boolean };
export type NextReturned = { assignmentId: string; submissionId: string; title: string; scoreText: string };
export type NextAnnouncement = { id: string; classId: string; className: string; excerpt: string; when: string };

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section className="panel next" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

function DueList({ items, hrefOf, extra }: { items: NextDue[]; hrefOf: (id: string) => string; extra?: (item: NextDue) => React.ReactNode }) {
  return (
    <ul className="next-list">
      {items.map((a) => (
        <li key={a.id} className={a.overdue ? "overdue" : undefined}>
          <a href={hrefOf(a.id)}>{a.title}</a>
          <span className="due">{a.dueText}</span>
          <span className="meta">{a.classes}</span>
          {extra ? extra(a) : null}
        </li>
      ))}
    </ul>
  );
}

export function PupilNext({ dueSoon, returned, announcements }: { dueSoon: NextDue[]; returned: NextReturned[]; announcements: NextAnnouncement[] }) {
  const { t } = useTranslation("home");
  return (
    <>
      <Section id="due-soon" title={t("next.dueSoon")}>
        {dueSoon.length ? (
          <DueList items={dueSoon} hrefOf={(id) => `/assignments/${id}/submit`} />
        ) : (
          <p className="empty">
            {t("next.nothingDue")} <a href="/assignments">{t("next.allMyWork")}</a>
          </p>
        )}
      </Section>
      {returned.length ? (
        <Section id="returned" title={t("next.returnedSince")}>
          <ul className="next-list">
            {returned.map((r) => (
              <li key={r.submissionId}>
                <a href={`/assignments/${r.assignmentId}`}>{r.title}</a>
                <strong className="score">{r.scoreText}</strong>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {announcements.length ? (
        <Section id="news" title={t("next.announcements")}>
          <ul className="next-list">
            {announcements.map((a) => (
              <li key={a.id}>
                <a href={`/classes/${a.classId}#announcements`}>{a.className}</a>
                <span className="excerpt">{a.excerpt}</span>
                <span className="meta">{a.when}</span>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}

/** A pupil whose space waits for consent: what waits, and that a parent can consent online. */
export function PupilWaiting({ assignments, announcements }: { assignments: string; announcements: string }) {
  const { t } = useTranslation("home");
  return (
    <section className="panel next waiting" aria-labelledby="waiting-title">
      <h2 id="waiting-title">{t("next.waitingTitle")}</h2>
      <p>{t("next.waitingCounts", { assignments, announcements })}</p>
      <p>{t("next.waitingHow")}</p>
    </section>
  );
}

export type TeacherNextData = {
  toGrade: { id: string; title: string; classes: string; countText: string }[];
  dueThisWeek: (NextDue & { handedInText: string })[];
  groups: { id: string; name: string; requestsText: string | null; reportsText: string | null }[];
  assignments: boolean;
};

export function TeacherNext({ toGrade, dueThisWeek, groups, assignments }: TeacherNextData) {
  const { t } = useTranslation("home");
  return (
    <>
      {assignments ? (
        <>
          <Section id="to-grade" title={t("next.toGrade")}>
            {toGrade.length ? (
              <ul className="next-list">
                {toGrade.map((a) => (
                  <li key={a.id}>
                    <a href={`/assignments/${a.id}/grading`}>
                      {a.title} <strong className="count">{a.countText}</strong>
                    </a>
                    <span className="meta">{a.classes}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty">{t("next.noToGrade")}</p>
            )}
          </Section>
          <Section id="due-week" title={t("next.dueThisWeek")}>
            {dueThisWeek.length ? (
              <DueList items={dueThisWeek} hrefOf={(id) => `/assignments/${id}`} extra={(a) => <span className="meta">{(a as TeacherNextData["dueThisWeek"][number]).handedInText}</span>} />
            ) : (
              <p className="empty">
                {t("next.noDueThisWeek")} <a href="/assignments/new">{t("next.setAssignment")}</a>
              </p>
            )}
          </Section>
        </>
      ) : null}
      {groups.length ? (
        <Section id="groups-waiting" title={t("next.groups")}>
          <ul className="next-list">
            {groups.map((g) => (
              <li key={g.id}>
                <span className="name">{g.name}</span>
                {g.requestsText ? <a href={`/groups/${g.id}/members`}>{g.requestsText}</a> : null}
                {g.reportsText ? <a href={`/groups/${g.id}`}>{g.reportsText}</a> : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}

export type ChildNextData = {
  studentId: string;
  realName: string;
  meta: string;
  awaitsConsent: boolean;
  admitted: boolean;
  dueSoon: NextDue[];
  lateOrMissing: (NextDue & { stateText: string })[];
  returned: NextReturned[];
  announcements: NextAnnouncement[];
};

function AckButton({ studentId, subjectType, subjectId }: { studentId: string; subjectType: "grade" | "announcement"; subjectId: string }) {
  const { t } = useTranslation("progress");
  return (
    <form method="post" action="/?index" className="ack">
      <input type="hidden" name="intent" value="acknowledge" />
      <input type="hidden" name="studentId" value={studentId} />
      <input type="hidden" name="subjectType" value={subjectType} />
      <input type="hidden" name="subjectId" value={subjectId} />
      <button type="submit">{t("acknowledge")}</button>
    </form>
  );
}

export function ParentNext({ children, acknowledged }: { children: ChildNextData[]; acknowledged: boolean }) {
  const { t } = useTranslation("home");
  if (!children.length) {
    return (
      <section className="panel next" aria-labelledby="children-title">
        <h1 id="children-title">{t("myChildren")}</h1>
        <p className="empty">
          {t("noChildren")} <a href="/parent/join">{t("next.addChild")}</a>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="children-title">
      <h1 id="children-title" className="next-heading">
        <a href="/parent">{t("myChildren")}</a>
      </h1>
      {acknowledged ? (
        <p className="notice" role="status">
          {t("next.acknowledgedNotice")}
        </p>
      ) : null}
      {children.map((c) => {
        const nothing = !c.dueSoon.length && !c.lateOrMissing.length && !c.returned.length && !c.announcements.length;
        const child = `/parent/children/${c.studentId}`;
        return (
          <section key={c.studentId} id={`child-${c.studentId}`} className="panel next child card" aria-labelledby={`child-${c.studentId}-title`}>
            <h2 id={`child-${c.studentId}-title`}>
              <a href={child}>{c.realName}</a>
            </h2>
            <p className="meta">{c.meta}</p>
            {c.awaitsConsent ? (
              <ConsentNeeded childId={c.studentId} headingLevel={3} />
            ) : !c.admitted ? (
              <p className="empty">{t("next.notAdmitted")}</p>
            ) : nothing ? (
              <p className="empty">
                {t("next.nothingForChild")} <a href={child}>{t("next.seeChild")}</a>
              </p>
            ) : (
              <>
                {c.returned.length ? (
                  <>
                    <h3>{t("next.gradesToAcknowledge")}</h3>
                    <ul className="next-list">
                      {c.returned.map((r) => (
                        <li key={r.submissionId}>
                          <a href={`${child}#g-${r.submissionId}`}>{r.title}</a>
                          <strong className="score">{r.scoreText}</strong>
                          <AckButton studentId={c.studentId} subjectType="grade" subjectId={r.submissionId} />
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
                {c.lateOrMissing.length ? (
                  <>
                    <h3>{t("next.lateOrMissing")}</h3>
                    <DueList items={c.lateOrMissing} hrefOf={() => child} extra={(a) => <span className="tag state">{(a as ChildNextData["lateOrMissing"][number]).stateText}</span>} />
                  </>
                ) : null}
                {c.dueSoon.length ? (
                  <>
                    <h3>{t("next.dueSoon")}</h3>
                    <DueList items={c.dueSoon} hrefOf={() => child} />
                  </>
                ) : null}
                {c.announcements.length ? (
                  <>
                    <h3>{t("next.announcementsToAcknowledge")}</h3>
                    <ul className="next-list">
                      {c.announcements.map((a) => (
                        <li key={a.id}>
                          <a href={`${child}#a-${a.id}`}>{a.className}</a>
                          <span className="excerpt">{a.excerpt}</span>
                          <span className="meta">{a.when}</span>
                          <AckButton studentId={c.studentId} subjectType="announcement" subjectId={a.id} />
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </>
            )}
          </section>
        );
      })}
    </section>
  );
}

export function SchoolAdminNext({ previews, consentMissing, consentMissingText, approvals, approvalsText }: { previews: { id: string; fileName: string; rowsText: string; when: string }[]; consentMissing: number; consentMissingText: string; approvals: number; approvalsText: string }) {
  const { t } = useTranslation("home");
  return (
    <Section id="admin-next" title={t("next.adminTitle")}>
      <ul className="next-list">
        {previews.map((p) => (
          <li key={p.id}>
            <a href={`/school/roster/${p.id}`}>{t("next.previewWaiting", { file: p.fileName })}</a>
            <span className="meta">
              {p.rowsText} · {p.when}
            </span>
          </li>
        ))}
        {previews.length ? null : (
          <li className="empty">
            {t("next.noPreviews")} <a href="/school/roster">{t("next.uploadRoster")}</a>
          </li>
        )}
        <li className={consentMissing ? undefined : "empty"}>{consentMissing ? <a href="/school/rollout">{consentMissingText}</a> : t("next.noConsentMissing")}</li>
        <li className={approvals ? undefined : "empty"}>{approvals ? <a href="/approvals">{approvalsText}</a> : t("next.noApprovals")}</li>
      </ul>
    </Section>
  );
}
