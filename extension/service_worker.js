/*
 * The service worker: the only part of hisho-tone that talks to the network (the local server) and to
 * chrome.storage. Content scripts and the options page send it typed messages (common/messages.js).
 */
importScripts("common/messages.js");

const { MSG, RECOMMENDATIONS, SELF_CHECK_PARTS, SITE_IDS, THREAD_LIMITS } = self.hishoTone;

// Settings that follow the user (chrome.storage.sync). Written once in runtime.onInstalled.
const DEFAULT_SETTINGS = Object.freeze({
  serverUrl: "http://127.0.0.1:8765", // `hisho-tone serve` listens here by default
  sensitivity: "normal",
  sites: Object.freeze({ gmail: true, chatwork: true }),
  language: "ja", // "ja" | "en" | "auto" (the browser's language)
  debounceMs: 700, // quiet time after the last keystroke before asking
  minChars: 5, // shorter drafts are not judged
});
// The token stays on this machine (chrome.storage.local): it belongs to this machine's server.
const DEFAULT_LOCAL = Object.freeze({ token: "" });

const SENSITIVITIES = ["low", "normal", "high"];
const LANGUAGES = ["ja", "en", "auto"];
const CHANNELS = ["chat", "email"];
const LOOPBACK_HOSTS = ["127.0.0.1", "localhost"]; // the host_permissions in manifest.json
const ANALYZE_TIMEOUT_MS = 8000;
const RECAP_TIMEOUT_MS = 8000;
// What content scripts may send as a thread: the one limit of common/messages.js (content/thread.js reads
// no more); the server's own limits are wider (50 messages, 5,000 characters each, 20,000 in all).
const MAX_THREAD_MESSAGES = THREAD_LIMITS.messages;
const MAX_THREAD_MESSAGE_CHARS = THREAD_LIMITS.messageChars;
const MAX_THREAD_AUTHOR_CHARS = THREAD_LIMITS.authorChars;
const HEALTH_TIMEOUT_MS = 4000;
const TIMEOUT = "timeout";

self.hishoTone.DEFAULT_SETTINGS = DEFAULT_SETTINGS;

class SettingsError extends Error {
  constructor(field, message) {
    super(message);
    this.code = "invalid_setting";
    this.field = field;
  }
}

// --- settings --------------------------------------------------------------------------------

chrome.runtime.onInstalled.addListener(() => {
  writeDefaults();
});

/** Adds the defaults that are missing; never overwrites what the user chose (updates keep settings). */
async function writeDefaults() {
  const [sync, local] = await Promise.all([chrome.storage.sync.get(null), chrome.storage.local.get(null)]);
  const missing = {};
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
    if (!(key in sync)) missing[key] = value;
  }
  if (sync.sites && Object.keys(DEFAULT_SETTINGS.sites).some((site) => !(site in sync.sites))) {
    missing.sites = { ...DEFAULT_SETTINGS.sites, ...sync.sites };
  }
  if (Object.keys(missing).length) await chrome.storage.sync.set(missing);
  if (!("token" in local)) await chrome.storage.local.set(DEFAULT_LOCAL);
}

/** The stored settings, each one checked; a value that does not validate falls back to its default. */
async function loadSettings() {
  const [sync, local] = await Promise.all([chrome.storage.sync.get(null), chrome.storage.local.get("token")]);
  const settings = { ...DEFAULT_SETTINGS, sites: { ...DEFAULT_SETTINGS.sites }, token: DEFAULT_LOCAL.token };
  const stored = { ...sync, token: local.token };
  for (const key of Object.keys(settings)) {
    if (!(key in stored)) continue;
    try {
      Object.assign(settings, validate({ [key]: stored[key] }));
    } catch (_) {
      // keep the default
    }
  }
  return settings;
}

function normaliseServerUrl(value) {
  let url;
  try {
    url = new URL(String(value).trim());
  } catch (_) {
    throw new SettingsError("serverUrl", `Not a URL: ${value}`);
  }
  if (!["http:", "https:"].includes(url.protocol) || !LOOPBACK_HOSTS.includes(url.hostname) || url.username || url.password) {
    throw new SettingsError("serverUrl", `The server must run on this machine (127.0.0.1 or localhost): ${value}`);
  }
  return url.origin;
}

function integerIn(field, value, min, max) {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new SettingsError(field, `${field} must be a whole number from ${min} to ${max}: ${value}`);
  }
  return number;
}

/** Checks and normalises changed settings; throws SettingsError naming the offending field. */
function validate(changes) {
  const out = {};
  for (const [key, value] of Object.entries(changes)) {
    switch (key) {
      case "serverUrl":
        out.serverUrl = normaliseServerUrl(value);
        break;
      case "token": {
        const token = String(value).trim();
        if (token.length > 4096 || /\s/.test(token)) throw new SettingsError("token", "The token cannot contain spaces or line breaks.");
        out.token = token;
        break;
      }
      case "sensitivity":
        if (!SENSITIVITIES.includes(value)) throw new SettingsError(key, `Unknown sensitivity: ${value}`);
        out.sensitivity = value;
        break;
      case "language":
        if (!LANGUAGES.includes(value)) throw new SettingsError(key, `Unknown language: ${value}`);
        out.language = value;
        break;
      case "sites": {
        if (!value || typeof value !== "object") throw new SettingsError(key, "sites must be an object of booleans");
        const sites = { ...DEFAULT_SETTINGS.sites };
        for (const [site, enabled] of Object.entries(value)) {
          if (!(site in sites) || typeof enabled !== "boolean") throw new SettingsError(key, `Unknown site or value: ${site}`);
          sites[site] = enabled;
        }
        out.sites = sites;
        break;
      }
      case "debounceMs":
        out.debounceMs = integerIn(key, value, 50, 5000);
        break;
      case "minChars":
        out.minChars = integerIn(key, value, 1, 200);
        break;
      default:
        throw new SettingsError(key, `Unknown setting: ${key}`);
    }
  }
  return out;
}

async function saveSettings(changes) {
  const valid = validate(changes || {});
  const { token, ...sync } = valid;
  if (Object.keys(sync).length) await chrome.storage.sync.set(sync);
  if (token !== undefined) await chrome.storage.local.set({ token });
  return loadSettings();
}

// Every open Gmail / Chatwork tab re-reads its configuration when the settings change.
chrome.storage.onChanged.addListener((_changes, area) => {
  if (area === "sync" || area === "local") broadcastConfigChanged();
});

async function broadcastConfigChanged() {
  const tabs = await chrome.tabs.query({});
  for (const tab of tabs) {
    // Tabs without our content script have no receiver; that is expected.
    chrome.tabs.sendMessage(tab.id, { type: MSG.CONFIG_CHANGED }).catch(() => {});
  }
}

// --- UI strings (the options page's language choice, so not chrome.i18n) -------------------------

const stringsCache = new Map();

function resolveLanguage(preference) {
  if (preference === "ja" || preference === "en") return preference;
  return chrome.i18n.getUILanguage().toLowerCase().startsWith("ja") ? "ja" : "en";
}

async function loadStrings(lang) {
  if (!stringsCache.has(lang)) {
    const response = await fetch(chrome.runtime.getURL(`_locales/${lang}/messages.json`));
    const messages = await response.json();
    stringsCache.set(lang, Object.fromEntries(Object.entries(messages).map(([key, entry]) => [key, entry.message])));
  }
  return stringsCache.get(lang);
}

// --- the local server ------------------------------------------------------------------------

const inFlight = new Map(); // "<tab>:<frame>:<editor>" -> AbortController of its latest request

function requestKey(sender, editorId) {
  return `${sender.tab ? sender.tab.id : "-"}:${sender.frameId || 0}:${editorId}`;
}

function headers(settings) {
  const out = { "Content-Type": "application/json", Accept: "application/json" };
  if (settings.token) out.Authorization = `Bearer ${settings.token}`;
  return out;
}

async function callServer(settings, path, init, controller, timeoutMs) {
  const timer = setTimeout(() => controller.abort(TIMEOUT), timeoutMs);
  try {
    const response = await fetch(`${settings.serverUrl}${path}`, {
      ...init,
      headers: headers(settings),
      signal: controller.signal,
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
    const body = await response.json().catch(() => null);
    if (response.ok) return { ok: true, body };
    const error = (body && body.error) || {};
    const code = { 401: "unauthorized", 403: "forbidden" }[response.status] || error.code || `http_${response.status}`;
    return { ok: false, error: { code, status: response.status, message: error.message || response.statusText } };
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason !== TIMEOUT) return { ok: false, error: { code: "cancelled" } };
    const timedOut = controller.signal.reason === TIMEOUT;
    return { ok: false, error: { code: "offline", message: timedOut ? "timeout" : String(error.message || error) } };
  } finally {
    clearTimeout(timer);
  }
}

function looksLikeAdvice(body) {
  return !!body && RECOMMENDATIONS.includes(body.recommendation) && Array.isArray(body.reasons);
}

/** Whether `thread` is what content/thread.js produces: [{text, author, me}] within its limits. */
function isThread(thread) {
  return (
    Array.isArray(thread) &&
    thread.length <= MAX_THREAD_MESSAGES &&
    thread.every(
      (m) =>
        !!m &&
        typeof m.text === "string" &&
        m.text.length <= MAX_THREAD_MESSAGE_CHARS &&
        typeof m.author === "string" &&
        m.author.length <= MAX_THREAD_AUTHOR_CHARS &&
        typeof m.me === "boolean",
    )
  );
}

/** The messages as the server takes them (only the three known fields). */
function threadBody(thread) {
  return thread.map(({ text, author, me }) => ({ text, author, me }));
}

async function analyze(message, sender) {
  if (typeof message.text !== "string" || !CHANNELS.includes(message.channel)) {
    throw new Error("analyze needs {text: string, channel: 'chat' | 'email'}");
  }
  if (message.thread !== undefined && message.thread !== null && !isThread(message.thread)) {
    throw new Error(`analyze's thread must be [{text, author, me}] of at most ${MAX_THREAD_MESSAGES} messages`);
  }
  const key = requestKey(sender, message.editorId);
  const previous = inFlight.get(key);
  if (previous) previous.abort(); // only the latest draft's answer matters
  const controller = new AbortController();
  inFlight.set(key, controller);
  try {
    const settings = await loadSettings();
    const request = { text: message.text, channel: message.channel, sensitivity: settings.sensitivity };
    if (message.thread) request.thread = threadBody(message.thread);
    const result = await callServer(settings, "/v1/analyze", { method: "POST", body: JSON.stringify(request) }, controller, ANALYZE_TIMEOUT_MS);
    if (!result.ok) return result;
    const advice = result.body;
    if (!looksLikeAdvice(advice)) return { ok: false, error: { code: "bad_response", message: "The server's answer is not advice." } };
    if ("thread" in advice && !looksLikeAdvice(advice.thread)) delete advice.thread; // judge by the draft alone
    return { ok: true, advice };
  } finally {
    if (inFlight.get(key) === controller) inFlight.delete(key);
  }
}

async function recap(message) {
  if (!isThread(message.thread) || !message.thread.length || typeof message.draft !== "string" || !CHANNELS.includes(message.channel)) {
    throw new Error("recap needs {thread: [{text, author, me}, ...], draft: string, channel: 'chat' | 'email'}");
  }
  const settings = await loadSettings();
  const request = { messages: threadBody(message.thread), channel: message.channel };
  if (message.draft.trim()) request.draft = message.draft;
  const result = await callServer(settings, "/v1/recap", { method: "POST", body: JSON.stringify(request) }, new AbortController(), RECAP_TIMEOUT_MS);
  if (!result.ok) return result;
  if (!result.body || typeof result.body.recap !== "string") return { ok: false, error: { code: "bad_response", message: "The server's answer is not a recap." } };
  return { ok: true, recap: result.body.recap };
}

async function testConnection() {
  const settings = await loadSettings();
  const result = await callServer(settings, "/v1/health", { method: "GET" }, new AbortController(), HEALTH_TIMEOUT_MS);
  return result.ok ? { ok: true, health: result.body || {}, serverUrl: settings.serverUrl } : { ...result, serverUrl: settings.serverUrl };
}

// --- the self-check: which parts of a Gmail / Chatwork tab could not be found ---------------------
// Kept in chrome.storage.session (memory only, gone when the browser closes) as {tabId: {site, missing}}:
// the site and the names of the missing parts, never a URL or any text of the page.

const SELF_CHECK_KEY = "selfCheck";
let selfCheckWrites = Promise.resolve(); // one read-modify-write at a time

function updateSelfCheck(change) {
  selfCheckWrites = selfCheckWrites
    .then(async () => {
      const stored = (await chrome.storage.session.get(SELF_CHECK_KEY))[SELF_CHECK_KEY] || {};
      change(stored);
      await chrome.storage.session.set({ [SELF_CHECK_KEY]: stored });
    })
    .catch(() => {});
  return selfCheckWrites;
}

async function selfCheck(message, sender) {
  const missing = Array.isArray(message.missing) ? message.missing : null;
  if (!SITE_IDS.includes(message.site) || !missing || !missing.every((part) => SELF_CHECK_PARTS.includes(part))) {
    throw new Error("self-check needs {site: 'gmail' | 'chatwork', missing: [part, ...]}");
  }
  const tabId = sender.tab && sender.tab.id;
  if (typeof tabId !== "number" || sender.frameId) return { ok: true }; // only a tab's top page speaks for it
  await updateSelfCheck((stored) => {
    if (missing.length) stored[tabId] = { site: message.site, missing: [...new Set(missing)] };
    else delete stored[tabId];
  });
  // The toolbar icon of that tab says so quietly: a "!" and a tooltip naming the parts.
  const strings = await loadStrings(resolveLanguage((await loadSettings()).language));
  const parts = missing.map((part) => strings[`selfCheckPart_${part}`]).join(", ");
  await Promise.all([
    chrome.action.setBadgeText({ tabId, text: missing.length ? "!" : "" }),
    chrome.action.setBadgeBackgroundColor({ tabId, color: "#b06000" }),
    chrome.action.setTitle({ tabId, title: missing.length ? self.hishoTone.format(strings["selfCheckActionTitle"], { part: parts }) : strings["actionTitle"] }),
  ]).catch(() => {}); // the tab may be gone already
  return { ok: true };
}

async function getSelfCheck() {
  await selfCheckWrites;
  const stored = (await chrome.storage.session.get(SELF_CHECK_KEY))[SELF_CHECK_KEY] || {};
  const tabs = new Set((await chrome.tabs.query({})).map((tab) => String(tab.id)));
  const pages = Object.entries(stored)
    .filter(([tabId]) => tabs.has(tabId))
    .map(([, entry]) => entry);
  return { ok: true, pages };
}

chrome.tabs.onRemoved.addListener((tabId) => updateSelfCheck((stored) => delete stored[tabId]));

// --- messages --------------------------------------------------------------------------------

async function uiPayload(settings) {
  const lang = resolveLanguage(settings.language);
  return { settings, lang, strings: await loadStrings(lang) };
}

const HANDLERS = {
  async [MSG.GET_CONFIG](message) {
    const settings = await loadSettings();
    const lang = resolveLanguage(settings.language);
    return {
      ok: true,
      enabled: settings.sites[message.site] === true,
      debounceMs: settings.debounceMs,
      minChars: settings.minChars,
      lang,
      strings: await loadStrings(lang),
    };
  },
  [MSG.ANALYZE]: analyze,
  [MSG.RECAP]: recap,
  async [MSG.CANCEL](message, sender) {
    const controller = inFlight.get(requestKey(sender, message.editorId));
    if (controller) controller.abort();
    return { ok: true };
  },
  async [MSG.OPEN_OPTIONS](message) {
    const section = /^[a-z-]+$/.test(message.section || "") ? `#${message.section}` : "";
    await chrome.tabs.create({ url: chrome.runtime.getURL(`options/options.html${section}`) });
    return { ok: true };
  },
  async [MSG.GET_SETTINGS]() {
    return { ok: true, ...(await uiPayload(await loadSettings())) };
  },
  async [MSG.SAVE_SETTINGS](message) {
    return { ok: true, ...(await uiPayload(await saveSettings(message.changes))) };
  },
  [MSG.TEST_CONNECTION]: testConnection,
  [MSG.SELF_CHECK]: selfCheck,
  [MSG.GET_SELF_CHECK]: getSelfCheck,
};

// The settings (the token among them) are for the extension's own pages, never for content scripts.
const EXTENSION_PAGES_ONLY = new Set([MSG.GET_SETTINGS, MSG.SAVE_SETTINGS, MSG.TEST_CONNECTION, MSG.GET_SELF_CHECK]);

function fromExtensionPage(sender) {
  return typeof sender.url === "string" && sender.url.startsWith(chrome.runtime.getURL(""));
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  const handler = Object.prototype.hasOwnProperty.call(HANDLERS, message && message.type) ? HANDLERS[message.type] : null;
  if (!handler) self.hishoTone.unknownMessage(message);
  if (EXTENSION_PAGES_ONLY.has(message.type) && !fromExtensionPage(sender)) {
    throw new Error(`hisho-tone: ${message.type} is only answered to the extension's own pages`);
  }
  Promise.resolve()
    .then(() => handler(message, sender))
    .then(sendResponse, (error) =>
      sendResponse({ ok: false, error: { code: error.code || "internal", field: error.field, message: String(error.message || error) } }),
    );
  return true; // the answer is asynchronous
});

chrome.action.onClicked.addListener(() => chrome.runtime.openOptionsPage());
