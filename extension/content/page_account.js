/*
 * Runs in Chatwork's own JavaScript world (manifest.json: "world": "MAIN"), because only there is the
 * page's `window.MYID` visible: the signed-in user's account id, which the current React UI no longer
 * marks on the user's own messages (vunguyen1601/chorme-chatwork-translate-ext src/adapters/SELECTORS.md,
 * 2026-07-02; ryoichi-u/chatwork_helper asks a MAIN-world page bridge for MYID, src/bridge/credentials.ts, 2026-06).
 *
 * It does one thing: when asked (a `hisho-tone:account-request` event on the document, dispatched by
 * content/thread.js), it copies that id, if it is a plain number, to <html data-hisho-tone-account>.
 * It reads nothing else, calls no extension API, evaluates nothing and injects nothing; the page could
 * read the same id itself.
 */
(() => {
  "use strict";
  const REQUEST = "hisho-tone:account-request";
  const ATTRIBUTE = "data-hisho-tone-account";

  function publish() {
    let id = "";
    try {
      const value = window.MYID;
      if ((typeof value === "string" || typeof value === "number") && /^\d{1,20}$/.test(String(value))) id = String(value);
    } catch (_) {
      // a getter that throws: no id
    }
    if (id) document.documentElement.setAttribute(ATTRIBUTE, id);
    else document.documentElement.removeAttribute(ATTRIBUTE);
  }

  document.addEventListener(REQUEST, publish);
  publish();
})();
