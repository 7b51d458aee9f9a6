import { lazy, Suspense, useCallback, useState, useSyncExternalStore } from "react";
import { TextAreaField, type Problem } from "./FormBits";

// The editor (tiptap + ProseMirror, ~100 KB compressed) is fetched only after hydration, so it lands in
// its own chunk: pages that only show rich text never load it, and without JavaScript the textarea posts.
const RichTextEditor = lazy(async () => import("./RichTextEditor.client"));

export type RichTextFieldProps = {
  name: string;
  label: string;
  /** The stored tiptap document (for editing); the editor starts from it. */
  initialJson?: unknown;
  /** The same content as plain text, for the textarea without JavaScript. */
  initialText?: string;
  error?: Problem;
  hint?: string;
  /** Said only beside the plain textarea (without JavaScript, or until the editor loads), e.g. how to start a paragraph there. */
  plainHint?: string;
  rows?: number;
};

const noSubscription = () => () => {};

/**
 * A rich-text field: a plain textarea named `name` when served (and without JavaScript); once hydrated
 * on a route with `handle.hydrate`, the tiptap editor, which keeps a hidden `<name>Json` input in sync.
 *
 * On a thin link the editor arrives many seconds after the textarea is usable, so the textarea stays the
 * very same element through hydration and while the editor loads (re-creating it would drop what was
 * typed), and the editor takes over from it: its text, caret and focus.
 */
export function RichTextField({ name, label, initialJson, initialText = "", error, hint, plainHint, rows = 12 }: RichTextFieldProps) {
  // false while serving and while hydrating (so the markup matches), true once the page is live.
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  const [editorTookOver, setEditorTookOver] = useState(false);
  const id = `f-${name}`;
  // Looked up by id, not by ref: TextAreaField takes no ref, and until the editor takes over its own
  // area (which gets the same id) is not in the document yet.
  const typedBox = useCallback(() => document.querySelector<HTMLTextAreaElement>(`textarea#${CSS.escape(id)}`), [id]);
  const tookOver = useCallback(() => setEditorTookOver(true), []);
  const textareaHint = [hint, plainHint].filter(Boolean).join(" ") || undefined;
  return (
    <>
      {editorTookOver ? null : <TextAreaField name={name} label={label} hint={textareaHint} error={error} rows={rows} defaultValue={initialText} />}
      {hydrated ? (
        <Suspense fallback={null}>
          <RichTextEditor name={name} label={label} hint={hint} error={error} initialJson={initialJson} initialText={initialText} typedBox={typedBox} onTakeOver={tookOver} />
        </Suspense>
      ) : null}
    </>
  );
}
