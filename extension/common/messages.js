/*
 * Message types shared by the service worker, the content scripts and the options page.
 * Every message is {type: MSG.ANALYZE, ...}; a receiver that does not know a type throws.
 * Loaded as a classic script everywhere (content_scripts list, importScripts, <script>),
 * so it only adds to the `hishoTone` namespace.
 */
(() => {
  "use strict";
  const ns = (globalThis.hishoTone = globalThis.hishoTone || {});

  ns.MSG = Object.freeze({
    // content script -> service worker
    GET_CONFIG: "hisho-tone/get-config", // {site} -> {enabled, debounceMs, minChars, lang, strings}
    // advice.thread is there when a thread was sent: the verdict for the conversation with the draft in it
    ANALYZE: "hisho-tone/analyze", // {editorId, text, channel, thread?} -> {ok: true, advice} | {ok: false, error}
    RECAP: "hisho-tone/recap", // {thread, draft, channel} -> {ok: true, recap} | {ok: false, error}
    CANCEL: "hisho-tone/cancel", // {editorId} -> {ok: true}
    OPEN_OPTIONS: "hisho-tone/open-options", // {section?} -> {ok: true}
    // the self-check: which parts of the page (SELF_CHECK_PARTS) were not found; never any page text
    SELF_CHECK: "hisho-tone/self-check", // {site, missing: [part, ...]} -> {ok: true}
    // service worker -> content scripts (broadcast after the settings change)
    CONFIG_CHANGED: "hisho-tone/config-changed", // {} -> {ok: true}
    // options page -> service worker
    GET_SETTINGS: "hisho-tone/get-settings", // {} -> {settings, strings, lang}
    SAVE_SETTINGS: "hisho-tone/save-settings", // {changes} -> {ok: true, settings, strings, lang} | {ok: false, error}
    TEST_CONNECTION: "hisho-tone/test-connection", // {} -> {ok: true, health} | {ok: false, error}
    GET_SELF_CHECK: "hisho-tone/get-self-check", // {} -> {ok: true, pages: [{site, missing}]}
  });

  // The parts of a page the self-check looks for (content/content.js) and the options page names.
  ns.SELF_CHECK_PARTS = Object.freeze(["editor", "send", "thread"]);
  ns.SITE_IDS = Object.freeze(["gmail", "chatwork"]);

  // One limit for a conversation, from the page to the server: the content script reads at most this much,
  // the service worker refuses more, and server/settings.py accepts more than this (MAX_THREAD_MESSAGES 50,
  // MAX_MESSAGE_CHARS 5,000, MAX_THREAD_CHARS 20,000; tests/browser/test_extension_static.py checks it).
  // The latest messages are what a reader has in mind; older history rarely changes the verdict.
  ns.THREAD_LIMITS = Object.freeze({ messages: 10, messageChars: 2000, authorChars: 200 });

  // Badge states; the first four are the server's recommendations.
  ns.STATES = Object.freeze(["pending", "text", "text_with_care", "call", "video", "offline"]);
  ns.RECOMMENDATIONS = Object.freeze(["text", "text_with_care", "call", "video"]);

  /** The stronger of two recommendations (either may be missing). */
  ns.stronger = (a, b) => (ns.RECOMMENDATIONS.indexOf(b) > ns.RECOMMENDATIONS.indexOf(a) ? b : a);

  /** Throws for a message whose type the receiver does not handle (a bug, never user input). */
  ns.unknownMessage = (message) => {
    throw new Error(`hisho-tone: unknown message type ${JSON.stringify(message && message.type)}`);
  };

  /** Fills {name} placeholders of a UI string. */
  ns.format = (template, values = {}) =>
    String(template).replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
})();
