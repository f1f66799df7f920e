// A Markdown text area with a small toolbar (bold, italic, link, list,
// image with alt text) and a reminder of the syntax. The public site renders
// the Markdown; the editor's preview shows exactly that rendering.
import { useId, useRef, useState } from "react";
import { MediaPicker } from "./MediaPicker";

type Props = { label: string; value: string; onChange: (v: string) => void; error?: string; name?: string; rows?: number; required?: boolean };

export function MarkdownField(p: Props) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const [imaging, setImaging] = useState(false);
  const [image, setImage] = useState<{ url: string; alt: string } | null>(null);

  /** Wraps the selection (or a placeholder) in before/after and selects the inner text. */
  function wrap(before: string, after: string, placeholder: string) {
    const el = area.current!;
    const { selectionStart: a, selectionEnd: b, value } = el;
    const inner = value.slice(a, b) || placeholder;
    p.onChange(value.slice(0, a) + before + inner + after + value.slice(b));
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(a + before.length, a + before.length + inner.length);
    });
  }
  /** Inserts a block (an image) as its own paragraph, after the paragraph holding the cursor. */
  function insertBlock(text: string) {
    const el = area.current!;
    const end = el.value.indexOf("\n\n", el.selectionEnd);
    const at = end < 0 ? el.value.length : end;
    const before = el.value.slice(0, at).replace(/\s+$/, "");
    p.onChange((before ? before + "\n\n" : "") + text + el.value.slice(at));
    requestAnimationFrame(() => el.focus());
  }
  const list = () => {
    const el = area.current!;
    const { selectionStart: a, selectionEnd: b, value } = el;
    const start = value.lastIndexOf("\n", a - 1) + 1;
    const lines = value.slice(start, b).split("\n").map((l) => (l.startsWith("- ") ? l : "- " + l)).join("\n");
    p.onChange(value.slice(0, start) + lines + value.slice(b));
    requestAnimationFrame(() => el.focus());
  };

  return (
    <div className={p.error ? "field invalid markdown" : "field markdown"}>
      <span className="label-row"><label htmlFor={id}>{p.label}</label>{p.required && <span className="req" aria-hidden="true">*</span>}<small className="muted">Markdown</small></span>
      <div className="md-toolbar" role="toolbar" aria-label={`${p.label} formatting`}>
        <button type="button" onClick={() => wrap("**", "**", "bold text")} aria-label="Bold"><b>B</b></button>
        <button type="button" onClick={() => wrap("_", "_", "italic text")} aria-label="Italic"><i>I</i></button>
        <button type="button" onClick={() => wrap("[", "](https://)", "link text")} aria-label="Link">Link</button>
        <button type="button" onClick={list} aria-label="Bulleted list">• List</button>
        <button type="button" onClick={() => setImaging(!imaging)} aria-expanded={imaging} aria-label="Image">Image</button>
      </div>
      <textarea id={id} ref={area} name={p.name} rows={p.rows ?? 4} value={p.value} aria-invalid={p.error ? true : undefined}
        aria-required={p.required || undefined} aria-describedby={p.error ? id + "-error" : id + "-help"} onChange={(e) => p.onChange(e.target.value)}
        onKeyDown={(e) => {
          if (!(e.ctrlKey || e.metaKey)) return;
          if (e.key === "b") { e.preventDefault(); wrap("**", "**", "bold text"); }
          if (e.key === "i") { e.preventDefault(); wrap("_", "_", "italic text"); }
        }} />
      {p.error && <small id={id + "-error"} className="error" role="alert">{p.error}</small>}
      {imaging && (
        <div className="md-image" role="group" aria-label="Insert an image">
          <MediaPicker onPick={(url, m) => setImage({ url, alt: image?.alt || m.original_name.replace(/\.[a-z]+$/i, "").replace(/[-_]+/g, " ") })} />
          {image && (
            <>
              <img src={image.url} alt="" width={96} />
              <label>Alt text (what the image shows, for people who can't see it)
                <input value={image.alt} onChange={(e) => setImage({ ...image, alt: e.target.value })} />
              </label>
              <button type="button" disabled={!image.alt.trim()} onClick={() => {
                insertBlock(`![${image.alt.trim().replace(/[[\]]/g, "")}](${image.url})`);
                setImage(null);
                setImaging(false);
              }}>Insert image</button>
            </>
          )}
        </div>
      )}
      <details className="md-help" id={id + "-help"}>
        <summary>Markdown help</summary>
        <ul>
          <li><code>**bold**</code>, <code>_italic_</code></li>
          <li><code>[text](https://example.com)</code> for a link</li>
          <li><code>- item</code> on its own line for a list; a blank line between paragraphs</li>
          <li><code>![alt text](/media/…)</code> for an image: always describe it</li>
        </ul>
      </details>
    </div>
  );
}
