import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { PreviewFilter, RosterChange, RosterFileReport, RosterRow } from "~/domain/provisioning/rosters.server";

/** Which row the header was taken from, and each column: the field it became, why it was ignored, or that it is missing. */
export function RosterFileColumns({ file }: { file: RosterFileReport }) {
  const { t } = useTranslation("roster");
  return (
    <section className="panel" aria-labelledby="file-columns-title">
      <h2 id="file-columns-title">{t("fileColumns.title")}</h2>
      <p>{t("fileColumns.headerLine", { line: file.headerLine })}</p>
      {file.pupilsOnly ? <p>{t("fileColumns.pupilsOnly")}</p> : null}
      <div className="roster-file-columns">
        <div>
          <h3>{t("fileColumns.recognised")}</h3>
          <ul>
            {file.recognised.map((c) => (
              <li key={c.header}>{t("fileColumns.becomes", { header: c.header, field: t(`columns.${c.field}`) })}</li>
            ))}
          </ul>
        </div>
        {file.ignored.length ? (
          <div>
            <h3>{t("fileColumns.ignored")}</h3>
            <ul>
              {file.ignored.map((c, i) => (
                <li key={`${c.header}-${i}`}>{t("fileColumns.ignoredRow", { header: c.header, reason: t(`fileColumns.reasons.${c.reason}`) })}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {file.missing.length ? (
          <div>
            <h3>{t("fileColumns.missing")}</h3>
            <ul>
              {file.missing.map((f) => (
                <li key={f}>{t(`columns.${f}`)}</li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </section>
  );
}

/** Rows naming classes the school lacks, one line per class, and one button that creates them all. */
export function RosterUnknownClasses({ groups, year, open }: { groups: { name: string; pupils: string }[]; year: number; open: boolean }) {
  const { t } = useTranslation("roster");
  return (
    <section className="panel" aria-labelledby="unknown-classes-title">
      <h2 id="unknown-classes-title">{t("unknownClasses.title", { n: groups.length })}</h2>
      <ul>
        {groups.map((g) => (
          <li key={g.name}>{t("unknownClasses.group", { name: g.name, n: g.pupils })}</li>
        ))}
      </ul>
      {open ? (
        <Form method="post">
          <p className="hint">{t("unknownClasses.hint", { year })}</p>
          <button type="submit" name="intent" value="createClasses" className="primary">
            {t("unknownClasses.createAll")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}

export type SamePersonQuestion = { line: number; sameAs: number; realName: string; answer: "one" | "two" | null };

/** "Rows 12 and 40: two people or one?", each with a small form of its own. */
export function RosterQuestions({ questions, open }: { questions: SamePersonQuestion[]; open: boolean }) {
  const { t } = useTranslation("roster");
  return (
    <section className="panel" aria-labelledby="questions-title">
      <h2 id="questions-title">{t("questions.title")}</h2>
      <p>{t("questions.intro")}</p>
      <ul className="roster-questions">
        {questions.map((q) => (
          <li key={q.line}>
            <Form method="post">
              <fieldset>
                <legend>{t("questions.ask", { line: q.line, sameAs: q.sameAs, name: q.realName })}</legend>
                {q.answer ? <p className="meta">{q.answer === "two" ? t("questions.answeredTwo") : t("questions.answeredOne", { line: q.line })}</p> : null}
                {open ? (
                  <>
                    <input type="hidden" name="line" value={q.line} />
                    {(["two", "one"] as const).map((answer) => (
                      <div className="choice" key={answer}>
                        <input type="radio" id={`q-${q.line}-${answer}`} name="answer" value={answer} defaultChecked={q.answer === answer} required />
                        <label htmlFor={`q-${q.line}-${answer}`}>{t(`questions.${answer}`, { line: q.line })}</label>
                      </div>
                    ))}
                    <button type="submit" name="intent" value="answer">
                      {t("questions.submit")}
                    </button>
                  </>
                ) : null}
              </fieldset>
            </Form>
          </li>
        ))}
      </ul>
    </section>
  );
}

export type RosterRowsPage = { filter: PreviewFilter; page: number; pages: number; counts: Record<PreviewFilter, string>; total: number; rows: RosterRow[] };

/** Every row of the file, a page at a time, filtered by outcome; problems and what an update changes. */
export function RosterRows({ view, filters, baseUrl }: { view: RosterRowsPage; filters: PreviewFilter[]; baseUrl: string }) {
  const { t } = useTranslation("roster");
  const link = (page: number) => `${baseUrl}?filter=${view.filter}&page=${page}`;
  const problems = view.filter === "problems";
  return (
    <section className="panel" aria-labelledby="rows-title">
      <h2 id="rows-title">{problems ? t("preview.problemsTitle") : t("rows.title")}</h2>
      <form method="get" action={baseUrl} className="roster-filter">
        <label htmlFor="f-filter">{t("rows.filter")}</label>
        <select id="f-filter" name="filter" defaultValue={view.filter}>
          {filters.map((f) => (
            <option key={f} value={f}>
              {t(`rows.filters.${f}`, { n: view.counts[f] })}
            </option>
          ))}
        </select>
        <button type="submit">{t("rows.show")}</button>
      </form>
      {view.rows.length === 0 ? (
        <p>{t("rows.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="roster-rows">
            <caption>{problems ? t("preview.problemsCaption", { n: view.counts.problems }) : t(`rows.filters.${view.filter}`, { n: view.counts[view.filter] })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("preview.row")}</th>
                <th scope="col">{t("columns.realName")}</th>
                <th scope="col">{t("columns.className")}</th>
                <th scope="col">{t("preview.login")}</th>
                <th scope="col">{t("preview.outcome")}</th>
                <th scope="col">{t("rows.changes")}</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((row) => (
                <tr key={row.line}>
                  <td className="num">{row.line}</td>
                  <td>{row.realName}</td>
                  <td>{row.className ?? ""}</td>
                  <td translate="no">
                    {row.plannedLogin}
                    {row.outcome === "new" && !row.loginName ? <span className="meta"> {t("preview.generated")}</span> : null}
                  </td>
                  <td>{row.problems.length ? t("preview.withProblems") : row.outcome ? t(`preview.${row.outcome}`) : ""}</td>
                  <td className="wrap">
                    <RowNotes row={row} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.pages > 1 ? (
        <nav className="pager" aria-label={t("rows.page", { page: view.page, pages: view.pages })}>
          {view.page > 1 ? <a href={link(view.page - 1)}>{t("rows.previous")}</a> : null}
          <span>{t("rows.page", { page: view.page, pages: view.pages })}</span>
          {view.page < view.pages ? <a href={link(view.page + 1)}>{t("rows.next")}</a> : null}
        </nav>
      ) : null}
    </section>
  );
}

function RowNotes({ row }: { row: RosterRow }) {
  const { t } = useTranslation("roster");
  const notes: string[] = row.problems.map((p) => `${p.column ? `${t(`columns.${p.column}`)}: ` : ""}${t(p.key, p.params)}`);
  for (const c of row.changes ?? []) notes.push(changeText(c, t));
  if (row.birthFromId) notes.push(t("rows.birthFromId"));
  if (!notes.length) return null;
  return notes.length === 1 ? (
    <>{notes[0]}</>
  ) : (
    <ul className="roster-notes">
      {notes.map((n, i) => (
        <li key={i}>{n}</li>
      ))}
    </ul>
  );
}

function changeText(c: RosterChange, t: (key: string, params?: Record<string, unknown>) => string): string {
  const value = (v: string | null) => {
    if (v === null || v === "") return t("rows.blank");
    if (c.field === "gender" || c.field === "role") return t(`values.${v}`);
    return v;
  };
  return t(`rows.change.${c.field}`, { from: value(c.from), to: value(c.to), guardian: c.guardian });
}
