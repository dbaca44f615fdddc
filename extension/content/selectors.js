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
      // The compose body, in pop-up compose dialogs and inline replies alike, found by structure, never by
      // its label (which follows the Gmail UI language):
      // <div role="textbox" g_editable="true" contenteditable="true" aria-label="メッセージ本文"
      //  class="Am Al editable LW-avf tS-tW">. g_editable is Gmail's own marker for its rich-text editor;
      // InboxSDK finds the body as ".Ap [g_editable=true]" (InboxSDK/InboxSDK gmail-compose-view.ts
      // getMaybeBodyElement, read 2026-12-02), and public Gmail extensions key on it (2023-2026).
      editors: ['div[role="textbox"][g_editable="true"][contenteditable="true"]', '.Ap [g_editable="true"][contenteditable="true"]'],
      // Fallback only: the aria-label follows the Gmail UI language (ja / en / de); used when g_editable is gone.
      editorFallbacks: [
        'div[role="textbox"][contenteditable="true"][aria-label="メッセージ本文"]',
        'div[role="textbox"][contenteditable="true"][aria-label="Message Body"]',
        'div[role="textbox"][contenteditable="true"][aria-label="Nachrichtentext"]',
      ],
      // For the self-check only: on Gmail's own page every rich-text box is a compose body (recipients and
      // subject are <input>s; Google Chat runs in its own frame), so one we do not track is one we missed.
      unrecognisedEditors: ['div[contenteditable="true"]'],
      editorExpected: null, // Gmail shows no compose box until the user opens one
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
      // The send button, to keep the badge off it and to notice a send. Structural first, in any UI language:
      // InboxSDK's getSendButton ".IZ .Up div > div[role=button]:not(.Uo):not([aria-haspopup=true])" (InboxSDK/InboxSDK
      // gmail-compose-view.ts, read 2026-12-02; .Uo is Send-and-archive, aria-haspopup the schedule-send arrow).
      // Then Gmail's generated class "T-I aoO" (e.g. Freemindtronic/evicypher-webmail relies on it), still no
      // label. Labels last, as fallbacks: data-tooltip / aria-label "送信 (Ctrl+Enter)", "Send …", "Senden …";
      // Just Not Sorry broke sending in Hungarian Gmail by relying on labels (defmethodinc/just-not-sorry
      // issue #73, fixed in PR #74, 2020-04).
      sendButtons: [
        '.IZ .Up div > div[role="button"]:not(.Uo):not([aria-haspopup="true"])',
        'div.T-I.aoO[role="button"]:not([aria-haspopup="true"])',
        'div[role="button"][data-tooltip^="送信"]',
        'div[role="button"][data-tooltip^="Send"]',
        'div[role="button"][aria-label^="送信"]',
        'div[role="button"][aria-label^="Send"]',
      ],
      roomChangesOnHash: false,
      // The open conversation, read to judge the draft in its thread (content/thread.js).
      thread: Object.freeze({
        // The conversation view: <div role="main"> holds the subject, the messages and the inline reply box.
        // A reply typed inside it answers the thread shown there; a compose dialog in the dock does not.
        scopes: ['div[role="main"]'],
        // A pop-out reply carries its thread in a hidden <input name="rt" value="#thread-f:<id>"> (empty for a
        // new email), which matches <h2 class="hP" data-thread-perm-id="thread-f:<id>"> of the open thread
        // (Gmail DOM notes of a public reply extension, observed September 2026).
        replyThreadInputs: ['input[name="rt"]'],
        subjects: ["h2.hP[data-thread-perm-id]"],
        subjectThreadId: "data-thread-perm-id",
        // One message: <div role="list"> > <div role="listitem" aria-expanded="true"> > <div class="adn ads"
        // data-message-id="#msg-f:<id>">. data-message-id is what public Gmail extensions key on (2024-2026);
        // collapsed messages are <div class="adf ads" data-message-id> and carry only a snippet (the listitem >
        // div.adf.ads and div.adn.ads nesting is also in the MailPage.java capture cited under `snippets`, 2019-12).
        messages: ["div.adn[data-message-id]", "div.adf[data-message-id]"],
        messageFallbacks: ['div[role="listitem"]'],
        // The expanded body: <div class="a3s aiL">. Quoted history and signatures inside it are set aside
        // with `excluded` above, as in the draft.
        bodies: ["div.a3s"],
        // A collapsed message's snippet, the first line or so of the message: <div class="iA g6"> in the only
        // public capture of a collapsed message (a Selenium page object of Gmail's conversation view,
        // com/company/Pages/MailPage.java, captured 2019-12, read 2026-12-02). Any element with class iA, so a
        // change of tag does not matter.
        snippets: [".iA.g6", ".iA"],
        // The sender: <span class="gD" email="hanako@example.com" name="佐藤 花子">; `name` and `email` attributes
        // (the same in the MailPage.java capture cited under `snippets`, 2019-12, in a Russian-language Gmail).
        senders: ["span.gD[email]", "span[email][name]"],
        senderEmail: "email",
        senderName: "name",
        // The account: the tab title ends " - taro@example.com - Gmail" (the account's address); a message
        // whose sender is that address is the user's own.
        accountInTitle: /\s-\s([^\s@]+@[^\s@]+)\s-\sGmail$/,
      }),
    }),
    chatwork: Object.freeze({
      id: "chatwork",
      channel: "chat",
      hosts: ["www.chatwork.com", "kcw.kddi.ne.jp"], // KDDI Chatwork serves the same web app
      // The message box: <textarea id="_chatText" name="chat"> inside #_chatSendArea. The id has been stable
      // since the jQuery-era UI (e.g. Rasukarusan/chatwork-tag-menu, ngiyshhk/chrome-extension) through the
      // current React app (chatwork_helper src/dom/selectors.ts 2026-06: "ID は新 UI でも維持";
      // SELECTORS.md 2026-07-02: a plain <textarea>; thread-view selectors.js 2026-08-31: chatInput #_chatText).
      // Its value is Chatwork's tag syntax ([To:…], [rp …], [qt]…[/qt]); it is sent raw and the library
      // sets the tags aside (hisho_tone/prepare.py).
      editors: ["textarea#_chatText"],
      editorFallbacks: [],
      // For the self-check: a room (#!rid<id>) always shows its message box.
      unrecognisedEditors: [],
      editorExpected: /^#!rid\d+/,
      excluded: [],
      containers: ["#_chatSendArea"],
      // Current UI: <button data-testid="timeline_send-message-button"> (chatwork_helper 2026-06, SELECTORS.md
      // 2026-07-02, thread-view 2026-08-31); #_sendButton is the legacy UI's id, kept as a fallback.
      sendButtons: ['[data-testid="timeline_send-message-button"]', "#_sendButton"],
      // The room is in the hash (#!rid123) and changes without a page load.
      roomChangesOnHash: true,
      // The open room's timeline, read to judge the draft in its conversation (content/thread.js).
      // Current UI: public DOM surveys of Chatwork's React app — shngmsw/chatwork-thread-view
      // src/content/selectors.js (checked on the live app 2026-08-29, revised 2026-08-31),
      // vunguyen1601/chorme-chatwork-translate-ext src/adapters/SELECTORS.md (2026-07-02), ryoichi-u/chatwork_helper
      // src/dom/selectors.ts (2026-06). Legacy (jQuery-era) classes are kept only as labelled fallbacks.
      thread: Object.freeze({
        // <div id="_timeLine" data-testid="timeline-area">: every message of the open room (all three surveys).
        scopes: ["#_timeLine"],
        // One message: <div id="_messageId<mid>" class="_message …" data-mid="<mid>" data-rid="<rid>">;
        // data-deleted="1" marks a deleted one (SELECTORS.md 2026-07-02; thread-view 2026-08-29).
        messages: ["._message[data-mid]"],
        messageFallbacks: [],
        deleted: '[data-deleted="1"]',
        // The body: the message's single <pre> (SELECTORS.md 2026-07-02: "styled class unstable → use tag pre").
        bodies: ["pre"],
        snippets: [],
        // Inside the <pre>, not the author's own words: the reply chip (<div class="_replyMessage
        // chatTimeLineReply" data-mid>返信元…</div>, SELECTORS.md 2026-07-02), To/picon tags rendered from [To:],
        // [rp], [piconname:] (elements with data-cwtag, chatwork_helper 2026-06), and quoted messages:
        // <div data-cwopen="[qt]" data-cwclose="[/qt]" class="dev_quote chatQuote"> (blocquality/ChatWorkThreader
        // content.js, 2026-02, which excludes .chatQuote, .dev_quote, [data-cwopen="[qt]"], [data-cwtag^="[qt"]).
        excludedInBody: [
          "._replyMessage",
          ".chatTimeLineReply",
          "[data-cwtag]",
          ".dev_quote",
          '[data-cwopen="[qt]"]',
          ".chatQuote",
        ],
        // Parts of a message that may hold someone else's avatar or name: the body and quotes. The sender is
        // never looked for inside them (thread-view 2026-08-31: mention and task avatars in the body carry
        // img.userIconImage and button._profileUserIcon[data-aid] of *other* people).
        notSender: ["pre", ".dev_quote", '[data-cwopen="[qt]"]', ".chatQuote", "._replyMessage"],
        // The sender's account id, from the speaker block only: <div class="_speaker"><button><div
        // data-testid="user-icon" data-aid="101"><img …></div></button></div> (thread-view 2026-08-31:
        // "._speaker [data-aid]"; chatwork_helper 2026-06: userIcon [data-testid="user-icon"], messageSpeaker
        // ._speaker). Absent on consecutive posts by the same person, which keep the previous speaker
        // (SELECTORS.md 2026-07-02, finding 5).
        senderIds: ['._speaker [data-testid="user-icon"][data-aid]', "._speaker [data-aid]"],
        // Legacy fallback: the jQuery-era avatar button <button class="_profileUserIcon" data-aid> (thread-view
        // 2026-08-29), used only outside the body (see notSender).
        senderIdFallbacks: ["button._profileUserIcon[data-aid]"],
        senderId: "data-aid",
        // The speaker's name: <p data-testid="timeline_user-name">佐藤</p>, one per message, outside _speaker
        // (thread-view 2026-08-31); legacy fallbacks ._speakerName and .timelineMessage__userName.
        senderNames: ['[data-testid="timeline_user-name"]'],
        senderNameFallbacks: ["._speakerName", ".timelineMessage__userName"],
        // The speaker's avatar, whose alt text is the display name: "._speaker img" (thread-view 2026-08-31);
        // legacy fallback img.userIconImage[alt] (outside the body only).
        senderAvatars: ["._speaker img[alt]"],
        senderAvatarFallbacks: ["img.userIconImage[alt]"],
        // The user's own account id: Chatwork's page sets window.MYID (SELECTORS.md 2026-07-02: "No self CSS
        // class exists — must compare aids"; chatwork_helper 2026-06 reads it through a MAIN-world bridge).
        // content/page_account.js runs in the page's world (manifest "world": "MAIN"), reads only that id and
        // puts it on <html data-hisho-tone-account>, answering `accountRequest` events; nothing else crosses.
        accountAttribute: "data-hisho-tone-account",
        accountRequest: "hisho-tone:account-request",
        // Legacy fallback, used only when the page gives no account id: the jQuery-era "mine" class, which the
        // current React UI no longer sets (SELECTORS.md 2026-07-02: "No _myMessage/self CSS class exists";
        // chatwork_helper's message filter used a "mine" class until its 2026-06 selectors.ts dropped it).
        mine: [".chatTimeLineMessageMine"],
      }),
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

  /** Compose boxes on the page that `site`'s selectors missed (for the self-check): none are expected. */
  function findUnrecognisedEditors(site, tracked, root = document) {
    const missed = (el) => !tracked.some((editor) => editor === el || editor.contains(el) || el.contains(editor));
    return queryAll(root, site.unrecognisedEditors).filter((el) => missed(el) && el.getBoundingClientRect().height >= 24);
  }

  /** Whether this page of `site` should show a compose box (Chatwork's rooms always do). */
  function expectsEditor(site) {
    return !!site.editorExpected && site.editorExpected.test(location.hash);
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

  /** The first element under `root` matching one of `selectors`, or null. */
  function queryFirst(root, selectors) {
    for (const selector of selectors) {
      try {
        const found = root.querySelector(selector);
        if (found) return found;
      } catch (_) {
        // An unsupported selector must not stop the others.
      }
    }
    return null;
  }

  /** Whether `element` matches one of `selectors`. */
  function matchesAny(element, selectors) {
    return selectors.some((selector) => {
      try {
        return element.matches(selector);
      } catch (_) {
        return false;
      }
    });
  }

  ns.SITES = SITES;
  ns.queryAll = queryAll;
  ns.queryFirst = queryFirst;
  ns.matchesAny = matchesAny;
  ns.siteForHost = siteForHost;
  ns.findEditors = findEditors;
  ns.findSendButton = findSendButton;
  ns.findUnrecognisedEditors = findUnrecognisedEditors;
  ns.expectsEditor = expectsEditor;
  ns.isExcluded = isExcluded;
  ns.isSendButton = isSendButton;
})();
