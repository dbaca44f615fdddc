/*
 * The badge beside a compose box and its panel, drawn in a shadow root with DOM APIs only
 * (Gmail enforces Trusted Types: no innerHTML with strings anywhere in this extension).
 *
 * The host element lives at the end of <body>, outside the editor and outside the timeline, so the
 * badge never enters the draft and its own changes never reach the app's observers (or ours).
 * The host carries data-hisho-tone-badge and data-recommendation="<state>" for automation, an
 * accessible name, and is a tab stop (focus is delegated to the badge button).
 */
(() => {
  "use strict";
  const ns = (globalThis.hishoTone = globalThis.hishoTone || {});

  const HOST_TAG = "hisho-tone-badge";
  const GAP = 6; // px between the badge and the compose box's edge / the send button
  const PANEL_WIDTH = 340;

  const STYLE = `
:host { all: initial; position: fixed; z-index: 2147483000; display: block; top: 0; left: 0;
  font: 13px/1.5 system-ui, -apple-system, "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic UI", Meiryo, sans-serif;
  color: #202124; --fg: #5f6368; --bg: #f1f3f4; --edge: #dadce0; }
:host([hidden]) { display: none; }
:host([data-recommendation="text"]) { --fg: #188038; --bg: #e6f4ea; --edge: #ceead6; }
:host([data-recommendation="text_with_care"]) { --fg: #8a4b00; --bg: #fef7e0; --edge: #fbd97a; }
:host([data-recommendation="call"]) { --fg: #b3261e; --bg: #fce8e6; --edge: #f6aea9; }
:host([data-recommendation="video"]) { --fg: #7627bb; --bg: #f3e8fd; --edge: #d7aefb; }
:host([data-recommendation="offline"]) { --fg: #5f6368; --bg: #ffffff; --edge: #bdc1c6; }
.badge { all: unset; box-sizing: border-box; display: inline-flex; align-items: center; gap: 6px; height: 24px;
  padding: 0 10px 0 8px; border-radius: 12px; border: 1px solid var(--edge); background: var(--bg); color: var(--fg);
  font: inherit; font-size: 12px; font-weight: 600; cursor: pointer; white-space: nowrap;
  box-shadow: 0 1px 2px rgba(60, 64, 67, 0.25); }
:host([data-recommendation="offline"]) .badge { border-style: dashed; font-weight: 400; }
.badge:focus-visible { outline: 2px solid #1a73e8; outline-offset: 2px; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: var(--fg); flex: none; }
:host([data-recommendation="pending"]) .dot { animation: pulse 1s ease-in-out infinite alternate; }
:host([data-recommendation="text"]) .badge { width: 24px; padding: 0; justify-content: center; opacity: 0.8; }
:host([data-recommendation="text"]) .badge .label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
@keyframes pulse { from { opacity: 0.3; } to { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { :host([data-recommendation="pending"]) .dot { animation: none; } }
.panel { position: absolute; right: 0; bottom: calc(100% + 8px); box-sizing: border-box; width: ${PANEL_WIDTH}px;
  max-width: calc(100vw - 16px); max-height: min(440px, 70vh); overflow: auto; padding: 12px 14px;
  background: #fff; color: #202124; border: 1px solid #dadce0; border-radius: 8px;
  box-shadow: 0 4px 16px rgba(60, 64, 67, 0.28); white-space: normal; }
.panel.below { bottom: auto; top: calc(100% + 8px); }
.panel.from-left { right: auto; left: 0; }
.panel[hidden] { display: none; }
.head { display: flex; align-items: flex-start; gap: 8px; }
.title { flex: 1; margin: 0; font-size: 14px; font-weight: 700; color: var(--fg); }
.close { all: unset; cursor: pointer; width: 24px; height: 24px; line-height: 24px; text-align: center; border-radius: 12px; color: #5f6368; font-size: 16px; }
.close:hover { background: #f1f3f4; }
.close:focus-visible, .button:focus-visible, .link:focus-visible { outline: 2px solid #1a73e8; outline-offset: 2px; }
.summary { margin: 6px 0 0; }
.meta { margin: 4px 0 0; color: #5f6368; font-size: 12px; }
.section-title { margin: 12px 0 4px; font-size: 12px; font-weight: 700; color: #5f6368; }
.reasons { margin: 0; padding: 0; list-style: none; }
.reason { margin: 0 0 8px; padding: 6px 8px; border-left: 3px solid var(--edge); background: #f8f9fa; border-radius: 0 4px 4px 0; }
.reason[data-category="emotion"] { border-left-color: #f28b82; }
.reason[data-category="ambiguity"] { border-left-color: #fdd663; }
.reason[data-category="sensitivity"] { border-left-color: #d7aefb; }
.reason[data-category="complexity"] { border-left-color: #78d9ec; }
.thread-reasons { margin: 0; padding: 0; list-style: none; }
.thread-reason { margin: 0 0 8px; padding: 6px 8px; border-left: 3px solid #8ab4f8; background: #f8f9fa; border-radius: 0 4px 4px 0; }
.thread-reason[data-kind="rising_emotion"], .thread-reason[data-kind="repeated_request"] { border-left-color: #f28b82; }
.thread-reason[data-kind="misalignment"], .thread-reason[data-kind="unanswered_question"] { border-left-color: #fdd663; }
.thread-reason .tag:first-child { margin-left: 0; }
.phrase { font-weight: 700; }
.tag { margin-left: 6px; color: #5f6368; font-size: 11px; }
.message, .hint { margin: 2px 0 0; }
.hint { color: #137333; }
.invitation-text, .recap-text { margin: 0; padding: 8px; background: #f8f9fa; border: 1px solid #e8eaed; border-radius: 4px; white-space: pre-wrap; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; align-items: center; }
.button { all: unset; box-sizing: border-box; cursor: pointer; padding: 4px 12px; border-radius: 4px; border: 1px solid #dadce0;
  background: #fff; color: #1a73e8; font-size: 12px; font-weight: 600; }
.button:hover { background: #f1f3f4; }
.button.primary { background: #1a73e8; border-color: #1a73e8; color: #fff; }
.button.primary:hover { background: #1765cc; }
.link { all: unset; cursor: pointer; color: #1a73e8; text-decoration: underline; font-size: 12px; }
.status { color: #5f6368; font-size: 12px; }
.foot { display: flex; justify-content: flex-end; margin-top: 12px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; background: #f1f3f4; padding: 0 4px; border-radius: 3px; white-space: nowrap; }
`;

  let sheet = null;
  function styleSheet() {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
    }
    return sheet;
  }

  /** Builds an element: h("p", {class: "x", onclick: fn}, "text", child, ...). Text is always a Text node. */
  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  /** 「a」「b」: every place a reason was found (a server older than `spans` sends only `surface`). */
  function reasonPhrases(reason) {
    const spans = Array.isArray(reason.spans) && reason.spans.length ? reason.spans : [reason];
    return spans.map((span) => `「${span.surface}」`).join("");
  }

  function intersects(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  class Badge {
    /**
     * @param {object} strings  UI strings of the chosen language (from _locales via the service worker)
     * @param {object} actions  {insert(text), copy(text) -> Promise<boolean>, recap() -> Promise<{ok, recap} | {ok: false, error}>,
     *                           dismiss(), retry(), openHelp(), closed()}
     */
    constructor(strings, actions) {
      this.strings = strings;
      this.actions = actions;
      this.state = "pending";
      this.detail = null;
      this.announced = null;
      this.recap = { state: "idle", text: "", error: null }; // "通話後のまとめ" for the advice on show

      this.host = document.createElement(HOST_TAG);
      this.host.setAttribute("data-hisho-tone-badge", "");
      this.host.setAttribute("data-recommendation", this.state);
      this.host.setAttribute("role", "group");
      this.host.tabIndex = 0;
      this.host.style.setProperty("position", "fixed", "important");
      this.root = this.host.attachShadow({ mode: "open", delegatesFocus: true });
      this.root.adoptedStyleSheets = [styleSheet()];

      this.label = h("span", { class: "label" });
      this.button = h(
        "button",
        { class: "badge", type: "button", "aria-haspopup": "dialog", "aria-expanded": "false", "aria-controls": "panel", onclick: () => this.toggle() },
        h("span", { class: "dot", "aria-hidden": "true" }),
        this.label,
      );
      this.panel = h("div", { class: "panel", id: "panel", role: "dialog", "aria-labelledby": "panel-title", hidden: true });
      this.panel.addEventListener("keydown", (event) => {
        if (event.key === "Escape") {
          event.stopPropagation();
          this.close(true);
        }
      });
      this.live = h("span", { class: "visually-hidden", role: "status", "aria-live": "polite" });
      this.root.append(this.button, this.panel, this.live);
      this.render();
    }

    t(key, values) {
      const template = this.strings[key];
      return template === undefined ? key : ns.format(template, values);
    }

    get isOpen() {
      return !this.panel.hidden;
    }

    /** Shows `state` (one of STATES); `detail` is the advice, or the error for "offline". */
    show(state, detail = null) {
      const changed = state !== this.state;
      if (detail !== this.detail) this.recap = { state: "idle", text: "", error: null };
      this.state = state;
      this.detail = detail;
      this.host.setAttribute("data-recommendation", state);
      this.render();
      if (changed && state !== "pending" && this.announced !== state) {
        this.announced = state;
        this.live.textContent = this.t(`badge_${state}`);
      }
    }

    setStrings(strings) {
      this.strings = strings;
      this.render();
    }

    render() {
      const name = this.t(`badge_${this.state}`);
      this.label.textContent = name;
      this.button.setAttribute("title", this.t("badgeTooltip", { state: name }));
      this.host.setAttribute("aria-label", this.t("badgeName", { state: name }));
      if (this.isOpen) this.renderPanel();
    }

    toggle() {
      if (this.isOpen) this.close(false);
      else this.open();
    }

    open() {
      this.renderPanel();
      this.panel.hidden = false;
      this.button.setAttribute("aria-expanded", "true");
      this.orientPanel();
      const first = this.panel.querySelector("button");
      if (first) first.focus({ preventScroll: true });
    }

    /** Closes the panel; `returnFocus` gives the focus back to the compose box (Escape, "×"). */
    close(returnFocus) {
      if (!this.isOpen) return;
      this.panel.hidden = true;
      this.button.setAttribute("aria-expanded", "false");
      if (returnFocus) this.actions.closed();
    }

    remove() {
      this.close(false);
      this.host.remove();
    }

    /** Opens the panel upwards unless there is no room above, and leftwards unless there is no room. */
    orientPanel() {
      const rect = this.host.getBoundingClientRect();
      const height = Math.min(this.panel.scrollHeight || 0, 440);
      this.panel.classList.toggle("below", rect.top < height + 16);
      this.panel.classList.toggle("from-left", rect.right < Math.min(PANEL_WIDTH, window.innerWidth - 16) + 8);
    }

    /**
     * Puts the badge inside the bottom-right corner of `anchor` (the compose box's rectangle, clamped to
     * the viewport) and off every rectangle in `avoid` (the send button). Hides it when the box is not visible.
     */
    place(anchor, avoid = []) {
      const visible = anchor && anchor.width > 0 && anchor.height > 0 && anchor.bottom > 0 && anchor.right > 0 &&
        anchor.top < window.innerHeight && anchor.left < window.innerWidth;
      if (!visible) {
        this.host.style.setProperty("visibility", "hidden");
        return;
      }
      const own = this.button.getBoundingClientRect();
      const width = own.width || 24;
      const height = own.height || 24;
      const bottom = Math.min(anchor.bottom, window.innerHeight);
      const right = Math.min(anchor.right, window.innerWidth);
      let left = Math.max(anchor.left, right - width - GAP);
      let top = Math.max(anchor.top, bottom - height - GAP);
      for (const rect of avoid) {
        const box = { left, top, right: left + width, bottom: top + height };
        if (!rect || !intersects(box, rect)) continue;
        if (rect.left - width - GAP >= anchor.left) left = rect.left - width - GAP; // beside it
        else top = Math.max(0, rect.top - height - GAP); // or above it
      }
      this.host.style.setProperty("left", `${Math.round(left)}px`);
      this.host.style.setProperty("top", `${Math.round(top)}px`);
      this.host.style.removeProperty("visibility");
      if (this.isOpen) this.orientPanel();
    }

    renderPanel() {
      const state = this.state;
      const title = h("h2", { class: "title", id: "panel-title" }, this.t(`panel_${state}`));
      const close = h("button", { class: "close", type: "button", "aria-label": this.t("close"), onclick: () => this.close(true) }, "×");
      const body = [h("div", { class: "head" }, title, close)];
      if (state === "offline") body.push(...this.offlineBody());
      else if (state === "pending") body.push(h("p", { class: "summary" }, this.t("pendingMessage")));
      else body.push(...this.adviceBody(this.detail || {}));
      body.push(h("div", { class: "foot" }, h("button", { class: "button", type: "button", "data-action": "dismiss", onclick: () => this.actions.dismiss() }, this.t("notNow"))));
      this.panel.replaceChildren(...body);
    }

    adviceBody(advice) {
      const out = [];
      const thread = advice.thread && typeof advice.thread === "object" ? advice.thread : null;
      // The conversation leads when its verdict is stronger than the draft's own.
      const threadLeads = !!thread && ns.stronger(advice.recommendation, thread.recommendation) !== advice.recommendation;
      const lead = threadLeads ? thread : advice;
      if (lead.summary) out.push(h("p", { class: "summary" }, lead.summary));
      const probability = thread ? thread.call_probability : advice.call_probability;
      if (typeof probability === "number") {
        out.push(h("p", { class: "meta" }, this.t("probability", { percent: Math.round(probability * 100) })));
      }
      const messages = thread && Array.isArray(thread.per_message) ? thread.per_message.length : 0;
      if (messages) out.push(h("p", { class: "meta", "data-role": "thread-meta" }, this.t("threadMeta", { count: messages })));
      // What the extension left out of the conversation to stay within the one thread limit (content/thread.js).
      const read = messages && advice.threadRead ? advice.threadRead : null;
      if (read && read.skipped) {
        out.push(h("p", { class: "meta", "data-role": "thread-truncated" }, this.t("threadTruncated", { count: read.sent, skipped: read.skipped })));
      }
      if (read && read.clipped) out.push(h("p", { class: "meta", "data-role": "thread-clipped" }, this.t("threadClipped", { chars: read.chars })));
      if (advice.truncated) out.push(h("p", { class: "meta" }, this.t("truncated", { chars: advice.analyzed_chars })));
      const threadReasons = thread && Array.isArray(thread.reasons) ? thread.reasons : [];
      if (threadReasons.length) {
        out.push(h("h3", { class: "section-title" }, this.t("threadHeading")));
        out.push(h("ul", { class: "thread-reasons" }, threadReasons.map((reason) => this.threadReasonItem(reason))));
      }
      const reasons = Array.isArray(advice.reasons) ? advice.reasons : [];
      if (reasons.length) {
        out.push(h("h3", { class: "section-title" }, this.t("reasonsHeading")));
        out.push(h("ul", { class: "reasons" }, reasons.map((reason) => this.reasonItem(reason))));
      }
      const invitation = (threadLeads && thread.invitation) || advice.invitation;
      if (invitation) out.push(...this.invitationSection(invitation));
      if (messages) out.push(...this.recapSection());
      return out;
    }

    threadReasonItem(reason) {
      return h(
        "li",
        { class: "thread-reason", "data-kind": reason.kind },
        h("div", {}, reason.surface ? h("span", { class: "phrase" }, `「${reason.surface}」`) : null, h("span", { class: "tag" }, reason.label || "")),
        h("p", { class: "message" }, reason.message),
        reason.hint ? h("p", { class: "hint" }, `→ ${reason.hint}`) : null,
      );
    }

    reasonItem(reason) {
      const tag = [this.t(`category_${reason.category}`), reason.label].filter(Boolean).join(" · ");
      return h(
        "li",
        { class: "reason", "data-kind": reason.kind, "data-category": reason.category },
        h("div", {}, h("span", { class: "phrase" }, reasonPhrases(reason)), h("span", { class: "tag" }, tag)),
        h("p", { class: "message" }, reason.message),
        reason.hint ? h("p", { class: "hint" }, `→ ${reason.hint}`) : null,
      );
    }

    invitationSection(invitation) {
      const status = h("span", { class: "status", role: "status" });
      const copy = async () => {
        const ok = await this.actions.copy(invitation);
        status.textContent = this.t(ok ? "copied" : "copyFailed");
      };
      const insert = () => {
        this.actions.insert(invitation);
        status.textContent = this.t("inserted");
      };
      return [
        h("h3", { class: "section-title" }, this.t("invitationHeading")),
        h("p", { class: "invitation-text", "data-role": "invitation" }, invitation),
        h(
          "div",
          { class: "actions" },
          h("button", { class: "button primary", type: "button", "data-action": "insert", onclick: insert }, this.t("insert")),
          h("button", { class: "button", type: "button", "data-action": "copy", onclick: copy }, this.t("copy")),
          status,
        ),
      ];
    }

    /** "通話後のまとめを作成": asks for the recap, then offers it like the invitation (insert or copy). */
    recapSection() {
      const recap = this.recap;
      const out = [h("h3", { class: "section-title" }, this.t("recapHeading"))];
      if (recap.state !== "ready") {
        const status = h(
          "span",
          { class: "recap-status", role: "status" },
          recap.state === "loading" ? this.t("recapLoading") : recap.state === "failed" ? this.t("recapFailed", { message: recap.error }) : "",
        );
        const button = h(
          "button",
          { class: "button", type: "button", "data-action": "recap", disabled: recap.state === "loading", onclick: () => this.makeRecap() },
          this.t("recapButton"),
        );
        out.push(h("div", { class: "actions" }, button, status));
        return out;
      }
      const status = h("span", { class: "recap-status", role: "status" });
      const copy = async () => {
        const ok = await this.actions.copy(recap.text);
        status.textContent = this.t(ok ? "copied" : "copyFailed");
      };
      const insert = () => {
        this.actions.insert(recap.text);
        status.textContent = this.t("inserted");
      };
      out.push(
        h("p", { class: "recap-text", "data-role": "recap" }, recap.text),
        h(
          "div",
          { class: "actions" },
          h("button", { class: "button primary", type: "button", "data-action": "insert-recap", onclick: insert }, this.t("insert")),
          h("button", { class: "button", type: "button", "data-action": "copy-recap", onclick: copy }, this.t("copy")),
          status,
        ),
      );
      return out;
    }

    async makeRecap() {
      const detail = this.detail;
      this.recap = { state: "loading", text: "", error: null };
      this.refreshPanel('[data-action="recap"]');
      const response = await this.actions.recap();
      if (this.detail !== detail) return; // a newer answer replaced the panel meanwhile
      this.recap = response && response.ok
        ? { state: "ready", text: response.recap, error: null }
        : { state: "failed", text: "", error: (response && response.error && (response.error.message || response.error.code)) || "offline" };
      this.refreshPanel(this.recap.state === "ready" ? '[data-action="insert-recap"]' : '[data-action="recap"]');
    }

    /** Redraws an open panel and puts the focus back on `focusSelector` (the redraw replaced the buttons). */
    refreshPanel(focusSelector) {
      if (!this.isOpen) return;
      const scroll = this.panel.scrollTop;
      this.renderPanel();
      this.panel.scrollTop = scroll;
      const target = this.panel.querySelector(focusSelector);
      if (target) {
        target.scrollIntoView({ block: "nearest" });
        target.focus({ preventScroll: true });
      }
    }

    offlineBody() {
      const error = this.detail || {};
      const key = { unauthorized: "errorUnauthorized", forbidden: "errorForbidden" }[error.code];
      const message = key ? this.t(key) : error.code === "offline" || !error.code ? this.t("offlineMessage") : this.t("errorGeneric", { message: error.message || error.code });
      const command = h("p", { class: "meta" }, this.t("startCommandLead"), " ", h("code", {}, "hisho-tone serve"));
      return [
        h("p", { class: "summary" }, message),
        command,
        h(
          "div",
          { class: "actions" },
          h("button", { class: "button primary", type: "button", "data-action": "retry", onclick: () => this.actions.retry() }, this.t("retry")),
          h("button", { class: "link", type: "button", "data-action": "help", onclick: () => this.actions.openHelp() }, this.t("offlineHowTo")),
        ),
        h("p", { class: "meta" }, this.t("neverBlocks")),
      ];
    }
  }

  ns.Badge = Badge;
  ns.BADGE_HOST_TAG = HOST_TAG;
})();
