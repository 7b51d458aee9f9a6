import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConsentNeeded } from "~/components/ConsentNeeded";
import { RoleLinks } from "~/components/RoleLinks";
import { myClasses } from "~/domain/classes.server";
import { isFeatureEnabled } from "~/domain/flags.server";
import { myChildren } from "~/domain/guardians.server";
import { platformOverview, regionOverview } from "~/domain/regions.server";
import { resolveLocale } from "~/domain/locale.server";
import { spaceStatus, type SpaceStatus } from "~/domain/rollout.server";
import { schoolOverview } from "~/domain/schools.server";
import { formatDate, formatList, formatNumber } from "~/lib/format";
import { i18next } from "~/i18next.server";
import { pageTitle, requireActor } from "~/lib/http.server";
import schoolCssUrl from "~/styles/school.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: schoolCssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** Each role's home: what exists for that role today, nothing that links nowhere. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = requireActor(request);
  const lng = resolveLocale(request, actor);
  const n = (x: number) => formatNumber(x, lng);
  const t = await i18next.getFixedT(lng, "home");
  const base = {
    title: await pageTitle(request, "home:title"),
    today: formatDate(new Date(), lng),
    welcome: new URL(request.url).searchParams.has("welcome"),
    role: actor.activeRole,
    handle: actor.handle,
    groups: isFeatureEnabled(actor, "study_groups"),
  };
  switch (actor.activeRole) {
    case "teacher":
    case "student":
      return {
        ...base,
        view: actor.activeRole,
        space: spaceStatus(actor),
        classes: myClasses(actor).map((c) => ({
          ...c,
          studentsText: n(c.students),
          teacherList: formatList(
            c.teachers.map((x) => (x.subject ? t("teacherWithSubject", { name: x.realName, subject: x.subject }) : x.realName)),
            lng,
          ),
        })),
      };
    case "parent":
      return { ...base, view: "parent" as const, space: spaceStatus(actor), children: myChildren(actor).map((c) => ({ ...c, classList: formatList(c.classNames, lng) })) };
    case "school_admin": {
      const o = schoolOverview(actor);
      return {
        ...base,
        view: "school_admin" as const,
        school: { name: o.school.name, stage: o.school.stage, phase: o.school.phase, ceiling: o.phaseCeiling },
        counts: { teachers: n(o.teachers), students: n(o.students), parents: n(o.parents), classes: n(o.classes), activated: n(o.activated), provisioned: n(o.provisioned) },
      };
    }
    case "region_admin": {
      const o = regionOverview(actor);
      return { ...base, view: "region_admin" as const, regionPath: o.path.map((r) => r.name).reverse(), schools: o.schools.map((s) => ({ ...s, teachers: n(s.teachers), students: n(s.students) })) };
    }
    case "platform_admin":
      return { ...base, view: "platform_admin" as const, regions: platformOverview(actor).map((r) => ({ id: r.id, name: r.name, depth: r.depth, level: r.level, ceiling: r.phaseCeiling, schools: n(r.schools), users: n(r.users) })) };
  }
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
      <RoleLinks role={data.role} handle={data.handle} groups={data.groups} spaceOpen={"space" in data ? data.space.open : true} />
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
      {data.view === "parent" ? (
        <section className="panel" aria-labelledby="children-title">
          <h1 id="children-title">
            <a href="/parent">{t("myChildren")}</a>
          </h1>
          {data.children.length === 0 ? <p>{t("noChildren")}</p> : null}
          <ul className="cards">
            {data.children.map((c) => (
              <li key={c.studentId} className="card">
                <h2>
                  <a href={`/parent/children/${c.studentId}`}>{c.realName}</a>
                </h2>
                <p className="meta">
                  {c.schoolName} · {c.classList}
                </p>
                <p>
                  {t("relationship")}: {t(`relationships.${c.relationship}`)}
                </p>
                <p>
                  {t("consent")}: <span className={`tag consent-${c.consentState}`}>{t(`consentStates.${c.consentState}`)}</span>
                </p>
                {c.awaitsConsent ? <ConsentNeeded childId={c.studentId} headingLevel={3} /> : null}
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
