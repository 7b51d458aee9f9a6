// Plain text that people type and others read (titles, names, comments, bios) passes through here.

/**
 * Direction controls: embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069), the
 * left-to-right / right-to-left marks (U+200E, U+200F) and the Arabic letter mark (U+061C). None of
 * the product's scripts needs them, and in a title or comment they make text display other than it
 * reads (a U+202E turns "gpj.exe" into "exe.jpg"). File names drop them too (files.server.ts).
 * The C0 control characters other than tab and line breaks go too: nobody types them, and PostgreSQL's
 * text cannot hold U+0000.
 */
// eslint-disable-next-line no-control-regex
const DIRECTION_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The text without direction controls, for every plain-text field shown to others. */
export function withoutDirectionControls(text: string): string {
  return text.replace(DIRECTION_CONTROLS, "");
}
