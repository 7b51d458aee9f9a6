import Image from "@tiptap/extension-image";
import { EditorContent, useEditor, type Editor, type JSONContent } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect, useMemo, useRef, useState, type MouseEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Problem } from "./FormBits";

type Props = {
  name: string;
  label: string;
  hint?: string;
  error?: Problem;
  initialJson?: unknown;
  initialText?: string;
  /** The plain textarea the editor replaces, while it is still in the page. */
  typedBox?: () => HTMLTextAreaElement | null;
  /** Called once the editor holds what the textarea held, so the textarea can go. */
  onTakeOver?: () => void;
};

type Doc = JSONContent & { type: "doc" };

function parsedDoc(json: unknown): Doc | null {
  let parsed = json;
  if (typeof parsed === "string") {
    if (!parsed.trim()) return null;
    try {
      parsed = JSON.parse(parsed);
    } catch {
      return null;
    }
  }
  return parsed && typeof parsed === "object" && (parsed as { type?: unknown }).type === "doc" ? (parsed as Doc) : null;
}

/** Plain text split as the server reads the textarea: blank lines part paragraphs; `start` is each one's offset. */
function paragraphsOf(text: string): { start: number; text: string }[] {
  const paragraphs: { start: number; text: string }[] = [];
  const blankLines = /\n[ \t]*\n+/g;
  let start = 0;
  for (let gap = blankLines.exec(text); ; gap = blankLines.exec(text)) {
    const end = gap ? gap.index : text.length;
    if (text.slice(start, end).trim()) paragraphs.push({ start, text: text.slice(start, end) });
    if (!gap) return paragraphs;
    start = gap.index + gap[0].length;
  }
}

export function docOfText(text: string): Doc {
  return {
    type: "doc",
    content: paragraphsOf(text).map((p) => ({
      type: "paragraph",
      content: p.text.split("\n").flatMap((line, i) => [...(i ? [{ type: "hardBreak" }] : []), ...(line ? [{ type: "text", text: line }] : [])]),
    })),
  };
}

/**
 * Where a textarea offset lands in docOfText(text). A paragraph's content is as long as its text (a hard
 * break, like "\n", is one position; both count UTF-16 units), and each paragraph adds an opening and a
 * closing position; an offset inside a blank-line gap goes to the end of the paragraph before it.
 */
export function positionOfOffset(text: string, offset: number): number {
  let position = 0;
  let caret = 1;
  for (const p of paragraphsOf(text)) {
    if (offset < p.start) break;
    caret = position + 1 + Math.min(offset - p.start, p.text.length);
    position += p.text.length + 2;
  }
  return caret;
}

type Adopted = { doc: Doc; caret: number | "end"; text: string };

/**
 * What the editor starts from. The textarea's current text wins (typed before or during loading, or a
 * restored draft); a rich document (stored, or a restored draft's) only while the textarea still shows
 * exactly the text that came with it, since plain text cannot carry its formatting.
 */
function adopt(box: HTMLTextAreaElement | null, initialJson: unknown, initialText: string): Adopted {
  const text = (box?.value ?? initialText).replace(/\r\n?/g, "\n");
  const draftJson = box?.dataset.draftJson;
  const richDoc = draftJson !== undefined && box?.dataset.draftText === box?.value ? parsedDoc(draftJson) : text === initialText.replace(/\r\n?/g, "\n") ? parsedDoc(initialJson) : null;
  if (richDoc) return { doc: richDoc, caret: "end", text };
  return { doc: docOfText(text), caret: positionOfOffset(text, box?.selectionStart ?? text.length), text };
}

const extensions = [
  StarterKit.configure({
    heading: { levels: [2, 3, 4] },
    codeBlock: false,
    underline: false,
    link: { openOnClick: false, autolink: true, protocols: ["mailto"], isAllowedUri: (url) => /^(https?:|mailto:)/i.test(url) },
  }),
  Image.configure({ inline: false, allowBase64: false }),
];

/** The tiptap editor behind RichTextField; loaded lazily, only in the browser. */
export default function RichTextEditor({ name, label, hint, error, initialJson, initialText = "", typedBox, onTakeOver }: Props) {
  const { t } = useTranslation("blog");
  const id = `f-${name}`;
  const [json, setJson] = useState("");
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [imageSelected, setImageSelected] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const jsonInput = useRef<HTMLInputElement>(null);
  // Read once, while the textarea is still there. Every option below is stable across renders: tiptap's
  // useEditor re-applies changed options to the live view on each render (setOptions → updateState),
  // and doing that after each keystroke's onUpdate moved the caret back while typing.
  const [adopted] = useState(() => adopt(typedBox?.() ?? null, initialJson, initialText));
  // The handlers below are fixed once (see above); they reach the current upload through this ref.
  const uploadRef = useRef<(file: File) => Promise<void>>();
  const editorProps = useMemo(() => {
    // A pasted or dropped picture would become a data: URL; pictures go through the upload instead.
    const takeFiles = (files: FileList | null | undefined) => {
      if (!files?.length) return false;
      for (const file of Array.from(files)) if (file.type.startsWith("image/")) void uploadRef.current?.(file);
      return true;
    };
    return {
      attributes: { id, class: "rich-editor-area", role: "textbox", "aria-multiline": "true", "aria-label": label, ...(error ? { "aria-invalid": "true" } : {}) },
      handleDrop: (_view: unknown, event: DragEvent) => takeFiles(event.dataTransfer?.files),
      handlePaste: (_view: unknown, event: ClipboardEvent) => takeFiles(event.clipboardData?.files),
    };
  }, [id, label, error]);
  const editor = useEditor({
    immediatelyRender: false,
    extensions,
    content: adopted.doc,
    editorProps,
    onCreate: ({ editor }) => {
      const box = typedBox?.() ?? null;
      // Keys pressed between the first render and now still belong to the textarea.
      const now = box && box.value.replace(/\r\n?/g, "\n") !== adopted.text ? adopt(box, initialJson, initialText) : adopted;
      if (now !== adopted) editor.commands.setContent(now.doc, { emitUpdate: false });
      const hadFocus = Boolean(box && box.ownerDocument.activeElement === box);
      editor.commands.setTextSelection(now.caret === "end" ? editor.state.doc.content.size : now.caret);
      // Synchronously (tiptap's focus command waits a frame): the textarea goes on the next render, and a
      // key pressed in between would land nowhere.
      if (hadFocus) {
        if (editor.view.dom.isConnected) editor.view.focus();
        else editor.commands.focus(null, { scrollIntoView: false });
      }
      setJson(JSON.stringify(editor.getJSON()));
      onTakeOver?.();
    },
    onUpdate: ({ editor }) => setJson(JSON.stringify(editor.getJSON())),
    // The toolbar offers "describe picture" while a picture is selected: a click on one changes no content.
    onSelectionUpdate: ({ editor }) => setImageSelected(editor.isActive("image")),
  });

  // A draft restored after the editor took over arrives in the hidden input (public/form-drafts.js).
  useEffect(() => {
    const input = jsonInput.current;
    if (!input || !editor) return;
    const restore = () => {
      const doc = parsedDoc(input.value);
      if (doc) editor.commands.setContent(doc, { emitUpdate: true });
    };
    input.addEventListener("draft-restore", restore);
    return () => input.removeEventListener("draft-restore", restore);
  }, [editor]);

  // Toolbar marks and pictures change the document without an input event; tell the drafts script.
  // The first document is the one taken over, not a change.
  const firstJson = useRef(true);
  useEffect(() => {
    if (!json) return;
    if (firstJson.current) firstJson.current = false;
    else jsonInput.current?.dispatchEvent(new Event("rich-text-change", { bubbles: true }));
  }, [json]);

  async function upload(file: File) {
    if (!editor) return;
    setUploadError(null);
    setUploading(true);
    try {
      const body = new FormData();
      body.append("file", file);
      const response = await fetch("/files", { method: "POST", body, headers: { Accept: "application/json" } });
      const answer = (await response.json().catch(() => ({}))) as { url?: string; name?: string; error?: string };
      if (!response.ok || !answer.url) {
        setUploadError(answer.error ?? t("editor.uploadFailed"));
        return;
      }
      // Never the file name ("IMG_2024.jpg", "image.png"): that describes nothing. The writer is asked
      // for a description; none leaves the alt empty (the server drops file names too).
      const described = window.prompt(t("editor.altPrompt"), "");
      editor.chain().focus().setImage({ src: answer.url, alt: described?.trim() ?? "" }).run();
      // The picture is left selected when nothing follows it, and the next picture pasted would replace
      // it: the caret goes on after it (into a new paragraph at the end).
      const { selection, doc } = editor.state;
      if (!selection.empty && editor.isActive("image")) {
        const after = selection.to;
        if (after >= doc.content.size) editor.chain().insertContentAt(after, { type: "paragraph" }).setTextSelection(after + 1).run();
        else editor.commands.setTextSelection(after + 1);
      }
    } catch {
      setUploadError(t("editor.uploadFailed"));
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = "";
    }
  }

  // After each render: the editor's paste and drop handlers then upload with this render's editor.
  useEffect(() => {
    uploadRef.current = upload;
  });

  function describeImage() {
    if (!editor || !editor.isActive("image")) return;
    const previous = (editor.getAttributes("image").alt as string | undefined) ?? "";
    const described = window.prompt(t("editor.altPrompt"), previous);
    if (described === null) return;
    editor.chain().focus().updateAttributes("image", { alt: described.trim() }).run();
  }

  function setLink() {
    if (!editor) return;
    const previous = (editor.getAttributes("link").href as string | undefined) ?? "https://";
    const url = window.prompt(t("editor.linkPrompt"), previous);
    if (url === null) return;
    if (url.trim() === "") editor.chain().focus().extendMarkRange("link").unsetLink().run();
    else editor.chain().focus().extendMarkRange("link").setLink({ href: url.trim() }).run();
  }

  return (
    <div className={error ? "field has-error rich-field" : "field rich-field"}>
      <label htmlFor={id} onClick={() => editor?.commands.focus()}>
        {label}
      </label>
      {hint ? <p className="hint">{hint}</p> : null}
      {editor ? <Toolbar editor={editor} onLink={setLink} onImage={() => fileInput.current?.click()} onDescribe={describeImage} imageSelected={imageSelected} uploading={uploading} /> : null}
      <EditorContent editor={editor} className="rich-editor" />
      <input ref={jsonInput} type="hidden" name={`${name}Json`} value={json} />
      <input ref={fileInput} type="file" accept="image/*" hidden tabIndex={-1} aria-label={t("editor.image")} onChange={async (e) => e.target.files?.[0] && await upload(e.target.files[0])} />
      {uploadError ? (
        <p className="error" role="alert">
          {uploadError}
        </p>
      ) : null}
      {error ? <p className="error">{t(error.key, error.params)}</p> : null}
    </div>
  );
}

// A click on a toolbar button must not take the focus from the editor: chain().focus() would then give
// it back a frame later (tiptap focuses in requestAnimationFrame) and put the caret back where it was
// before any key typed in that frame, so after Bold, "花开得真好" came out as "开得真好…花".
const keepEditorFocus = (event: MouseEvent) => event.preventDefault();

function Toolbar({ editor, onLink, onImage, onDescribe, imageSelected, uploading }: { editor: Editor; onLink: () => void; onImage: () => void; onDescribe: () => void; imageSelected: boolean; uploading: boolean }) {
  const { t } = useTranslation("blog");
  const button = (key: string, active: boolean, run: () => void, content: ReactNode) => (
    <button type="button" key={key} className={active ? "active" : undefined} aria-pressed={active} title={t(`editor.${key}`)} aria-label={t(`editor.${key}`)} onMouseDown={keepEditorFocus} onClick={run}>
      {content}
    </button>
  );
  const chain = () => editor.chain().focus();
  return (
    <div className="rich-toolbar" role="toolbar" aria-label={t("editor.toolbar")}>
      {button("heading2", editor.isActive("heading", { level: 2 }), () => chain().toggleHeading({ level: 2 }).run(), "H2")}
      {button("heading3", editor.isActive("heading", { level: 3 }), () => chain().toggleHeading({ level: 3 }).run(), "H3")}
      {button("bold", editor.isActive("bold"), () => chain().toggleBold().run(), <strong>B</strong>)}
      {button("italic", editor.isActive("italic"), () => chain().toggleItalic().run(), <em>I</em>)}
      {button("bulletList", editor.isActive("bulletList"), () => chain().toggleBulletList().run(), "•")}
      {button("orderedList", editor.isActive("orderedList"), () => chain().toggleOrderedList().run(), "1.")}
      {button("quote", editor.isActive("blockquote"), () => chain().toggleBlockquote().run(), "❝")}
      {button(
        "link",
        editor.isActive("link"),
        onLink,
        <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1" />
          <path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
        </svg>,
      )}
      <button type="button" className="rich-image" title={t("editor.image")} aria-label={t("editor.image")} onMouseDown={keepEditorFocus} onClick={onImage} disabled={uploading}>
        {uploading ? (
          "…"
        ) : (
          <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round">
            <rect x="3" y="4" width="18" height="16" rx="2" />
            <circle cx="9" cy="10" r="2" />
            <path d="M21 17l-5-5-9 8" />
          </svg>
        )}
      </button>
      {/* Shown while a picture is selected: what it shows, for those who cannot see it. */}
      {imageSelected ? (
        <button type="button" className="rich-describe" onMouseDown={keepEditorFocus} onClick={onDescribe}>
          {t("editor.describeImage")}
        </button>
      ) : null}
    </div>
  );
}
