import { lazy, Suspense, useSyncExternalStore } from "react";
import { TextAreaField, type Problem } from "./FormBits";

// The editor (tiptap + ProseMirror, ~100 KB compressed) is fetched only after hydration, so it lands in
// its own chunk: pages that only show rich text never load it, and without JavaScript the textarea posts.
const RichTextEditor = lazy(() => import("./RichTextEditor.client"));

export type RichTextFieldProps = {
  name: string;
  label: string;
  /** The stored tiptap document (for editing); the editor starts from it. */
  initialJson?: unknown;
  /** The same content as plain text, for the textarea without JavaScript. */
  initialText?: string;
  error?: Problem;
  hint?: string;
  rows?: number;
};

const noSubscription = () => () => {};

/**
 * A rich-text field: a plain textarea named `name` when served (and without JavaScript); once hydrated
 * on a route with `handle.hydrate`, the tiptap editor, which keeps a hidden `<name>Json` input in sync.
 */
export function RichTextField({ name, label, initialJson, initialText = "", error, hint, rows = 12 }: RichTextFieldProps) {
  // false while serving and while hydrating (so the markup matches), true once the page is live.
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  const textarea = <TextAreaField name={name} label={label} hint={hint} error={error} rows={rows} defaultValue={initialText} />;
  if (!hydrated) return textarea;
  return (
    <Suspense fallback={textarea}>
      <RichTextEditor name={name} label={label} hint={hint} error={error} initialJson={initialJson} initialText={initialText} />
    </Suspense>
  );
}

