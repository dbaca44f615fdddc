/*
 * Reading the user's own draft out of a compose box, and putting text in at the caret.
 * Reading never touches the live editor: contenteditable bodies are cloned first.
 */
(() => {
  "use strict";
  const ns = (globalThis.hishoTone = globalThis.hishoTone || {});

  // Elements that start a new line when rendered (enough for what mail editors produce).
  const BLOCKS = new Set([
    "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIGURE", "FOOTER", "FORM",
    "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "MAIN", "NAV", "OL", "P", "PRE",
    "SECTION", "TABLE", "TR", "UL",
  ]);
  const SKIPPED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"]);
  const NBSP = /\u00a0/g;

  /** Plain text of a (detached) element tree: <br> and block boundaries become newlines. */
  function textOf(root) {
    const parts = [];
    let atLineStart = true;
    const push = (text) => {
      if (!text) return;
      parts.push(text);
      atLineStart = text.endsWith("\n");
    };
    const newline = () => {
      if (parts.length && !atLineStart) push("\n");
    };
    const walk = (node) => {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === Node.TEXT_NODE) {
          push(child.data);
        } else if (child.nodeType === Node.ELEMENT_NODE && !SKIPPED.has(child.tagName)) {
          if (child.tagName === "BR") {
            push("\n");
            continue;
          }
          const block = BLOCKS.has(child.tagName);
          if (block) newline();
          walk(child);
          if (block) newline();
        }
      }
    };
    walk(root);
    return parts.join("");
  }

  function isTextField(editor) {
    return editor instanceof HTMLTextAreaElement || editor instanceof HTMLInputElement;
  }

  /** The user's own words in `editor`: quoted history and signature set aside, no-break spaces normalised. */
  function readDraft(site, editor) {
    let text;
    if (isTextField(editor)) {
      text = editor.value;
    } else {
      const clone = editor.cloneNode(true);
      for (const selector of site.excluded) {
        for (const el of clone.querySelectorAll(selector)) el.remove();
      }
      text = textOf(clone);
    }
    return text.replace(NBSP, " ").trim();
  }

  /** A collapsed range just after the user's own text (before quoted history and signature). */
  function endOfOwnText(site, editor) {
    const range = document.createRange();
    const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
    let last = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.data.trim() && !ns.isExcluded(site, node, editor)) last = node;
    }
    if (last) range.setStart(last, last.data.length);
    else range.setStart(editor, 0);
    range.collapse(true);
    return range;
  }

  /**
   * Inserts `text` at `caret` (a saved Range for contenteditable, [start, end] for a textarea) as if the
   * user had typed it: through the editor's own input pipeline, so its undo stack and its framework see
   * an ordinary edit, and nothing else in the draft changes.
   */
  function insertAtCaret(site, editor, text, caret) {
    editor.focus({ preventScroll: true });
    if (isTextField(editor)) {
      const [start, end] = caret || [editor.value.length, editor.value.length];
      editor.setSelectionRange(start, end);
      if (!document.execCommand("insertText", false, text)) {
        editor.setRangeText(text, start, end, "end");
        editor.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: text }));
      }
      return;
    }
    const usable = caret && editor.contains(caret.startContainer) && !ns.isExcluded(site, caret.startContainer, editor);
    const range = usable ? caret : endOfOwnText(site, editor);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    document.execCommand("insertText", false, text);
  }

  /** The caret to remember for `editor` if the selection is inside it (else null). */
  function currentCaret(editor) {
    if (isTextField(editor)) {
      return document.activeElement === editor ? [editor.selectionStart, editor.selectionEnd] : null;
    }
    const selection = window.getSelection();
    if (!selection || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    return editor.contains(range.startContainer) && editor.contains(range.endContainer) ? range.cloneRange() : null;
  }

  ns.textOf = textOf;
  ns.readDraft = readDraft;
  ns.insertAtCaret = insertAtCaret;
  ns.currentCaret = currentCaret;
  ns.isTextField = isTextField;
})();
