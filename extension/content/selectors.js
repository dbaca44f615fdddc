/*
 * Every selector hisho-tone uses on Gmail and Chatwork, in one place.
 *
 * Prefer what the apps keep stable for their own tests and for assistive technology
 * (ids, roles, data-testid, ARIA) over generated class names; a generated class appears only
 * as the last fallback and says so. When nothing matches, callers get an empty list and the
 * extension stays quiet: no badge, no error.
 */
(() => {
  "use strict";
  const ns = (globalThis.hishoTone = globalThis.hishoTone || {});

  const SITES = Object.freeze({
    gmail: Object.freeze({
      id: "gmail",
      channel: "email",
      hosts: ["mail.google.com"],
      // The compose body, in pop-up compose dialogs and inline replies alike:
      // <div role="textbox" g_editable="true" contenteditable="true" aria-label="メッセージ本文"
      //  class="Am Al editable LW-avf tS-tW">. g_editable is Gmail's own marker for its rich-text editor;
      // seen in Gmail's compose DOM and in the selector tables of public Gmail extensions (2023-2026).
      editors: ['div[role="textbox"][g_editable="true"][contenteditable="true"]'],
      // Fallback only: the aria-label follows the Gmail UI language (ja / en).
      editorFallbacks: [
        'div[role="textbox"][contenteditable="true"][aria-label="メッセージ本文"]',
        'div[role="textbox"][contenteditable="true"][aria-label="Message Body"]',
      ],
      // Not the user's own words: quoted history (<div class="gmail_quote gmail_quote_container">
      // with <blockquote class="gmail_quote">) and the signature (<span class="gmail_signature_prefix">-- </span>
      // <br><div class="gmail_signature" data-smartmail="gmail_signature">), as Gmail writes them into the body.
      excluded: [
        ".gmail_quote",
        "blockquote",
        ".gmail_signature",
        '[data-smartmail="gmail_signature"]',
        ".gmail_signature_prefix",
      ],
      // The compose window that holds an editor: pop-up compose is a dialog; inline replies sit in a table cell.
      containers: ['[role="dialog"]', "form", "td"],
      // The send button, only to keep the badge off it: <div role="button" data-tooltip="送信 (Ctrl+Enter)"
      // aria-label="送信 (Ctrl+Enter)" class="T-I J-J5-Ji aoO v7 T-I-atl L3"> (English UI: "Send ...").
      // "T-I aoO" is Gmail's generated class (e.g. Freemindtronic/evicypher-webmail relies on it): last resort.
      sendButtons: [
        'div[role="button"][data-tooltip^="送信"]',
        'div[role="button"][data-tooltip^="Send"]',
        'div[role="button"][aria-label^="送信"]',
        'div[role="button"][aria-label^="Send"]',
        "div.T-I.aoO",
      ],
      roomChangesOnHash: false,
    }),
    chatwork: Object.freeze({
      id: "chatwork",
      channel: "chat",
      hosts: ["www.chatwork.com", "kcw.kddi.ne.jp"], // KDDI Chatwork serves the same web app
      // The message box: <textarea id="_chatText" name="chat"> inside #_chatSendArea. The id has been stable
      // since the jQuery-era UI (e.g. Rasukarusan/chatwork-tag-menu, ngiyshhk/chrome-extension) through the
      // current React app (a 2026 DOM survey of Chatwork web _v=1.80a lists #_chatText, #_timeLine).
      editors: ["textarea#_chatText"],
      editorFallbacks: [],
      excluded: [],
      containers: ["#_chatSendArea"],
      // Current UI: <button data-testid="timeline_send-message-button"> (same 2026 survey: "#_sendButton no
      // longer exists"); #_sendButton is the legacy UI's id, kept as a fallback.
      sendButtons: ['[data-testid="timeline_send-message-button"]', "#_sendButton"],
      // The room is in the hash (#!rid123) and changes without a page load.
      roomChangesOnHash: true,
    }),
  });

  /** The site definition for a host name, or null when hisho-tone has nothing to do there. */
  function siteForHost(hostname) {
    return Object.values(SITES).find((site) => site.hosts.includes(hostname)) || null;
  }

  function queryAll(root, selectors) {
    const found = [];
    for (const selector of selectors) {
      try {
        found.push(...root.querySelectorAll(selector));
      } catch (_) {
        // An unsupported selector must not stop the others.
      }
    }
    return found;
  }

  /** Compose boxes of `site` under `root`: primary selectors, then fallbacks; outermost editors only. */
  function findEditors(site, root = document) {
    const unique = [...new Set([...queryAll(root, site.editors), ...queryAll(root, site.editorFallbacks)])];
    return unique.filter((el) => !unique.some((other) => other !== el && other.contains(el)));
  }

  /** The send button that belongs to `editor`'s compose window, or null. */
  function findSendButton(site, editor) {
    let scope = null;
    for (const selector of site.containers) {
      scope = editor.closest(selector);
      if (scope && queryAll(scope, site.sendButtons).length) break;
      scope = null;
    }
    return queryAll(scope || document, site.sendButtons)[0] || null;
  }

  /** Whether `element` is (inside) a send button of `site`. */
  function isSendButton(site, element) {
    return !!element && element.nodeType === Node.ELEMENT_NODE && site.sendButtons.some((selector) => {
      try {
        return !!element.closest(selector);
      } catch (_) {
        return false;
      }
    });
  }

  /** Whether `node` (inside `editor`) is quoted history or signature, which is not the user's own text. */
  function isExcluded(site, node, editor) {
    const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    if (!el) return false;
    return site.excluded.some((selector) => {
      const match = el.closest(selector);
      return !!match && match !== editor && editor.contains(match);
    });
  }

  ns.SITES = SITES;
  ns.siteForHost = siteForHost;
  ns.findEditors = findEditors;
  ns.findSendButton = findSendButton;
  ns.isExcluded = isExcluded;
  ns.isSendButton = isSendButton;
})();
