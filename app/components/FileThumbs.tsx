// Files as a list, where every photo shows as a small server-made thumbnail (/thumbs/:id/:width) that
// opens the original. Its alt text says what it is a part of (`what`: the work, the item), never the file
// name; width and height are set, so the page does not move while it loads; images load lazily.
import { useTranslation } from "react-i18next";

export type ThumbView = { src: string; srcSet: string; box: number };
export type ListedFile = { id: string; name: string; url: string; sizeText: string; thumb?: ThumbView | null };

export function FileThumbList({
  files,
  what,
  label,
  sizeKey = "assignments:sizeKb",
  className = "file-list",
}: {
  files: ListedFile[];
  what: string;
  label?: string;
  /** The page's own "{{size}} KB" key. */
  sizeKey?: string;
  className?: string;
}) {
  const { t } = useTranslation();
  const photos = files.filter((f) => f.thumb).map((f) => f.id);
  const count = photos.length;
  return (
    <ul className={className} aria-label={label}>
      {files.map((f) => {
        const thumb = f.thumb ?? null;
        const n = photos.indexOf(f.id) + 1;
        return (
          <li key={f.id} className={thumb ? "has-thumb" : undefined}>
            {thumb ? (
              <a href={f.url} className="thumb-link">
                <img className="thumb" src={thumb.src} srcSet={thumb.srcSet} width={thumb.box} height={thumb.box} loading="lazy" decoding="async" alt={t("files:thumbAlt", { what, n, count })} />
              </a>
            ) : null}
            <a href={f.url}>{f.name}</a> <span className="meta">{t(sizeKey, { size: f.sizeText })}</span>
          </li>
        );
      })}
    </ul>
  );
}
