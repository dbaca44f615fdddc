/*
 * The content script: finds compose boxes, waits for the IME and for a pause, asks the service worker,
 * shows the badge. It never fetches and never touches chrome.storage (the service worker owns both), and
 * it never changes the draft except when the user clicks "insert".
 */
(() => {
  "use strict";
  const ns = globalThis.hishoTone;
  if (!ns || ns.contentStarted) return; // injected twice (extension reloaded): the first copy stays in charge
  ns.contentStarted = true;

  const { MSG } = ns;
  const site = ns.siteForHost(location.hostname);
  if (!site) return;

  const SCAN_DELAY_MS = 120; // coalesces bursts of DOM mutations into one scan
  const TICK_MS = 500; // re-place badges, notice programmatic clears (Chatwork empties the box on send)
  const SEND_CHECK_DELAYS_MS = [0, 150, 400]; // apps clear the box right away or after their request
  const SELF_CHECK_SETTLE_MS = 2000; // the page has settled this long after loading or changing

  /** One compose box being watched. */
  class Draft {
    constructor(editor, id) {
      this.editor = editor;
      this.id = id;
      this.badge = null;
      this.timer = 0;
      this.seq = 0;
      this.lastText = null; // the text last sent for analysis (or found too short)
      this.lastThread = null; // the conversation sent with it (JSON), so a new message in it asks again
      this.seenValue = null; // textarea value at the last tick
      this.composing = false;
      this.dismissed = false; // "Not now": quiet until this draft is cleared
      this.caret = null;
      this.resizeObserver = null;
    }
  }

  let config = null; // {enabled, debounceMs, minChars, lang, strings}
  const drafts = new Map(); // editor element -> Draft
  let nextId = 1;
  let scanTimer = 0;
  let placeQueued = false;
  let tickTimer = 0;
  let observer = null;
  let retired = false;
  let selfCheckTimer = 0;
  let reported = null; // the last self-check sent to the service worker (JSON of the missing parts)

  function send(message) {
    const failed = (error) => {
      // The extension was updated or removed while this page stayed open: this copy retires quietly.
      if ((!chrome.runtime || !chrome.runtime.id) && !retired) {
        retired = true;
        stop();
      }
      return { ok: false, error: { code: "extension", message: String(error) } };
    };
    try {
      return chrome.runtime.sendMessage(message).catch(failed);
    } catch (error) {
      return Promise.resolve(failed(error));
    }
  }

  // --- finding compose boxes -------------------------------------------------------------------

  function scheduleScan() {
    if (!scanTimer) scanTimer = setTimeout(scan, SCAN_DELAY_MS);
  }

  /** Our own badge hosts coming and going are no reason to look for compose boxes again. */
  function onMutations(records) {
    const ours = (node) => node.nodeName === ns.BADGE_HOST_TAG.toUpperCase();
    if (records.some((r) => ![...r.addedNodes, ...r.removedNodes].every(ours))) scheduleScan();
  }

  function scan() {
    scanTimer = 0;
    if (!config || !config.enabled) return;
    for (const editor of ns.findEditors(site)) {
      if (!drafts.has(editor)) attach(editor);
    }
    for (const draft of [...drafts.values()]) {
      if (!draft.editor.isConnected) detach(draft);
    }
    scheduleSelfCheck();
  }

  // --- the self-check ---------------------------------------------------------------------------

  /** Looks again once the page has been quiet for a while (at most once per settle time). */
  function scheduleSelfCheck() {
    if (!selfCheckTimer) selfCheckTimer = setTimeout(selfCheck, SELF_CHECK_SETTLE_MS);
  }

  /**
   * Which parts of this page hisho-tone cannot find although the page shows them: a compose box its
   * selectors missed (or none in a Chatwork room), a compose box without a send button, a reply without its
   * conversation. Only the names of the parts go to the service worker; nothing of the page's text.
   */
  function selfCheck() {
    selfCheckTimer = 0;
    if (!config || !config.enabled) return;
    const editors = [...drafts.keys()].filter((editor) => editor.isConnected);
    const missing = new Set();
    if (ns.findUnrecognisedEditors(site, editors).length || (!editors.length && ns.expectsEditor(site))) missing.add("editor");
    for (const editor of editors) {
      if (!ns.findSendButton(site, editor)) missing.add("send");
      if (ns.threadMissing(site, editor)) missing.add("thread");
    }
    if (!editors.length && ns.threadMissing(site, null)) missing.add("thread");
    report(ns.SELF_CHECK_PARTS.filter((part) => missing.has(part)));
  }

  function report(missing) {
    const key = JSON.stringify(missing);
    if (key === reported) return;
    reported = key;
    send({ type: MSG.SELF_CHECK, site: site.id, missing });
  }

  function attach(editor) {
    const draft = new Draft(editor, `${site.id}-${nextId++}`);
    drafts.set(editor, draft);
    draft.resizeObserver = new ResizeObserver(queuePlace);
    draft.resizeObserver.observe(editor);
    if (ns.isTextField(editor)) draft.seenValue = editor.value;
    // A compose box that opens with text in it (a saved draft) is analysed once it settles.
    if (ns.readDraft(site, editor).length >= config.minChars) schedule(draft);
  }

  function detach(draft) {
    drafts.delete(draft.editor);
    clearTimeout(draft.timer);
    if (draft.resizeObserver) draft.resizeObserver.disconnect();
    hideBadge(draft);
    cancelInFlight(draft);
  }

  function detachAll() {
    for (const draft of [...drafts.values()]) detach(draft);
  }

  function draftFor(event) {
    for (const node of event.composedPath()) {
      const draft = drafts.get(node);
      if (draft) return draft;
    }
    return null;
  }

  // --- when to ask -----------------------------------------------------------------------------

  function schedule(draft) {
    clearTimeout(draft.timer);
    if (draft.badge && draft.badge.isOpen) draft.badge.close(false);
    draft.timer = setTimeout(() => analyse(draft), config.debounceMs);
  }

  function cancelInFlight(draft) {
    draft.seq += 1; // any answer still on its way is now stale
    send({ type: MSG.CANCEL, editorId: draft.id });
  }

  async function analyse(draft) {
    draft.timer = 0;
    if (draft.composing || !draft.editor.isConnected || !config.enabled) return;
    const text = ns.readDraft(site, draft.editor);
    if (text.length < config.minChars) {
      // Cleared, sent or too short to judge: drop the hint, and "Not now" ends with this draft.
      if (draft.lastText !== null) cancelInFlight(draft);
      draft.lastText = text;
      draft.dismissed = false;
      hideBadge(draft);
      return;
    }
    const read = ns.readThread(site, draft.editor); // null: no conversation (a new email)
    const thread = read ? read.messages : null;
    const threadKey = JSON.stringify(thread);
    if ((text === draft.lastText && threadKey === draft.lastThread) || draft.dismissed) return;
    draft.lastText = text;
    draft.lastThread = threadKey;
    const seq = ++draft.seq;
    showBadge(draft, "pending");
    const message = { type: MSG.ANALYZE, editorId: draft.id, text, channel: site.channel };
    if (thread) message.thread = thread;
    const response = await send(message);
    if (seq !== draft.seq || !drafts.has(draft.editor) || draft.dismissed) return; // a newer draft won
    if (response && response.ok) {
      // A ping-pong thread can make a harmless draft a call: the badge shows the stronger verdict.
      const advice = response.advice;
      if (read && advice.thread) {
        // What was left out of the conversation, for the panel to say (client-side only, never sent).
        advice.threadRead = { sent: thread.length, skipped: read.skipped, clipped: read.clipped, chars: ns.THREAD_LIMITS.messageChars };
      }
      showBadge(draft, ns.stronger(advice.recommendation, advice.thread && advice.thread.recommendation), advice);
    } else if (!response || response.error.code !== "cancelled") {
      draft.lastText = null; // the same text is worth asking again once the server is back
      showBadge(draft, "offline", response ? response.error : { code: "offline" });
    }
  }

  function onInput(event) {
    const draft = draftFor(event);
    if (!draft) {
      scheduleSelfCheck(); // typing in a box we do not know: perhaps a compose box our selectors missed
      return;
    }
    if (ns.isTextField(draft.editor)) draft.seenValue = draft.editor.value;
    // While the IME is composing, the text is not what the user means yet; compositionend schedules.
    if (event.isComposing || draft.composing) return;
    schedule(draft);
  }

  function onCompositionStart(event) {
    const draft = draftFor(event);
    if (!draft) return;
    draft.composing = true;
    clearTimeout(draft.timer);
  }

  function onCompositionEnd(event) {
    const draft = draftFor(event);
    if (!draft) return;
    draft.composing = false;
    // In Chrome the composition's last input event fires before compositionend, so ask from here too.
    schedule(draft);
  }

  function rememberCaret() {
    for (const draft of drafts.values()) {
      const caret = ns.currentCaret(draft.editor);
      if (caret) draft.caret = caret;
    }
  }

  /** The drafts a click or Enter may have sent, or null when the event is no send gesture. */
  function sentDrafts(event) {
    const isEnter = event.type === "keydown" && event.key === "Enter" && !event.isComposing;
    if (!isEnter && !(event.type === "click" && ns.isSendButton(site, event.target))) return null;
    const target = isEnter ? draftFor(event) : null;
    if (isEnter && !(target && ns.isTextField(target.editor))) return null; // Enter sends only in chat boxes
    return target ? [target] : [...drafts.values()];
  }

  /** Look at the sent drafts' boxes now: an emptied box ends the hint and "Not now". */
  function checkSent(sent) {
    for (const draft of sent) {
      if (draft.editor.isConnected && ns.readDraft(site, draft.editor).length < config.minChars) analyse(draft);
    }
  }

  /**
   * After a send (button or Enter), the app empties the box from script, with no input event. Look again
   * shortly after, so the hint and "Not now" end with the sent draft even if the user types on at once.
   */
  function onSendGesture(event) {
    const sent = sentDrafts(event);
    if (!sent) return;
    for (const delay of SEND_CHECK_DELAYS_MS) setTimeout(() => checkSent(sent), delay);
  }

  /**
   * The same gesture once the page's own handlers have run (bubble phase): an app that empties the box
   * at once is seen here, before the next draft can be typed into it.
   */
  function afterSendGesture(event) {
    const sent = sentDrafts(event);
    if (sent) checkSent(sent);
  }

  /** A pointer press outside an open panel closes it (without moving the focus). */
  function onPointerDown(event) {
    for (const draft of drafts.values()) {
      if (draft.badge && draft.badge.isOpen && !event.composedPath().includes(draft.badge.host)) draft.badge.close(false);
    }
  }

  function onHashChange() {
    scheduleSelfCheck();
    if (!site.roomChangesOnHash) return;
    // Another room: another draft. Forget this one's answer and dismissal, then look again.
    for (const draft of drafts.values()) {
      clearTimeout(draft.timer);
      cancelInFlight(draft);
      hideBadge(draft);
      draft.lastText = null;
      draft.dismissed = false;
      draft.caret = null;
    }
    scheduleScan();
    setTimeout(() => {
      for (const draft of drafts.values()) if (draft.editor.isConnected) schedule(draft);
    }, SCAN_DELAY_MS);
  }

  function tick() {
    for (const draft of [...drafts.values()]) {
      if (!draft.editor.isConnected) {
        detach(draft);
        continue;
      }
      // Apps change a textarea's value from script without an input event (Chatwork clears it on send).
      if (ns.isTextField(draft.editor) && draft.editor.value !== draft.seenValue && !draft.composing) {
        draft.seenValue = draft.editor.value;
        schedule(draft);
      }
    }
    queuePlace();
  }

  // --- the badge -------------------------------------------------------------------------------

  function showBadge(draft, state, detail) {
    if (!draft.badge) {
      draft.badge = new ns.Badge(config.strings, {
        insert: (text) => ns.insertAtCaret(site, draft.editor, text, draft.caret),
        copy: (text) => copyText(text, draft),
        recap: () => requestRecap(draft),
        dismiss: () => dismiss(draft),
        retry: () => {
          draft.lastText = null;
          draft.badge.close(false);
          analyse(draft);
        },
        openHelp: () => send({ type: MSG.OPEN_OPTIONS, section: "server" }),
        closed: () => draft.editor.focus({ preventScroll: true }),
      });
      (document.body || document.documentElement).append(draft.badge.host);
    }
    draft.badge.show(state, detail);
    placeBadge(draft);
  }

  /** Asks for the recap of the conversation on screen (read again now: it may have moved on). */
  function requestRecap(draft) {
    const read = ns.readThread(site, draft.editor);
    const thread = read && read.messages;
    if (!thread || !thread.length) return Promise.resolve({ ok: false, error: { code: "no_thread" } });
    const text = ns.clipText(ns.readDraft(site, draft.editor), 5000);
    return send({ type: MSG.RECAP, thread, draft: text, channel: site.channel });
  }

  function hideBadge(draft) {
    if (!draft.badge) return;
    draft.badge.remove();
    draft.badge = null;
  }

  function dismiss(draft) {
    draft.dismissed = true;
    clearTimeout(draft.timer);
    cancelInFlight(draft);
    const hadFocus = draft.badge && draft.badge.host.matches(":focus-within");
    hideBadge(draft);
    if (hadFocus) draft.editor.focus({ preventScroll: true });
  }

  async function copyText(text, draft) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (_) {
      // Clipboard API refused (no focus or permission): fall back to a selection inside our shadow root.
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.setProperty("position", "fixed");
      area.style.setProperty("opacity", "0");
      draft.badge.root.append(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      return ok;
    }
  }

  function placeBadge(draft) {
    if (!draft.badge) return;
    const sendButton = ns.findSendButton(site, draft.editor);
    draft.badge.place(draft.editor.getBoundingClientRect(), sendButton ? [sendButton.getBoundingClientRect()] : []);
  }

  function queuePlace() {
    if (placeQueued) return;
    placeQueued = true;
    requestAnimationFrame(() => {
      placeQueued = false;
      for (const draft of drafts.values()) placeBadge(draft);
    });
  }

  // --- settings --------------------------------------------------------------------------------

  async function loadConfig() {
    const response = await send({ type: MSG.GET_CONFIG, site: site.id });
    if (!response || response.ok === false) return; // no service worker: stay quiet
    const wasEnabled = config && config.enabled;
    config = response;
    if (!config.enabled) {
      stop();
      return;
    }
    for (const draft of drafts.values()) {
      if (draft.badge) draft.badge.setStrings(config.strings);
      // The server, token or sensitivity may have changed: ask again for what is on screen.
      draft.lastText = null;
      if (draft.badge || ns.readDraft(site, draft.editor).length >= config.minChars) schedule(draft);
    }
    if (!wasEnabled) start();
  }

  function start() {
    if (!observer) {
      observer = new MutationObserver(onMutations);
      observer.observe(document.documentElement, { childList: true, subtree: true });
    }
    if (!tickTimer) tickTimer = setInterval(tick, TICK_MS);
    scan();
  }

  function stop() {
    if (observer) observer.disconnect();
    observer = null;
    clearInterval(tickTimer);
    tickTimer = 0;
    clearTimeout(selfCheckTimer);
    selfCheckTimer = 0;
    detachAll();
    if (reported !== null && !retired) report([]); // switched off here: nothing to warn about
  }

  chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    switch (message && message.type) {
      case MSG.CONFIG_CHANGED:
        loadConfig();
        sendResponse({ ok: true });
        return false;
      default:
        ns.unknownMessage(message);
    }
  });

  // Capture phase and passive: we see every keystroke and IME event first, and never delay or stop one.
  const listen = { capture: true, passive: true };
  document.addEventListener("input", onInput, listen);
  document.addEventListener("compositionstart", onCompositionStart, listen);
  document.addEventListener("compositionend", onCompositionEnd, listen);
  document.addEventListener("selectionchange", rememberCaret, listen);
  document.addEventListener("keyup", rememberCaret, listen); // textareas report caret moves only here
  document.addEventListener("mouseup", rememberCaret, listen);
  document.addEventListener("pointerdown", onPointerDown, listen);
  document.addEventListener("click", onSendGesture, listen);
  document.addEventListener("keydown", onSendGesture, listen);
  document.addEventListener("click", afterSendGesture, { passive: true });
  document.addEventListener("keydown", afterSendGesture, { passive: true });
  document.addEventListener("scroll", queuePlace, listen);
  window.addEventListener("resize", queuePlace, { passive: true });
  window.addEventListener("hashchange", onHashChange);

  loadConfig();
})();
