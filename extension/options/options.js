/*
 * The options page. Every change is saved as soon as it is made, through the service worker
 * (which owns chrome.storage); the page only renders what the worker sends back.
 */
(() => {
  "use strict";
  const { MSG, format } = globalThis.hishoTone;
  const TYPING_SAVE_DELAY_MS = 400;
  const FIELD_ERRORS = { serverUrl: "invalidServerUrl", token: "invalidToken", debounceMs: "invalidNumber", minChars: "invalidNumber" };
  const SITE_NAMES = { gmail: "selfCheckSite_gmail", chatwork: "selfCheckSite_chatwork" };
  const PART_NAMES = { editor: "selfCheckPart_editor", send: "selfCheckPart_send", thread: "selfCheckPart_thread" };

  const $ = (id) => document.getElementById(id);
  let strings = {};
  let pendingSaves = Promise.resolve();
  let statusTimer = 0;
  let selfCheckPages = [];
  const typingTimers = {};

  const t = (key, values) => (key in strings ? format(strings[key], values) : key);

  function send(message) {
    return chrome.runtime.sendMessage(message).catch((error) => ({ ok: false, error: { code: "extension", message: String(error) } }));
  }

  function applyStrings(lang, newStrings) {
    strings = newStrings;
    document.documentElement.lang = lang;
    document.title = t("optionsTitle");
    for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
    renderSelfCheck();
  }

  /** One line per site and missing part, from the open Gmail / Chatwork tabs (no page text is ever kept). */
  function renderSelfCheck() {
    const list = $("selfCheckList");
    const lines = new Map();
    for (const page of selfCheckPages) {
      for (const part of page.missing) lines.set(`${page.site}:${part}`, { site: page.site, part });
    }
    const items = [...lines.values()].map(({ site, part }) => {
      const li = document.createElement("li");
      li.dataset.state = "missing";
      li.dataset.site = site;
      li.dataset.part = part;
      li.textContent = t("selfCheckMissing", { site: t(SITE_NAMES[site]), part: t(PART_NAMES[part]) });
      return li;
    });
    if (!items.length) {
      const li = document.createElement("li");
      li.dataset.state = "ok";
      li.textContent = t("selfCheckNone");
      items.push(li);
    }
    list.replaceChildren(...items);
  }

  async function refreshSelfCheck() {
    const response = await send({ type: MSG.GET_SELF_CHECK });
    if (!response.ok) return;
    selfCheckPages = response.pages.filter((page) => page.site in SITE_NAMES);
    renderSelfCheck();
  }

  function fill(settings) {
    $("serverUrl").value = settings.serverUrl;
    $("token").value = settings.token;
    $("sensitivity").value = settings.sensitivity;
    $("language").value = settings.language;
    $("debounceMs").value = String(settings.debounceMs);
    $("minChars").value = String(settings.minChars);
    for (const box of document.querySelectorAll("[data-site]")) box.checked = settings.sites[box.dataset.site] === true;
  }

  function showFieldError(field, message) {
    const input = $(field);
    const error = $(`${field}-error`);
    if (input) input.setAttribute("aria-invalid", message ? "true" : "false");
    if (error) {
      error.textContent = message || "";
      error.hidden = !message;
    }
  }

  function flash(message) {
    $("saveStatus").textContent = message;
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => ($("saveStatus").textContent = ""), 2000);
  }

  /** Saves `changes`; the saves run one after another so the last edit always wins. */
  function save(changes, { refill = false } = {}) {
    pendingSaves = pendingSaves.then(async () => {
      const response = await send({ type: MSG.SAVE_SETTINGS, changes });
      for (const field of Object.keys(changes)) showFieldError(field, "");
      if (!response.ok) {
        const field = response.error.field;
        if (field in FIELD_ERRORS) showFieldError(field, t(FIELD_ERRORS[field]));
        else flash(t("saveFailed", { message: response.error.message }));
        return;
      }
      if ("language" in changes) applyStrings(response.lang, response.strings);
      if (refill) fill(response.settings);
      flash(t("saved"));
    });
    return pendingSaves;
  }

  /** Text fields save while typing (after a short pause) and again, normalised, when left. */
  function bindText(field) {
    const input = $(field);
    input.addEventListener("input", () => {
      clearTimeout(typingTimers[field]);
      typingTimers[field] = setTimeout(() => save({ [field]: input.value }), TYPING_SAVE_DELAY_MS);
    });
    input.addEventListener("change", () => {
      clearTimeout(typingTimers[field]);
      save({ [field]: input.value }, { refill: true });
    });
  }

  function bindChoices() {
    for (const field of ["sensitivity", "language"]) {
      $(field).addEventListener("change", () => save({ [field]: $(field).value }));
    }
    for (const box of document.querySelectorAll("[data-site]")) {
      box.addEventListener("change", () => save({ sites: { [box.dataset.site]: box.checked } }));
    }
  }

  async function testConnection() {
    const button = $("testConnection");
    const status = $("connectionStatus");
    for (const field of Object.keys(typingTimers)) clearTimeout(typingTimers[field]);
    button.disabled = true;
    status.dataset.state = "busy";
    status.textContent = t("testing");
    // Test what is on screen: save the text fields first.
    save({ serverUrl: $("serverUrl").value, token: $("token").value }, { refill: true });
    await pendingSaves;
    const response = await send({ type: MSG.TEST_CONNECTION });
    button.disabled = false;
    if (response.ok) {
      status.dataset.state = "ok";
      status.textContent = t("connectionOk", { version: response.health.version || "?", model: response.health.model || "?" });
    } else {
      status.dataset.state = "error";
      const error = response.error || {};
      status.textContent = error.code === "unauthorized" ? t("errorUnauthorized") : t("connectionFailed", { message: error.message || error.code });
    }
  }

  async function init() {
    const response = await send({ type: MSG.GET_SETTINGS });
    if (!response.ok) {
      flash(t("saveFailed", { message: response.error.message }));
      return;
    }
    applyStrings(response.lang, response.strings);
    fill(response.settings);
    for (const field of ["serverUrl", "token", "debounceMs", "minChars"]) bindText(field);
    bindChoices();
    $("testConnection").addEventListener("click", testConnection);
    await refreshSelfCheck();
    document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && refreshSelfCheck());
    document.body.dataset.ready = "true"; // for the browser tests: fields are filled and bound
  }

  init();
})();
