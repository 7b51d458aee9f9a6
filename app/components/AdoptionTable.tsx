import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** One row of adoption numbers, already formatted on the server. */
export type AdoptionRowView = { key: string; label: ReactNode; extra?: ReactNode[]; provisioned: string; activated: string; active7: string };

/** The same numbers as the chart beside it, as a table people can read aloud and copy. */
export function AdoptionTable({ caption, labelHeading, extraHeadings = [], rows, total }: { caption: string; labelHeading: string; extraHeadings?: string[]; rows: AdoptionRowView[]; total?: AdoptionRowView }) {
  const { t } = useTranslation("adoption");
  const cells = (r: AdoptionRowView) => (
    <>
      {(r.extra ?? []).map((x, i) => (
        <td key={i}>{x}</td>
      ))}
      <td className="num">{r.provisioned}</td>
      <td className="num">{r.activated}</td>
      <td className="num">{r.active7}</td>
    </>
  );
  return (
    // Focusable and named: on a phone the table scrolls sideways, and keyboard users must reach it.
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="adoption-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{labelHeading}</th>
            {extraHeadings.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
            <th scope="col" className="num">
              {t("provisioned")}
            </th>
            <th scope="col" className="num">
              {t("activated")}
            </th>
            <th scope="col" className="num">
              {t("active7")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              {cells(r)}
            </tr>
          ))}
        </tbody>
        {total ? (
          <tfoot>
            <tr>
              <th scope="row">{total.label}</th>
              {cells(total)}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}
