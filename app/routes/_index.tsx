import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ParentNext, PupilNext, PupilWaiting, SchoolAdminNext, TeacherNext } from "~/components/HomeNext";
import { RoleLinks } from "~/components/RoleLinks";
import { myClasses } from "~/domain/classwork/classes.server";
import { isFeatureEnabled } from "~/domain/rollout/flags.server";
import { acknowledge } from "~/domain/grading/acknowledgements.server";
import { parentHome, pupilHome, schoolAdminHome, teacherHome, type Due, type DueItem, type ReturnedItem, type AnnouncementItem } from "~/domain/overviews/home.server";
import { platformOverview, regionOverview } from "~/domain/places/regions.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import type { SpaceStatus } from "~/domain/rollout/rollout.server";
import { schoolOverview } from "~/domain/places/schools.server";
import { formatDate, formatDateTime, formatList, formatMonthDay, formatNumber } from "~/lib/format";
import { i18next } from "~/i18next.server";
import { field, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import type { Lng } from "~/i18n";
import { localName } from "~/lib/local-names";
import homeCssUrl from "~/styles/home.css?url";
import schoolCssUrl from "~/styles/school.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: schoolCssUrl }, { rel: "stylesheet", href: homeCssUrl }];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "明天 18:00 截止，还剩 1 天": the Beijing day and clock of a due time, and the time left (or that it is past). */
function dueText(d: Due, t: TFunction, lng: Lng): string {
  const day = formatMonthDay(d.dueAt, lng);
  const when = d.dayOffset === 0 ? t("next.dueToday", { time: d.clock }) : d.dayOffset === 1 ? t("next.dueTomorrow", { time: d.clock }) : t("next.dueOn", { date: day, time: d.clock });
  if (d.msLeft < 0) return t("next.overdue", { due: when });
  const n = (x: number) => formatNumber(x, lng);
  const left = d.msLeft < HOUR ? t("next.leftMinutes", { n: n(Math.max(1, Math.floor(d.msLeft / MINUTE))) }) : d.msLeft < DAY ? t("next.leftHours", { n: n(Math.floor(d.msLeft / HOUR)) }) : t("next.leftDays", { n: n(Math.floor(d.msLeft / DAY)) });
  return t("next.dueLeft", { due: when, left });
}

function formatters(t: TFunction, lng: Lng) {
  const due = (a: DueItem) => ({ id: a.id, title: a.title, classes: formatList(a.classNames, lng), dueText: dueText(a.due, t, lng), overdue: a.overdue });
  const returned = (r: ReturnedItem) => ({
    assignmentId: r.assignmentId,
    submissionId: r.submissionId,
    title: r.title,
    scoreText: r.score === null ? t("common:work.state.returned") : t("next.score", { score: formatNumber(r.score, lng), points: formatNumber(r.points, lng) }),
  });
  const announcement = (a: AnnouncementItem) => ({ id: a.id, classId: a.classId, className: a.className, excerpt: a.excerpt, when: formatDateTime(a.createdAt, lng) });
  return { due, returned, announcement };
}

/** 已阅 from home: a parent acknowledges a returned grade or an announcement for their child, then comes back here. */
export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  const studentId = field(form, "studentId");
  await orErrorPage(async () => {
    if (field(form, "intent") !== "acknowledge") throw new Response(null, { status: 400 });
    await acknowledge(actor, studentId, field(form, "subjectType"), field(form, "subjectId"));
  });
  return redirect(`/?acknowledged#child-${encodeURIComponent(studentId)}`);
}
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** Each role's home: what exists for that role today, nothing that links nowhere. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const n = (x: number) => formatNumber(x, lng);
  const t = await i18next.getFixedT(lng, "home");
  const base = {
    title: await pageTitle(request, "home:title"),
    today: formatDate(new Date(), lng),
    welcome: new URL(request.url).searchParams.has("welcome"),
    role: actor.activeRole,
    handle: actor.handle,
    groups: await isFeatureEnabled(actor, "study_groups"),
    library: actor.activeRole === "teacher" && (await isFeatureEnabled(actor, "lesson_sharing")),
  };
  const f = formatters(t, lng);
  switch (actor.activeRole) {
    case "teacher": {
      const next = await teacherHome(actor, undefined, lng);
      return {
        ...base,
        view: "teacher" as const,
        space: next.space,
        classes: await classesOf(actor, t, lng),
        next: {
          assignments: next.assignments,
          toGrade: next.toGrade.map((a) => ({ id: a.id, title: a.title, classes: formatList(a.classNames, lng), countText: t("next.toGradeCount", { n: n(a.count) }) })),
          dueThisWeek: next.dueThisWeek.map((a) => ({ ...f.due({ ...a, overdue: false }), handedInText: t("next.handedIn", { n: n(a.handedIn) }) })),
          groups: next.groups.map((g) => ({ id: g.id, name: g.name, requestsText: g.requests ? t("next.requests", { n: n(g.requests) }) : null, reportsText: g.reports ? t("next.reports", { n: n(g.reports) }) : null })),
        },
      };
    }
    case "student": {
      const next = await pupilHome(actor, undefined, lng);
      return {
        ...base,
        view: "student" as const,
        space: next.space,
        classes: next.space.open ? await classesOf(actor, t, lng) : [],
        next: { dueSoon: next.dueSoon.map(f.due), returned: next.returned.map(f.returned), announcements: next.announcements.map(f.announcement) },
        waiting: next.waiting ? { assignments: n(next.waiting.assignments), announcements: n(next.waiting.announcements) } : null,
      };
    }
    case "parent": {
      const children = (await parentHome(actor, undefined, lng)).map((c) => ({
        studentId: c.studentId,
        realName: c.realName,
        meta: [c.schoolName, formatList(c.classNames, lng)].filter(Boolean).join(" · "),
        awaitsConsent: c.awaitsConsent,
        admitted: c.admitted,
        dueSoon: c.dueSoon.map(f.due),
        lateOrMissing: c.lateOrMissing.map((a) => ({ ...f.due(a), stateText: t(`common:work.state.${a.state}`) })),
        returned: c.returned.map(f.returned),
        announcements: c.announcements.map(f.announcement),
      }));
      return { ...base, view: "parent" as const, children, acknowledged: new URL(request.url).searchParams.has("acknowledged") };
    }
    case "school_admin": {
      const o = await schoolOverview(actor);
      const next = await schoolAdminHome(actor);
      return {
        ...base,
        view: "school_admin" as const,
        school: { name: localName(o.school, lng), stage: o.school.stage, phase: o.school.phase, ceiling: o.phaseCeiling },
        counts: { teachers: n(o.teachers), students: n(o.students), parents: n(o.parents), classes: n(o.classes), activated: n(o.activated), provisioned: n(o.provisioned) },
        next: {
          previews: next.previews.map((p) => ({ id: p.id, fileName: p.fileName, rowsText: t("next.previewRows", { n: n(p.rowCount) }), when: formatDateTime(p.createdAt, lng) })),
          consentMissing: next.consentMissing,
          consentMissingText: t("next.consentMissing", { n: n(next.consentMissing) }),
          approvals: next.approvals,
          approvalsText: t("next.approvals", { n: n(next.approvals) }),
        },
      };
    }
    case "region_admin": {
      const o = await regionOverview(actor);
      const atLeast = (phase: number) => n(o.schools.filter((s) => s.phase >= phase).length);
      return {
        ...base,
        view: "region_admin" as const,
        regionPath: o.path.map((r) => r.name).reverse(),
        summary: t("next.regionSummary", { n: n(o.schools.length), students: atLeast(2), parents: atLeast(3) }),
        schools: o.schools.map((s) => ({ ...s, teachers: n(s.teachers), students: n(s.students) })),
      };
    }
    case "platform_admin":
      return { ...base, view: "platform_admin" as const, regions: (await platformOverview(actor)).map((r) => ({ id: r.id, name: r.name, depth: r.depth, level: r.level, ceiling: r.phaseCeiling, schools: n(r.schools), users: n(r.users) })) };
  }
}

async function classesOf(actor: Parameters<typeof myClasses>[0], t: TFunction, lng: Lng) {
  return (await myClasses(actor, lng)).map((c) => ({
    ...c,
    studentsText: formatNumber(c.students, lng),
    teacherList: formatList(
      c.teachers.map((x) => (x.subject ? t("teacherWithSubject", { name: x.realName, subject: x.subject }) : x.realName)),
      lng,
    ),
  }));
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("home");
  return (
    <>
      {data.welcome ? (
        <p className="notice" role="status">
          {t("welcomeActivated")}
        </p>
      ) : null}
      <p className="today">{data.today}</p>
      {"space" in data ? <MySpace status={data.space} /> : null}
      {data.view === "student" && data.waiting ? <PupilWaiting assignments={data.waiting.assignments} announcements={data.waiting.announcements} /> : null}
      {data.view === "student" && data.space.open ? <PupilNext {...data.next} /> : null}
      {data.view === "teacher" ? <TeacherNext {...data.next} /> : null}
      {data.view === "school_admin" ? <SchoolAdminNext {...data.next} /> : null}
      {data.view === "parent" ? <ParentNext children={data.children} acknowledged={data.acknowledged} /> : null}
      {data.view === "region_admin" ? (
        <p className="panel next region-summary">
          {data.summary} <a href="/region/adoption">{t("next.seeAdoption")}</a>
        </p>
      ) : null}
      <RoleLinks role={data.role} handle={data.handle} groups={data.groups} library={data.library} spaceOpen={"space" in data ? data.space.open : true} />
      {/* A pupil whose space is closed reads nothing of their class yet: "no classes" would be untrue. */}
      {data.view === "teacher" || (data.view === "student" && data.space.open) ? (
        <section className="panel" aria-labelledby="classes-title">
          <h1 id="classes-title">{t("myClasses")}</h1>
          {data.classes.length === 0 ? <p>{t("noClasses")}</p> : null}
          <ul className="cards">
            {data.classes.map((c) => (
              <li key={c.id} className="card">
                <h2>
                  <a href={`/classes/${c.id}`}>{c.name}</a>
                </h2>
                <p className="meta">{c.schoolName}</p>
                {data.view === "teacher" ? (
                  <p>
                    {c.isHeadTeacher ? <span className="tag">{t("headTeacher")}</span> : null} {c.subject ? t("teachesSubject", { subject: c.subject }) : null}
                  </p>
                ) : null}
                <p>{t("studentCount", { n: c.studentsText })}</p>
                <p className="meta">
                  {t("teachers")}: {c.teacherList}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {data.view === "school_admin" ? (
        <section className="panel" aria-labelledby="school-title">
          <h1 id="school-title">{data.school.name}</h1>
          <p className="meta">
            {t(`common:stages.${data.school.stage}`)} · {t("phaseIs", { phase: t(`common:phases.${data.school.phase}`) })}
            {data.school.ceiling !== null ? ` · ${t("ceilingIs", { phase: t(`common:phases.${data.school.ceiling}`) })}` : ""}
          </p>
          <dl className="stats">
            {(["teachers", "students", "parents", "classes", "activated", "provisioned"] as const).map((k) => (
              <div key={k}>
                <dt>{t(`counts.${k}`)}</dt>
                <dd>{data.counts[k]}</dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}
      {data.view === "region_admin" ? (
        <section className="panel" aria-labelledby="region-title">
          <h1 id="region-title">{data.regionPath.join(" › ")}</h1>
          <div className="table-wrap">
            <table>
              <caption>{t("schoolsInRegion")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("school")}</th>
                  <th scope="col">{t("region")}</th>
                  <th scope="col">{t("stage")}</th>
                  <th scope="col">{t("phase")}</th>
                  <th scope="col">{t("counts.teachers")}</th>
                  <th scope="col">{t("counts.students")}</th>
                </tr>
              </thead>
              <tbody>
                {data.schools.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{s.name}</th>
                    <td>{s.regionName}</td>
                    <td>{t(`common:stages.${s.stage}`)}</td>
                    <td>{t(`common:phases.${s.phase}`)}</td>
                    <td className="num">{s.teachers}</td>
                    <td className="num">{s.students}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {data.view === "platform_admin" ? (
        <section className="panel" aria-labelledby="platform-title">
          <h1 id="platform-title">{t("regions")}</h1>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("region")}</th>
                  <th scope="col">{t("ceiling")}</th>
                  <th scope="col">{t("counts.schools")}</th>
                  <th scope="col">{t("counts.accounts")}</th>
                </tr>
              </thead>
              <tbody>
                {data.regions.map((r) => (
                  <tr key={r.id}>
                    <th scope="row" className={`depth-${Math.min(r.depth, 3)}`}>
                      {r.name}
                    </th>
                    <td>{r.ceiling === null ? "—" : t(`common:phases.${r.ceiling}`)}</td>
                    <td className="num">{r.schools}</td>
                    <td className="num">{r.users}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}

/** "My space: open" or "not yet open", and why (the school's phase, or guardian consent still to come). */
function MySpace({ status }: { status: SpaceStatus }) {
  const { t } = useTranslation("rollout");
  return (
    <p className={`panel space-status ${status.open ? "open" : "closed"}`}>
      <span>{t("mySpace.label")}</span>
      <span className="state">{status.open ? t("mySpace.open") : t("mySpace.closed")}</span>
      {status.open ? null : <span className="meta">{t(`mySpace.reason.${status.reason}`)}</span>}
      {!status.open && status.reason === "consent" ? <span className="consent-online">{t("mySpace.consentOnline")}</span> : null}
    </p>
  );
}
