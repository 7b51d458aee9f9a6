// 学生成长档案 / 教师专业档案: a person's portfolio items (works, projects, awards, certificates,
// reflections, lesson records) with files, tags, a featured flag and a manual order, and its export
// as one ZIP with a printable index. Who may read an item is visibility.server's rule; writing needs
// the owner's space open and the "portfolio" flag on; reading needs the owner's flag on.
import { Readable } from "node:stream";
import { filterInOrder, forEachInOrder, mapInOrder } from "~/lib/in-order";
import archiver from "archiver";
import { and, asc, desc, eq, like } from "drizzle-orm";
import { z } from "zod";
import { db, schema, type DB, changedRows, first } from "#db/client";
import { PORTFOLIO_KINDS, type PortfolioKind, type Visibility } from "#db/schema";
import { requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { NotFoundError, ValidationError, type FieldErrors } from "../foundation/errors.server";
import { copyFilesAsDrafts, openFile } from "../downloads/file-reading.server";
import { attachFiles, deleteFiles, discardDrafts, downloadName, filesOf, orDiscard, type StoredFile } from "../uploads/files.server";
import { randomId } from "../foundation/ids.server";
import { spaceOwner, type SpaceOwner } from "../spaces/profiles.server";
import { plainTextOf, renderRichText, richTextFromForm, type RichDoc } from "../foundation/richtext.server";
import { requireOwnerFeature, requireSpaceFeature } from "../spaces/spaces.server";
import { allowedVisibilities, canSee, chosenVisibility, ownerOf, requireVisible } from "../rollout/visibility.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";

export { PORTFOLIO_KINDS, type PortfolioKind };

export const TITLE_MAX = 200;
export const TAGS_MAX = 10;
export const TAG_MAX_CHARS = 30;
export const FEATURED_ON_HOME = 6;

export type PortfolioCard = { id: string; title: string; kind: PortfolioKind; occurredOn: string; featured: boolean; visibility: Visibility };
export type PortfolioItemView = PortfolioCard & {
  owner: { handle: string; realName: string };
  isOwner: boolean;
  descriptionHtml: string;
  tags: string[];
  files: StoredFile[];
  /** For a copy of a group result: the group, and its pupils' names for readers in the group (else null). */
  groupCredit: GroupCredit | null;
};
export type PortfolioForm = {
  title: string;
  kind: string;
  occurredOn: string;
  description: string;
  descriptionJson: unknown;
  tags: string;
  featured: boolean;
  visibility: string;
};

type Fields = { get(name: string): string | null | undefined };
type ItemRow = typeof schema.portfolioItems.$inferSelect;

const audienceOf = (row: Pick<ItemRow, "ownerId" | "schoolId" | "visibility">) => ({ ownerId: row.ownerId, schoolId: row.schoolId, visibility: row.visibility });

const cardOf = (r: ItemRow): PortfolioCard => ({ id: r.id, title: r.title, kind: r.kind, occurredOn: r.occurredOn, featured: r.featured, visibility: r.visibility });

// Featured first, then the owner's manual order; newest first among equals.
const displayOrder = [desc(schema.portfolioItems.featured), asc(schema.portfolioItems.position), desc(schema.portfolioItems.createdAt), desc(schema.portfolioItems.id)];

async function tagsOf(itemId: string): Promise<string[]> {
  return (await db()
      .select({ tag: schema.contentTags.tag })
      .from(schema.contentTags)
      .where(and(eq(schema.contentTags.subjectType, "portfolio_item"), eq(schema.contentTags.subjectId, itemId)))
      .orderBy(asc(schema.contentTags.tag)))
    .map((r) => r.tag);
}

/** A person's portfolio as the reader may see it, in display order. */
export async function portfolioOf(actor: Actor, handle: string): Promise<{ owner: SpaceOwner; items: PortfolioCard[]; choices: Visibility[] | null }> {
  const { owner } = await spaceOwner(actor, handle);
  await requireOwnerFeature(owner.id, "portfolio");
  const rows = await db().select().from(schema.portfolioItems).where(eq(schema.portfolioItems.ownerId, owner.id)).orderBy(...displayOrder);
  return { owner, items: (await filterInOrder(rows, async (r) => canSee(actor, audienceOf(r)))).map(cardOf), choices: owner.isOwner ? allowedVisibilities(await ownerOf(owner.id)) : null };
}

/** The featured items of a space the reader has entered (for its home). */
export async function featuredPortfolio(actor: Actor, ownerId: string, limit = FEATURED_ON_HOME): Promise<PortfolioCard[]> {
  const rows = await db()
      .select()
      .from(schema.portfolioItems)
      .where(and(eq(schema.portfolioItems.ownerId, ownerId), eq(schema.portfolioItems.featured, true)))
      .orderBy(...displayOrder)
      .limit(limit * 4);
  return (await filterInOrder(rows, async (r) => canSee(actor, audienceOf(r))))
    .slice(0, limit)
    .map(cardOf);
}

async function itemRow(id: string): Promise<ItemRow> {
  const row = await first(db().select().from(schema.portfolioItems).where(eq(schema.portfolioItems.id, id)).limit(1));
  if (!row) throw new NotFoundError();
  return row;
}

/** One item, if the reader may see it (a guessed id of someone's private item reads as "not found"). */
export async function portfolioItem(actor: Actor, id: string): Promise<PortfolioItemView> {
  const row = await itemRow(id);
  await requireVisible(actor, audienceOf(row));
  await requireOwnerFeature(row.ownerId, "portfolio");
  const owner = (await first(db().select({ handle: schema.users.handle, realName: schema.users.realName }).from(schema.users).where(eq(schema.users.id, row.ownerId)).limit(1)))!;
  return { ...cardOf(row), owner, isOwner: actor?.id === row.ownerId, descriptionHtml: row.descriptionHtml, tags: await tagsOf(row.id), files: await filesOf("portfolio_item", row.id), groupCredit: await groupCreditFor(actor, row) };
}

/** The owner's own item to change; anyone else's reads as "not found", readers of it included. */
async function ownItem(actor: SignedInActor, id: string): Promise<ItemRow> {
  const row = await itemRow(id);
  if (row.ownerId !== actor.id) throw new NotFoundError();
  return row;
}

/** What the edit form starts from, with the version the edit is based on. */
export async function portfolioItemForEdit(actor: Actor, id: string): Promise<{ id: string; version: number; values: PortfolioForm; files: StoredFile[]; choices: Visibility[] }> {
  const me = requireSignedIn(actor);
  await requireSpaceFeature(me, "portfolio");
  const row = await ownItem(me, id);
  return {
    id: row.id,
    version: row.version,
    values: {
      title: row.title,
      kind: row.kind,
      occurredOn: row.occurredOn,
      description: plainTextOf(row.descriptionJson),
      descriptionJson: row.descriptionJson,
      tags: (await tagsOf(row.id)).join(", "),
      featured: row.featured,
      visibility: row.visibility,
    },
    files: await filesOf("portfolio_item", row.id),
    choices: await choicesFor(me.id, row.id),
  };
}

/** The choices of the "new item" form. */
export async function newPortfolioForm(actor: Actor): Promise<{ choices: Visibility[] }> {
  const me = requireSignedIn(actor);
  await requireSpaceFeature(me, "portfolio");
  return { choices: allowedVisibilities(await ownerOf(me.id)) };
}

/** The form's values as typed, for a form sent back with errors. */
export function portfolioFormValues(fields: Fields): PortfolioForm {
  const json = fields.get("descriptionJson");
  let descriptionJson: unknown = null;
  try {
    descriptionJson = json ? JSON.parse(json) : null;
  } catch {
    descriptionJson = null;
  }
  return {
    title: fields.get("title") ?? "",
    kind: fields.get("kind") ?? "",
    occurredOn: fields.get("occurredOn") ?? "",
    description: fields.get("description") ?? "",
    descriptionJson,
    tags: fields.get("tags") ?? "",
    featured: isOn(fields.get("featured")),
    visibility: fields.get("visibility") ?? "",
  };
}

const isOn = (v: string | null | undefined) => v === "on" || v === "1" || v === "true";

const titleShape = z.string().overwrite(withoutDirectionControls).trim().min(1, "portfolio:titleRequired").max(TITLE_MAX, "portfolio:titleTooLong");
const kindShape = z.enum(PORTFOLIO_KINDS, { message: "portfolio:kindInvalid" });
const dateShape = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "portfolio:dateInvalid")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && s >= "1900-01-01" && s <= "2999-12-31";
  }, "portfolio:dateInvalid");

/** Tags as typed: separated by commas (also Chinese ones), 、 or spaces; lower-cased, each once. */
export function parseTags(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(/[,，、;；\s]+/)
        .map((t) => t.trim().replace(/^#/, "").toLowerCase())
        .filter(Boolean),
    ),
  ];
}

type ParsedItem = { title: string; kind: PortfolioKind; occurredOn: string; descriptionJson: unknown; descriptionHtml: string; descriptionFileIds: string[]; tags: string[]; featured: boolean; visibility: Visibility };

/** Every field's problem at once, each beside its field. */
async function parseItem(me: SignedInActor, fields: Fields): Promise<ParsedItem> {
  const errors: FieldErrors = {};
  const take = <T>(name: string, shape: z.ZodType<T>): T | undefined => {
    const r = shape.safeParse(fields.get(name) ?? "");
    if (r.success) return r.data;
    errors[name] = { key: r.error.issues[0]?.message ?? "errors:invalidInput" };
    return undefined;
  };
  const title = take("title", titleShape);
  const kind = take("kind", kindShape);
  const occurredOn = take("occurredOn", dateShape);
  const tags = parseTags(fields.get("tags") ?? "");
  if (tags.length > TAGS_MAX || tags.some((t) => t.length > TAG_MAX_CHARS)) errors.tags = { key: "portfolio:tagsInvalid", params: { max: TAGS_MAX, chars: TAG_MAX_CHARS } };
  let visibility: Visibility | undefined;
  try {
    visibility = chosenVisibility(await ownerOf(me.id), fields.get("visibility"));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    Object.assign(errors, error.fields);
  }
  let description: ReturnType<typeof richTextFromForm> | undefined;
  try {
    description = richTextFromForm(fields, "description");
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    Object.assign(errors, error.fields);
  }
  if (Object.keys(errors).length || !title || !kind || !occurredOn || !visibility || !description) throw new ValidationError(errors);
  return {
    title,
    kind,
    occurredOn,
    descriptionJson: description.doc,
    descriptionHtml: description.html,
    descriptionFileIds: description.fileIds,
    tags,
    featured: isOn(fields.get("featured")),
    visibility,
  };
}

async function writeTags(tx: Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0], itemId: string, tags: string[]) {
  await tx.delete(schema.contentTags).where(and(eq(schema.contentTags.subjectType, "portfolio_item"), eq(schema.contentTags.subjectId, itemId)));
  for (const tag of tags) await tx.insert(schema.contentTags).values({ subjectType: "portfolio_item", subjectId: itemId, tag }).onConflictDoNothing();
}

/** Adds an item at the top of the owner's manual order, with the files uploaded with it. */
export async function createPortfolioItem(actor: Actor, fields: Fields, uploadedFileIds: string[] = []): Promise<{ id: string }> {
  return orDiscard(actor, uploadedFileIds, async () => {
    const me = requireSignedIn(actor);
    await requireSpaceFeature(me, "portfolio");
    const item = await parseItem(me, fields);
    const id = randomId();
    await db().transaction(
      async (tx) => {
        const top = await first(tx.select({ position: schema.portfolioItems.position }).from(schema.portfolioItems).where(eq(schema.portfolioItems.ownerId, me.id)).orderBy(asc(schema.portfolioItems.position)).limit(1));
        await tx.insert(schema.portfolioItems)
                  .values({
                    id,
                    ownerId: me.id,
                    schoolId: me.schoolId,
                    title: item.title,
                    kind: item.kind,
                    occurredOn: item.occurredOn,
                    descriptionJson: item.descriptionJson,
                    descriptionHtml: item.descriptionHtml,
                    visibility: item.visibility,
                    featured: item.featured,
                    position: top ? top.position - 1 : 0,
                  });
        await writeTags(tx, id, item.tags);
        const attach = [...new Set([...uploadedFileIds, ...item.descriptionFileIds])];
        if (attach.length) await attachFiles(tx, me, attach, { type: "portfolio_item", id });
      },
      { behavior: "immediate" },
    );
    return { id };
  });
}

/**
 * Saves an edit made from `version`: if the item changed since (another tab, another device), the
 * edit is refused with "portfolio:editConflict" and nothing is written. Files named
 * `removeFile.<id>` = "on" are removed from the item.
 */
export async function updatePortfolioItem(actor: Actor, id: string, fields: Fields, uploadedFileIds: string[] = []): Promise<void> {
  await orDiscard(actor, uploadedFileIds, async () => {
    const me = requireSignedIn(actor);
    await requireSpaceFeature(me, "portfolio");
    const row = await ownItem(me, id);
    const version = Number(fields.get("version"));
    const item = await parseItem(me, fields);
    if (!(await choicesFor(me.id, id)).includes(item.visibility)) throw new ValidationError({ visibility: { key: "portfolio:groupResultNotPublic" } });
    await db().transaction(
      async (tx) => {
        const changed = (await changedRows(tx
          .update(schema.portfolioItems)
          .set({
            title: item.title,
            kind: item.kind,
            occurredOn: item.occurredOn,
            descriptionJson: item.descriptionJson,
            descriptionHtml: item.descriptionHtml,
            visibility: item.visibility,
            featured: item.featured,
            version: row.version + 1,
            updatedAt: new Date(),
          })
          .where(and(eq(schema.portfolioItems.id, id), eq(schema.portfolioItems.version, Number.isInteger(version) ? version : -1)))
          ));
        if (!changed) throw new ValidationError({}, "portfolio:editConflict");
        await writeTags(tx, id, item.tags);
        const current = (await filesOf("portfolio_item", id)).map((f) => f.id);
        const remove = current.filter((fid) => isOn(fields.get(`removeFile.${fid}`)));
        const attach = [...new Set([...uploadedFileIds, ...item.descriptionFileIds])].filter((fid) => !remove.includes(fid));
        if (attach.length) await attachFiles(tx, me, attach, { type: "portfolio_item", id });
        if (remove.length) await deleteFiles(tx, me, remove);
      },
      { behavior: "immediate" },
    );
  });
}

/** Moves an item one place up or down within its group (featured items, then the rest). */
export async function movePortfolioItem(actor: Actor, id: string, direction: "up" | "down"): Promise<void> {
  const me = requireSignedIn(actor);
  await requireSpaceFeature(me, "portfolio");
  await db().transaction(
    async (tx) => {
      await ownItem(me, id);
      const order = await tx.select().from(schema.portfolioItems).where(eq(schema.portfolioItems.ownerId, me.id)).orderBy(...displayOrder);
      const at = order.findIndex((r) => r.id === id);
      const to = direction === "up" ? at - 1 : at + 1;
      const neighbour = order[to];
      if (at < 0 || !neighbour || neighbour.featured !== order[at]!.featured) return;
      [order[at], order[to]] = [order[to]!, order[at]!];
      // Renumbered from the order shown, so equal positions (e.g. after an import) cannot make a move a no-op.
      await forEachInOrder(order, async (r, i) => {
                  if (r.position !== i) await tx.update(schema.portfolioItems).set({ position: i }).where(eq(schema.portfolioItems.id, r.id));
                });
    },
    { behavior: "immediate" },
  );
}

/** Deletes an item with its tags and files. */
export async function deletePortfolioItem(actor: Actor, id: string): Promise<void> {
  const me = requireSignedIn(actor);
  await requireSpaceFeature(me, "portfolio");
  await db().transaction(
    async (tx) => {
      await ownItem(me, id);
      const fileIds = (await filesOf("portfolio_item", id)).map((f) => f.id);
      if (fileIds.length) await deleteFiles(tx, me, fileIds);
      await tx.delete(schema.contentTags).where(and(eq(schema.contentTags.subjectType, "portfolio_item"), eq(schema.contentTags.subjectId, id)));
      await tx.delete(schema.notifications).where(and(eq(schema.notifications.subjectType, "portfolio_item"), eq(schema.notifications.subjectId, id)));
      await tx.delete(schema.portfolioItems).where(eq(schema.portfolioItems.id, id));
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------------
// Export: one ZIP of the owner's own portfolio (a year, or all of it) with a printable index.

export type ExportLabels = {
  lng: string;
  /** Translates "portfolio:…" keys for the index (the domain holds no sentences). */
  t: (key: string, params?: Record<string, unknown>) => string;
  formatDate: (isoDate: string) => string;
};

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const NAME_MAX = 100;

/**
 * A file name that is safe on every system a teacher or parent might unzip on: no path, no control or
 * reserved characters, no reserved device name, not too long, and unique within the archive
 * (case-insensitively, as Windows and macOS compare names).
 */
export function safeZipName(raw: string, used: Set<string>): string {
  // eslint-disable-next-line no-control-regex
  let name = raw.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, "_").replace(/^[.\s]+|[.\s]+$/g, "");
  const dot = name.lastIndexOf(".");
  let stem = dot > 0 ? name.slice(0, dot) : name;
  let ext = dot > 0 ? name.slice(dot) : "";
  if (ext.length > 16) [stem, ext] = [name, ""];
  if (!stem || WINDOWS_RESERVED.test(stem)) stem = `_${stem}`;
  stem = [...stem].slice(0, NAME_MAX - ext.length).join("");
  name = stem + ext;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${stem} (${n})${ext}`;
  used.add(name.toLowerCase());
  return name;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const INDEX_CSS = `body{font:16px/1.6 "Noto Sans SC","Noto Serif Tibetan","Noto Sans Yi",system-ui,sans-serif;color:#1d2430;max-width:48rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:0}header p{margin:.25rem 0 1.5rem;color:#4a5568}
article{border-top:1px solid #c9ced8;padding:1rem 0;break-inside:avoid}h2{font-size:1.2rem;margin:0 0 .25rem}
.meta{color:#4a5568;font-size:.9rem;margin:0 0 .5rem}.tag{display:inline-block;background:#eef1f6;border-radius:4px;padding:0 .4rem;margin-right:.3rem;font-size:.85rem}
img{max-width:100%;height:auto}ul.files{padding-left:1.2rem}a{color:#1a4f9c}
@media print{body{margin:0;max-width:none}a{color:inherit}}`;

/**
 * The owner's portfolio (items that happened in `year`, or all) as a ZIP stream: index.html (printable,
 * self-contained, the descriptions' sanitized HTML) and every file under files/. Only the owner may
 * export their own portfolio; the checks run before the stream starts.
 */
export async function exportPortfolio(actor: Actor, year: number | null, labels: ExportLabels): Promise<{ fileName: string; body: ReadableStream<Uint8Array>; items: number }> {
  const me = requireSignedIn(actor);
  await requireSpaceFeature(me, "portfolio");
  if (year !== null && (!Number.isInteger(year) || year < 1900 || year > 2999)) throw new ValidationError({ year: { key: "portfolio:yearInvalid" } });
  const rows = await db()
      .select()
      .from(schema.portfolioItems)
      .where(and(eq(schema.portfolioItems.ownerId, me.id), year === null ? undefined : like(schema.portfolioItems.occurredOn, `${year}-%`)))
      .orderBy(desc(schema.portfolioItems.occurredOn), ...displayOrder);
  const schoolName = me.schoolId ? ((await first(db().select({ name: schema.schools.name }).from(schema.schools).where(eq(schema.schools.id, me.schoolId)).limit(1)))?.name ?? null) : null;
  const used = new Set<string>(["index.html"]);
  const entries = (await mapInOrder(rows, async (row) => ({
      row,
      tags: await tagsOf(row.id),
      files: (await filesOf("portfolio_item", row.id)).map((file) => ({ file, path: `files/${safeZipName(downloadName(file), used)}` })),
    })));
  const { t } = labels;
  const article = ({ row, tags, files }: (typeof entries)[number]) => {
    const paths = new Map(files.map((f) => [f.file.id, f.path]));
    // Images in a description point at the download route; in the archive they point at the copy beside it.
    const description = row.descriptionHtml.replace(/\/files\/([a-z0-9]+)\/[^"'\s>]*/g, (url, fid: string) => (paths.has(fid) ? encodeURI(paths.get(fid)!) : url));
    return `<article>
<h2>${escapeHtml(row.title)}</h2>
<p class="meta">${escapeHtml(t(`portfolio:kinds.${row.kind}`))} · ${escapeHtml(labels.formatDate(row.occurredOn))}${row.featured ? ` · ${escapeHtml(t("portfolio:featured"))}` : ""}</p>
${tags.length ? `<p>${tags.map((tag) => `<span class="tag">${escapeHtml(tag)}</span>`).join("")}</p>` : ""}
<div class="description">${description}</div>
${files.length ? `<p class="meta">${escapeHtml(t("portfolio:files"))}</p><ul class="files">${files.map((f) => `<li><a href="${escapeHtml(encodeURI(f.path))}">${escapeHtml(f.file.name)}</a></li>`).join("")}</ul>` : ""}
</article>`;
  };
  const heading = t("portfolio:exportHeading", { name: me.realName });
  const period = year === null ? t("portfolio:exportAllYears") : t("portfolio:exportYear", { year });
  const index = `<!doctype html>
<html lang="${escapeHtml(labels.lng)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(heading)}</title><style>${INDEX_CSS}</style></head>
<body>
<header><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(me.realName)}${schoolName ? ` · ${escapeHtml(schoolName)}` : ""} · ${escapeHtml(period)}</p></header>
${entries.length ? entries.map(article).join("\n") : `<p>${escapeHtml(t("portfolio:exportEmpty"))}</p>`}
</body>
</html>
`;

  const archive = archiver("zip", { zlib: { level: 6 } });
  const fill = async () => {
    archive.append(index, { name: "index.html" });
    for (const { files } of entries) {
      for (const { file, path } of files) {
        const opened = await openFile(me, file.id);
        const body = opened.body instanceof ReadableStream ? Readable.fromWeb(opened.body as import("node:stream/web").ReadableStream<Uint8Array>) : (opened.body as NodeJS.ReadableStream);
        // One file open at a time: the next is opened once this one is in the archive.
        const added = new Promise<void>((resolve) => archive.once("entry", () => resolve()));
        archive.append(body as Readable, { name: path, store: /^(image\/(jpeg|png|gif|webp)|video\/|audio\/|application\/(zip|pdf))/.test(file.mimeType) });
        await added;
      }
    }
    await archive.finalize();
  };
  fill().catch((error: unknown) => archive.destroy(error instanceof Error ? error : new Error(String(error))));
  return {
    fileName: `portfolio-${me.handle}-${year ?? "all"}.zip`,
    body: Readable.toWeb(archive) as unknown as ReadableStream<Uint8Array>,
    items: entries.length,
  };
}

/** Years in which the owner's items happened, newest first (the export form's choices). */
export async function portfolioYears(actor: Actor): Promise<number[]> {
  const me = requireSignedIn(actor);
  const rows = await db().selectDistinct({ on: schema.portfolioItems.occurredOn }).from(schema.portfolioItems).where(eq(schema.portfolioItems.ownerId, me.id));
  return [...new Set(rows.map((r) => Number(r.on.slice(0, 4))))].sort((a, b) => b - a);
}

// ---------------------------------------------------------------------------------------------
// Work brought in from elsewhere (returned assignments, group results)

type Tx = Parameters<Parameters<DB["transaction"]>[0]>[0];

/** Where a copied item comes from: the item already made from it (if any), and how to record a new one. */
export type PortfolioSource = { madeBefore(tx: Tx): Promise<string | null>; record(tx: Tx, itemId: string): Promise<unknown> };

class AlreadyAdded extends Error {
  constructor(readonly itemId: string) {
    super("already added");
  }
}

/**
 * Copies work into the owner's own portfolio as a private item at the top: copies of `fileIds` (the
 * pictures in the text pointed at the copies), `credit` as a closing line. Once per source: while the
 * item made before still exists it is returned and nothing is added (checked again inside the write,
 * so two clicks make one item); a deleted one may be made again.
 */
export async function copyIntoPortfolio(
  owner: SignedInActor,
  work: { title: string; kind: PortfolioKind; occurredOn: string; doc: unknown; fileIds: string[]; credit?: string },
  source: PortfolioSource,
): Promise<{ id: string }> {
  const copies = await copyFilesAsDrafts(owner, work.fileIds);
  let json = JSON.stringify(work.doc);
  for (const [from, to] of copies) json = json.replaceAll(`/files/${from}/`, `/files/${to}/`);
  const doc = JSON.parse(json) as RichDoc;
  const description: RichDoc = work.credit ? { type: "doc", content: [...(doc.content ?? []), { type: "paragraph", content: [{ type: "text", text: work.credit }] }] } : doc;
  const id = randomId();
  try {
    await db().transaction(
      async (tx) => {
        const before = await source.madeBefore(tx);
        if (before && await first(tx.select({ id: schema.portfolioItems.id }).from(schema.portfolioItems).where(eq(schema.portfolioItems.id, before)).limit(1))) throw new AlreadyAdded(before);
        const top = await first(tx.select({ position: schema.portfolioItems.position }).from(schema.portfolioItems).where(eq(schema.portfolioItems.ownerId, owner.id)).orderBy(asc(schema.portfolioItems.position)).limit(1));
        await tx.insert(schema.portfolioItems)
                  .values({
                    id,
                    ownerId: owner.id,
                    schoolId: owner.schoolId,
                    title: work.title,
                    kind: work.kind,
                    occurredOn: work.occurredOn,
                    descriptionJson: description,
                    descriptionHtml: renderRichText(description),
                    visibility: "private",
                    position: top ? top.position - 1 : 0,
                  });
        if (copies.size) await attachFiles(tx, owner, [...copies.values()], { type: "portfolio_item", id });
        await source.record(tx, id);
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    await discardDrafts(owner, [...copies.values()]);
    if (error instanceof AlreadyAdded) return { id: error.itemId };
    throw error;
  }
  return { id };
}

// ---------------------------------------------------------------------------------------------
// Copies of group results keep the group's audience at most

export type GroupCredit = { groupName: string; memberNames: string[] | null };

/** The group whose result the item copies, or null for any other item. */
async function groupOfCopy(itemId: string): Promise<{ id: string; name: string } | null> {
  return (
    await first(db()
            .select({ id: schema.groups.id, name: schema.groups.name })
            .from(schema.groupResultPortfolioItems)
            .innerJoin(schema.groupTasks, eq(schema.groupTasks.id, schema.groupResultPortfolioItems.taskId))
            .innerJoin(schema.groups, eq(schema.groups.id, schema.groupTasks.groupId))
            .where(eq(schema.groupResultPortfolioItems.portfolioItemId, itemId)).limit(1)) ?? null
  );
}

/** The visibilities an item may have: a group result's copy never "public" (its other members' work would go with it). */
async function choicesFor(ownerId: string, itemId: string): Promise<Visibility[]> {
  const choices = allowedVisibilities(await ownerOf(ownerId));
  return await groupOfCopy(itemId) ? choices.filter((v) => v !== "public") : choices;
}

/**
 * The credit of a group result's copy: the group's pupils by name only for its owner and the group's
 * active members, who see them in the group anyway; any other reader sees "group members".
 */
async function groupCreditFor(actor: Actor, row: Pick<ItemRow, "id" | "ownerId">): Promise<GroupCredit | null> {
  const group = await groupOfCopy(row.id);
  if (!group) return null;
  const gm = schema.groupMembers;
  const members = await db()
      .select({ userId: gm.userId, memberAs: gm.memberAs, realName: schema.users.realName })
      .from(gm)
      .innerJoin(schema.users, eq(schema.users.id, gm.userId))
      .where(and(eq(gm.groupId, group.id), eq(gm.state, "active")))
      .orderBy(asc(schema.users.realName));
  const mayName = actor !== null && (actor.id === row.ownerId || members.some((m) => m.userId === actor.id));
  return { groupName: group.name, memberNames: mayName ? members.filter((m) => m.memberAs === "student").map((m) => m.realName) : null };
}

/**
 * Brings copies of group results made before the rule within it: a public one becomes "my school",
 * and a credit line written with the members' names ("group · names") keeps the group's name only
 * (the names are shown when read, to those who may see them). Idempotent: run at each server start.
 */
export async function capGroupResultCopies(): Promise<number> {
  const copies = await db()
      .select({ item: schema.portfolioItems, groupName: schema.groups.name })
      .from(schema.groupResultPortfolioItems)
      .innerJoin(schema.portfolioItems, eq(schema.portfolioItems.id, schema.groupResultPortfolioItems.portfolioItemId))
      .innerJoin(schema.groupTasks, eq(schema.groupTasks.id, schema.groupResultPortfolioItems.taskId))
      .innerJoin(schema.groups, eq(schema.groups.id, schema.groupTasks.groupId));
  let changed = 0;
  await db().transaction(
    async (tx) => {
      for (const { item, groupName } of copies) {
        const doc = item.descriptionJson as RichDoc;
        const paragraphs = doc.content ?? [];
        type Node = { type?: string; content?: Node[]; text?: string };
        const last = paragraphs.at(-1) as Node | undefined;
        const lastText = last?.type === "paragraph" && last.content?.length === 1 && last.content[0]!.type === "text" ? (last.content[0]!.text ?? "") : null;
        const namedCredit = lastText !== null && lastText.startsWith(`${groupName} · `);
        if (item.visibility !== "public" && !namedCredit) continue;
        const description: RichDoc = namedCredit ? { ...doc, content: [...paragraphs.slice(0, -1), { type: "paragraph", content: [{ type: "text", text: groupName }] }] } : doc;
        await tx.update(schema.portfolioItems)
                  .set({ visibility: item.visibility === "public" ? "school" : item.visibility, descriptionJson: description, descriptionHtml: renderRichText(description), version: item.version + 1 })
                  .where(eq(schema.portfolioItems.id, item.id));
        changed++;
      }
    },
    { behavior: "immediate" },
  );
  return changed;
}
