import Image from "@tiptap/extension-image";
import { EditorContent, useEditor, type Editor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Problem } from "./FormBits";

type Props = { name: string; label: string; hint?: string; error?: Problem; initialJson?: unknown; initialText?: string };

function startingContent(initialJson: unknown, initialText: string): object | string {
  let json = initialJson;
  if (typeof json === "string" && json.trim()) {
    try {
      json = JSON.parse(json);
    } catch {
      json = null;
    }
  }
  if (json && typeof json === "object" && (json as { type?: unknown }).type === "doc") return json;
  // Plain text becomes paragraphs, as the server reads the textarea.
  const paragraphs = initialText
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n+/)
    .filter((p) => p.trim());
  return {
    type: "doc",
    content: paragraphs.map((p) => ({
      type: "paragraph",
      content: p.split("\n").flatMap((line, i) => [...(i ? [{ type: "hardBreak" }] : []), ...(line ? [{ type: "text", text: line }] : [])]),
    })),
  };
}

/** The tiptap editor behind RichTextField; loaded lazily, only in the browser. */
export default function RichTextEditor({ name, label, hint, error, initialJson, initialText = "" }: Props) {
  const { t } = useTranslation("blog");
  const id = `f-${name}`;
  const [json, setJson] = useState("");
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const editor = useEditor({
    immediatelyRender: false,
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        codeBlock: false,
        underline: false,
        link: { openOnClick: false, autolink: true, protocols: ["mailto"], isAllowedUri: (url) => /^(https?:|mailto:)/i.test(url) },
      }),
      Image.configure({ inline: false, allowBase64: false }),
    ],
    content: startingContent(initialJson, initialText),
    editorProps: {
      attributes: { id, class: "rich-editor-area", role: "textbox", "aria-multiline": "true", "aria-label": label, ...(error ? { "aria-invalid": "true" } : {}) },
      // A pasted or dropped picture would become a data: URL; pictures go through the upload instead.
      handleDrop: (_view, event) => Boolean(event.dataTransfer?.files?.length),
    },
    onCreate: ({ editor }) => setJson(JSON.stringify(editor.getJSON())),
    onUpdate: ({ editor }) => setJson(JSON.stringify(editor.getJSON())),
  });

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
      editor.chain().focus().setImage({ src: answer.url, alt: answer.name ?? "" }).run();
    } catch {
      setUploadError(t("editor.uploadFailed"));
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = "";
    }
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
      {editor ? <Toolbar editor={editor} onLink={setLink} onImage={() => fileInput.current?.click()} uploading={uploading} /> : null}
      <EditorContent editor={editor} className="rich-editor" />
      <input type="hidden" name={`${name}Json`} value={json} />
      <input ref={fileInput} type="file" accept="image/*" hidden tabIndex={-1} aria-label={t("editor.image")} onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} />
      {uploadError ? (
        <p className="error" role="alert">
          {uploadError}
        </p>
      ) : null}
      {error ? <p className="error">{t(error.key, error.params)}</p> : null}
    </div>
  );
}

function Toolbar({ editor, onLink, onImage, uploading }: { editor: Editor; onLink: () => void; onImage: () => void; uploading: boolean }) {
  const { t } = useTranslation("blog");
  const button = (key: string, active: boolean, run: () => void, content: ReactNode) => (
    <button type="button" key={key} className={active ? "active" : undefined} aria-pressed={active} title={t(`editor.${key}`)} aria-label={t(`editor.${key}`)} onClick={run}>
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
      <button type="button" className="rich-image" title={t("editor.image")} aria-label={t("editor.image")} onClick={onImage} disabled={uploading}>
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
    </div>
  );
}
