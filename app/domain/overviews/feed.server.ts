// The home feed: new published posts and portfolio items from the spaces a person follows and from
// their classes (classmates and the classes' teachers), newest first, by cursor. Every entry passes
// visibility.server's canSee for this reader, and its capability must be open for its owner.
import { sql } from "drizzle-orm";
import { selectRows } from "#db/client";
import type { PortfolioKind, Visibility } from "#db/schema";
import { requireSignedIn, type Actor } from "../foundation/actor.server";
import { ValidationError } from "../foundation/errors.server";
import { followedIds } from "./follows.server";
import type { FlagKey } from "../rollout/flags.server";
import { ownerFeatureOpen } from "../spaces/profiles.server";
import { ownersWithFeature } from "../spaces/spaces.server";
import { canSee, readerFor } from "../rollout/visibility.server";

export const FEED_PAGE_SIZE = 20;
// Rows read per scan: some rows are for other audiences, so a page may need more than one scan.
const SCAN = 100;

export type FeedEntry = {
  type: "post" | "portfolio_item";
  id: string;
  title: string;
  excerpt: string;
  kind: PortfolioKind | null;
  at: Date;
  author: { handle: string; realName: string };
};

/** A position in the feed: the (time, id) of the last entry shown; stable while new entries arrive. */
type Cursor = { at: number; id: string };

export function encodeCursor(c: Cursor): string {
  return `${c.at}_${c.id}`;
}

export function decodeCursor(raw: string | null | undefined): Cursor | null {
  if (!raw) return null;
  const m = /^(\d{1,15}(?:\.\d{1,9})?)_([a-z0-9]{1,40})$/.exec(raw);
  if (!m) throw new ValidationError({ cursor: { key: "social:cursorInvalid" } });
  return { at: Number(m[1]), id: m[2]! };
}

type Row = { type: "post" | "portfolio_item"; id: string; owner_id: string; school_id: string | null; visibility: Visibility; approval: "none" | "approved"; at: number };

/** The feed's sources: followed spaces and everyone sharing a current class with the reader. */
async function sourcesOf(actor: Actor): Promise<string[]> {
  const me = requireSignedIn(actor);
  const ids = new Set([...await followedIds(me), ...await readerFor(me).classmates()]);
  ids.delete(me.id);
  return [...ids];
}

async function scan(sources: string[], after: Cursor | null, limit: number): Promise<Row[]> {
  const owners = sql.join(
    sources.map((id) => sql`${id}`),
    sql`, `,
  );
  const older = (at: ReturnType<typeof sql>, id: ReturnType<typeof sql>) => (after ? sql`and (${at} < ${after.at} or (${at} = ${after.at} and ${id} < ${after.id}))` : sql``);
  return selectRows<Row>(sql`
    select * from (
      select 'post' as type, p.id, p.author_id as owner_id, p.school_id, p.visibility, p.approval, p.published_at as at
        from posts p
       where p.author_id in (${owners}) and p.status = 'published' and p.published_at is not null
         and p.approval in ('none', 'approved') ${older(sql`p.published_at`, sql`p.id`)}
      union all
      select 'portfolio_item', i.id, i.owner_id, i.school_id, i.visibility, 'none', i.created_at
        from portfolio_items i
       where i.owner_id in (${owners}) ${older(sql`i.created_at`, sql`i.id`)}
    ) entries
    order by at desc, id desc
    limit ${limit}`);
}

/**
 * One page of the actor's feed after `cursor` (null: the newest). `nextCursor` is null on the last page.
 * The reader's relations are computed once (readerFor) and reused for every entry.
 */
export async function feed(actor: Actor, cursor: string | null = null, limit = FEED_PAGE_SIZE): Promise<{ entries: FeedEntry[]; nextCursor: string | null }> {
  const me = requireSignedIn(actor);
  return entriesFrom(me, await sourcesOf(me), cursor, limit);
}

/**
 * The newest published posts of the given people that the reader may see (the class space's "recent
 * posts" of its students): the feed's own scan and visibility checks, narrowed to posts.
 */
export async function recentPostsFrom(actor: Actor, authorIds: string[], limit: number): Promise<FeedEntry[]> {
  const me = requireSignedIn(actor);
  return (await entriesFrom(me, authorIds, null, limit, "post")).entries;
}

async function entriesFrom(
  me: NonNullable<Actor>,
  sources: string[],
  cursor: string | null,
  limit: number,
  only?: Row["type"],
): Promise<{ entries: FeedEntry[]; nextCursor: string | null }> {
  if (!sources.length) return { entries: [], nextCursor: null };
  // Each page of rows asks about its owners at once (flags, open spaces): no statement per entry.
  const open = new Map<string, boolean>();
  const reader = readerFor(me);
  const knowOwners = async (rows: Row[]) => {
    const ids = [...new Set(rows.map((r) => r.owner_id))].filter((id) => !open.has(`${id}:blog`));
    if (!ids.length) return;
    const blog = await ownersWithFeature(ids, "blog");
    const portfolio = only === "post" ? new Set<string>() : await ownersWithFeature(ids, "portfolio");
    for (const id of ids) {
      open.set(`${id}:blog`, blog.has(id));
      if (only !== "post") open.set(`${id}:portfolio`, portfolio.has(id));
    }
    await reader.knowOwners(ids);
  };
  const featureOpen = async (ownerId: string, key: FlagKey) => {
    const k = `${ownerId}:${key}`;
    if (!open.has(k)) open.set(k, await ownerFeatureOpen(ownerId, key));
    return open.get(k)!;
  };
  const shown: Row[] = [];
  let after = decodeCursor(cursor);
  let more = false;
  for (;;) {
    const rows = await scan(sources, after, SCAN);
    await knowOwners(rows);
    for (const row of rows) {
      if (only && row.type !== only) continue;
      if (!await featureOpen(row.owner_id, row.type === "post" ? "blog" : "portfolio")) continue;
      if (!await canSee(me, { ownerId: row.owner_id, schoolId: row.school_id, visibility: row.visibility, approval: row.approval })) continue;
      if (shown.length === limit) {
        more = true;
        break;
      }
      shown.push(row);
    }
    if (more || rows.length < SCAN) break;
    const last = rows[rows.length - 1]!;
    after = { at: last.at, id: last.id };
  }
  return { entries: await details(shown), nextCursor: more && shown.length ? encodeCursor({ at: shown[shown.length - 1]!.at, id: shown[shown.length - 1]!.id }) : null };
}

async function details(rows: Row[]): Promise<FeedEntry[]> {
  if (!rows.length) return [];
  const list = (ids: string[]) =>
    sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
  const postIds = rows.filter((r) => r.type === "post").map((r) => r.id);
  const itemIds = rows.filter((r) => r.type === "portfolio_item").map((r) => r.id);
  // Titles and authors of both kinds in one statement.
  const parts = [
    ...(postIds.length ? [sql`select 'post' as type, p.id, p.title, p.excerpt, null as kind, u.handle, u.real_name from posts p join users u on u.id = p.author_id where p.id in (${list(postIds)})`] : []),
    ...(itemIds.length ? [sql`select 'portfolio_item' as type, i.id, i.title, '' as excerpt, i.kind, u.handle, u.real_name from portfolio_items i join users u on u.id = i.owner_id where i.id in (${list(itemIds)})`] : []),
  ];
  const found = new Map(
    (await selectRows<{ type: Row["type"]; id: string; title: string; excerpt: string; kind: PortfolioKind | null; handle: string; real_name: string }>(sql.join(parts, sql` union all `)))
      .map((d) => [`${d.type}:${d.id}`, d]),
  );
  return rows.flatMap((r) => {
    const d = found.get(`${r.type}:${r.id}`);
    if (!d) return [];
    return [{ type: r.type, id: r.id, title: d.title, excerpt: d.excerpt, kind: d.kind, at: new Date(r.at), author: { handle: d.handle, realName: d.real_name } }];
  });
}
