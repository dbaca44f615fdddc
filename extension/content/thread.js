/*
 * Reading the visible conversation around a compose box: the messages of the open Gmail thread, or the
 * last messages of the open Chatwork room, as [{text, author, me}] (oldest first) for the server's
 * `thread`. Every selector comes from content/selectors.js; reading never changes the page.
 */
(() => {
  "use strict";
  const ns = (globalThis.hishoTone = globalThis.hishoTone || {});

  // One limit end to end (common/messages.js): 10 messages × 2,000 characters stays within what the server
  // accepts (50 messages, 5,000 characters each, 20,000 in all).
  const { messages: MAX_MESSAGES, messageChars: MAX_MESSAGE_CHARS, authorChars: MAX_AUTHOR_CHARS } = ns.THREAD_LIMITS;
  const NBSP = /\u00a0/g;

  /** Plain text of `element` without the parts matching `excluded` (read from a clone). */
  function cleanText(element, excluded) {
    const clone = element.cloneNode(true);
    for (const el of ns.queryAll(clone, excluded)) el.remove();
    return ns.textOf(clone);
  }

  /** At most `limit` code units, never ending inside a surrogate pair; well-formed Unicode throughout. */
  function clip(text, limit) {
    let out = text.replace(NBSP, " ").trim().toWellFormed();
    if (out.length > limit) {
      out = out.slice(0, limit);
      if (/[\ud800-\udbff]$/.test(out)) out = out.slice(0, -1);
    }
    return out;
  }

  /** Whether `node` comes before `editor` in the page (a message above the reply box). */
  function before(node, editor) {
    return !node.contains(editor) && !!(node.compareDocumentPosition(editor) & Node.DOCUMENT_POSITION_FOLLOWING);
  }

  // --- Gmail ------------------------------------------------------------------------------------

  /** The conversation view a Gmail compose box answers, or null for a new email. */
  function gmailScope(site, editor) {
    const t = site.thread;
    for (const selector of t.scopes) {
      const inside = editor.closest(selector);
      if (inside) return inside;
    }
    // A pop-out reply names its thread; read the view only if it shows that very thread.
    let box = null;
    for (const selector of site.containers) {
      box = editor.closest(selector);
      if (box && ns.queryFirst(box, t.replyThreadInputs)) break;
      box = null;
    }
    const input = box && ns.queryFirst(box, t.replyThreadInputs);
    const threadId = input && input.value ? input.value.replace(/^#/, "") : "";
    if (!threadId) return null;
    const subject = ns.queryFirst(document, t.subjects);
    if (!subject || subject.getAttribute(t.subjectThreadId) !== threadId) return null;
    return ns.queryFirst(document, t.scopes);
  }

  function gmailMessages(site, editor) {
    const t = site.thread;
    const scope = gmailScope(site, editor);
    if (!scope) return null;
    let nodes = ns.queryAll(scope, t.messages);
    if (!nodes.length) nodes = ns.queryAll(scope, t.messageFallbacks).filter((node) => ns.queryFirst(node, t.bodies));
    nodes = [...new Set(nodes)].sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    if (scope.contains(editor)) nodes = nodes.filter((node) => before(node, editor));
    const titleMatch = t.accountInTitle.exec(document.title);
    const account = titleMatch ? titleMatch[1].toLowerCase() : null;
    const out = [];
    for (const node of nodes) {
      const body = ns.queryFirst(node, t.bodies);
      const snippet = body ? null : ns.queryFirst(node, t.snippets);
      const text = body ? cleanText(body, site.excluded) : snippet ? snippet.textContent : "";
      if (!text.trim()) continue;
      const sender = ns.queryFirst(node, t.senders);
      const email = sender ? (sender.getAttribute(t.senderEmail) || "").toLowerCase() : "";
      const author = (sender && (sender.getAttribute(t.senderName) || sender.textContent.trim())) || email;
      out.push({ text, author, me: !!account && email === account });
    }
    return out;
  }

  // --- Chatwork ---------------------------------------------------------------------------------

  /** The first element matching `selectors` under `node` that is not inside a part listed in `notSender`. */
  function senderPart(node, selectors, notSender) {
    const inside = (el, selector) => {
      const part = el.closest(selector);
      return !!part && node.contains(part);
    };
    return ns.queryAll(node, selectors).find((el) => !notSender.some((selector) => inside(el, selector))) || null;
  }

  /** The signed-in user's Chatwork account id, as content/page_account.js publishes it; null when unknown. */
  function chatworkAccount(site) {
    const t = site.thread;
    document.dispatchEvent(new CustomEvent(t.accountRequest)); // answered synchronously in the page's world
    const id = document.documentElement.getAttribute(t.accountAttribute) || "";
    return /^\d{1,20}$/.test(id) ? id : null;
  }

  function chatworkMessages(site) {
    const t = site.thread;
    const timeline = ns.queryFirst(document, t.scopes);
    if (!timeline) return null;
    const account = chatworkAccount(site);
    const out = [];
    let previous = { author: "", id: "" }; // consecutive posts show no speaker: they keep the last one
    for (const node of ns.queryAll(timeline, t.messages)) {
      if (node.matches(t.deleted)) continue;
      const find = (selectors, fallbacks) => senderPart(node, selectors, t.notSender) || senderPart(node, fallbacks, t.notSender);
      const nameEl = find(t.senderNames, t.senderNameFallbacks);
      const avatar = find(t.senderAvatars, t.senderAvatarFallbacks);
      const idEl = find(t.senderIds, t.senderIdFallbacks);
      const ownId = idEl ? idEl.getAttribute(t.senderId) || "" : "";
      let author = (nameEl && nameEl.textContent.trim()) || (avatar && avatar.getAttribute("alt").trim()) || "";
      const continued = !ownId && (!author || author === previous.author); // a consecutive post
      if (!author) author = continued ? previous.author : `#${ownId}`;
      const id = ownId || (continued ? previous.id : "");
      // Mine: the sender's account id is the user's own; the legacy "mine" class only when the page gives no id.
      const mine = account ? id === account : ns.matchesAny(node, t.mine);
      previous = { author, id };
      const body = ns.queryFirst(node, t.bodies);
      const text = body ? cleanText(body, t.excludedInBody) : "";
      if (!text.trim()) continue;
      out.push({ text, author, me: mine });
    }
    return out;
  }

  /**
   * For the self-check: true when the page should show a conversation for `editor` (null: none tracked)
   * but its selectors find none — Chatwork's timeline, or the messages of the Gmail thread a reply sits in.
   */
  function threadMissing(site, editor) {
    const t = site.thread;
    if (!t) return false;
    if (site.id === "chatwork") {
      if (!ns.expectsEditor(site)) return false;
      const timeline = ns.queryFirst(document, t.scopes);
      // An empty room has no messages; a timeline with content and no message we can read is a mismatch.
      return !timeline || (timeline.childElementCount > 0 && !ns.queryAll(timeline, t.messages).length);
    }
    const scope = editor && t.scopes.map((selector) => editor.closest(selector)).find(Boolean);
    if (!scope) return false; // a new email: no conversation to read
    return !ns.queryAll(scope, [...t.messages, ...t.messageFallbacks]).some((node) => before(node, editor));
  }

  /**
   * The conversation `editor` belongs to: {messages, skipped, clipped} with the latest messages, oldest first,
   * as {text, author, me}, how many older ones were left out and how many were cut to the per-message limit;
   * null when there is none to read (a new email) or the page is not shaped as expected.
   */
  function readThread(site, editor) {
    if (!site.thread) return null;
    try {
      const all = site.id === "gmail" ? gmailMessages(site, editor) : chatworkMessages(site);
      if (!all) return null;
      const latest = all.slice(-MAX_MESSAGES);
      const clipped = latest.filter((m) => m.text.trim().length > MAX_MESSAGE_CHARS).length;
      const messages = latest
        .map((m) => ({ text: clip(m.text, MAX_MESSAGE_CHARS), author: clip(m.author, MAX_AUTHOR_CHARS), me: m.me }))
        .filter((m) => m.text);
      return { messages, skipped: all.length - latest.length, clipped };
    } catch (_) {
      return null; // the app changed its page: judge the draft alone rather than break the badge
    }
  }

  ns.readThread = readThread;
  ns.threadMissing = threadMissing;
  ns.clipText = clip;
})();
