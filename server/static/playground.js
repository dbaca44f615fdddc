// hisho-tone playground: type a draft, see the advice live.
// Text reaches the page only through textContent / DOM nodes, never innerHTML.
"use strict";

(() => {
  const DEBOUNCE_MS = 300;
  const SCORES = ["call_probability", "ambiguity", "emotional_weight"];

  const MESSAGES = {
    ja: {
      title: "hisho-tone プレイグラウンド",
      tagline: "この下書き、文面で送って大丈夫？ それとも通話にすべき？",
      draftLabel: "下書き",
      placeholder: "例: 例の件、いい感じに進めておいてください。",
      samples: "例文:",
      sample0: "曖昧な依頼",
      sample1: "不満",
      sample2: "料金の変更",
      sample3: "具体的な連絡",
      channel: "送信先",
      chat: "チャット",
      email: "メール",
      sensitivity: "慎重さ",
      low: "低",
      normal: "標準",
      high: "高",
      tokenLabel: "アクセストークン",
      tokenNote: "このサーバーはトークンを要求しています（--token / HISHO_TONE_TOKEN）。",
      privacy: "入力した文章はこのパソコンの外に送られず、どこにも記録されません。",
      result: "判定",
      idleBadge: "入力待ち",
      idle: "下書きを入力すると、その場で判定します。",
      callProbability: "通話が望ましい確率",
      ambiguity: "曖昧さ",
      emotionalWeight: "感情の重さ",
      highlighted: "気になる表現",
      invitation: "通話の提案文",
      copy: "コピー",
      copied: "コピーしました",
      apiDoc: "API 仕様 (OpenAPI)",
      analysing: "判定中…",
      noReasons: "気になる表現は見つかりませんでした。",
      offline: "サーバーに接続できません。`hisho-tone serve` が動いているか確認してください。",
      needToken: "トークンを入力してください。",
      error: "判定できませんでした: ",
      truncated: "長文のため、先頭 {n} 文字だけを判定しました。",
      excluded: "引用 {q} 文字・署名 {s} 文字を除いて判定しました。",
      model: "モデル: {m}",
      service: "hisho-tone {v} ・ モデル {m}",
      hint: "書き換えのヒント: ",
      categories: { ambiguity: "曖昧さ", emotion: "感情", sensitivity: "慎重な話題", complexity: "込み入った内容" },
      labels: { text: "このまま送信OK", text_with_care: "見直してから送信", call: "通話をおすすめ", video: "ビデオ通話をおすすめ" },
      summaries: null, // the server's Japanese summary is shown as is
    },
    en: {
      title: "hisho-tone playground",
      tagline: "Can this draft go out as text, or should it be a call?",
      draftLabel: "Draft (Japanese)",
      placeholder: "e.g. 例の件、いい感じに進めておいてください。",
      samples: "Samples:",
      sample0: "Vague request",
      sample1: "Displeasure",
      sample2: "Fee change",
      sample3: "Specific notice",
      channel: "Channel",
      chat: "Chat",
      email: "Email",
      sensitivity: "Sensitivity",
      low: "Low",
      normal: "Normal",
      high: "High",
      tokenLabel: "Access token",
      tokenNote: "This server requires a token (--token / HISHO_TONE_TOKEN).",
      privacy: "What you type never leaves this computer and is never recorded.",
      result: "Verdict",
      idleBadge: "Waiting",
      idle: "Type a draft to see the advice as you write.",
      callProbability: "Call probability",
      ambiguity: "Ambiguity",
      emotionalWeight: "Emotional weight",
      highlighted: "Phrases to look at",
      invitation: "Call invitation (Japanese)",
      copy: "Copy",
      copied: "Copied",
      apiDoc: "API (OpenAPI)",
      analysing: "Analysing…",
      noReasons: "Nothing in this draft stands out.",
      offline: "Cannot reach the server. Is `hisho-tone serve` running?",
      needToken: "Please enter the access token.",
      error: "Could not analyse: ",
      truncated: "Long text: only the first {n} characters were analysed.",
      excluded: "Set aside {q} quoted and {s} signature characters.",
      model: "model: {m}",
      service: "hisho-tone {v} · model {m}",
      hint: "Try instead: ",
      categories: { ambiguity: "ambiguity", emotion: "emotion", sensitivity: "sensitive topic", complexity: "complexity" },
      labels: { text: "Fine to send", text_with_care: "Review before sending", call: "Suggest a call", video: "Suggest a video call" },
      summaries: {
        text: "This reads fine as text.",
        text_with_care: "Text can work, but some phrases may be misread. Review them before sending.",
        call: "This is easy to misunderstand in writing. Propose a short call.",
        video: "This matters. A video call or meeting in person is the better way.",
      },
    },
  };

  const SAMPLES = [
    "例の件、いい感じに進めておいてください。なるべく早めでお願いします。",
    "何度も同じことをお伝えしていますが、正直がっかりしています。もういいです。",
    "来月から月額料金を改定させていただくことになりました。詳細は追ってご連絡します。",
    "明日10時の定例は会議室Bに変更です。資料は共有フォルダの「定例_0612」に入れました。",
  ];

  const $ = (id) => document.getElementById(id);
  const state = {
    lang: "ja",
    timer: 0,
    seq: 0,
    controller: null,
    last: null, // {text, advice} of the latest answer shown
    service: null,
  };

  // ---- language --------------------------------------------------------------------------
  function t(key, vars) {
    let s = MESSAGES[state.lang][key];
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, String(v));
    return s;
  }

  function setLanguage(lang) {
    state.lang = MESSAGES[lang] ? lang : "ja";
    document.documentElement.lang = state.lang;
    try { localStorage.setItem("hisho-tone.lang", state.lang); } catch (_) { /* storage may be off */ }
    for (const el of document.querySelectorAll("[data-i18n]")) {
      if (el.id === "badge" && state.last) continue;
      if (el.id === "summary" && state.last) continue;
      el.textContent = t(el.dataset.i18n);
    }
    for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
    for (const btn of document.querySelectorAll(".lang button")) btn.setAttribute("aria-pressed", String(btn.dataset.lang === state.lang));
    document.title = t("title");
    if (state.last) render(state.last.text, state.last.advice);
    renderService();
  }

  function initialLanguage() {
    const fromUrl = new URLSearchParams(location.search).get("lang");
    if (fromUrl) return fromUrl;
    try { return localStorage.getItem("hisho-tone.lang") || "ja"; } catch (_) { return "ja"; }
  }

  // ---- talking to the server -------------------------------------------------------------
  function headers() {
    const h = { "Content-Type": "application/json" };
    const token = $("token").value.trim();
    if (token) h.Authorization = `Bearer ${token}`;
    return h;
  }

  function choice(name) {
    return document.querySelector(`input[name="${name}"]:checked`).value;
  }

  function schedule(delay = DEBOUNCE_MS) {
    clearTimeout(state.timer);
    state.timer = setTimeout(analyse, delay);
  }

  async function analyse() {
    const text = $("draft").value;
    if (state.controller) state.controller.abort();
    const seq = ++state.seq;
    if (!text.trim()) {
      state.controller = null;
      showIdle();
      return;
    }
    const controller = new AbortController();
    state.controller = controller;
    setStatus(t("analysing"), "busy");
    let response;
    try {
      response = await fetch("/v1/analyze", {
        method: "POST",
        headers: headers(),
        body: JSON.stringify({ text, channel: choice("channel"), sensitivity: choice("sensitivity") }),
        signal: controller.signal,
      });
    } catch (err) {
      if (err.name !== "AbortError" && seq === state.seq) setStatus(t("offline"), "error");
      return;
    }
    if (seq !== state.seq) return; // a newer draft is on its way
    const body = await response.json().catch(() => null);
    if (seq !== state.seq) return;
    if (response.ok && body) {
      setStatus("", "");
      render(text, body);
    } else if (response.status === 401) {
      $("token-box").hidden = false;
      setStatus(t("needToken"), "error");
    } else {
      const message = body && body.error ? body.error.message : `HTTP ${response.status}`;
      setStatus(t("error") + message, "error");
    }
  }

  async function loadService() {
    try {
      const response = await fetch("/v1/health", { headers: headers() });
      if (response.status === 401) {
        $("token-box").hidden = false;
        return;
      }
      state.service = await response.json();
      renderService();
    } catch (_) {
      setStatus(t("offline"), "error");
    }
  }

  // ---- rendering -------------------------------------------------------------------------
  function setStatus(message, kind) {
    const el = $("status");
    el.textContent = message;
    el.dataset.kind = kind;
  }

  function renderService() {
    if (state.service) $("service").textContent = t("service", { v: state.service.version, m: state.service.model });
  }

  function showIdle() {
    state.last = null;
    setStatus("", "");
    const badge = $("badge");
    badge.dataset.recommendation = "none";
    badge.textContent = t("idleBadge");
    $("summary").textContent = t("idle");
    for (const name of SCORES) setScore(name, null);
    $("highlighted").replaceChildren();
    $("reasons").replaceChildren();
    $("invitation-box").hidden = true;
    $("meta").textContent = "";
    hideTooltip();
  }

  function setScore(name, value) {
    const fill = $(`bar-${name}`);
    fill.style.width = value === null ? "0%" : `${Math.round(value * 100)}%`;
    fill.dataset.level = value === null ? "" : value >= 0.6 ? "high" : value >= 0.3 ? "mid" : "low";
    $(`value-${name}`).textContent = value === null ? "–" : value.toFixed(2);
  }

  function render(text, advice) {
    state.last = { text, advice };
    const badge = $("badge");
    badge.dataset.recommendation = advice.recommendation;
    badge.textContent = t("labels")[advice.recommendation] || advice.recommendation;
    const summaries = t("summaries");
    $("summary").textContent = summaries ? summaries[advice.recommendation] : advice.summary;
    for (const name of SCORES) setScore(name, advice[name]);
    renderHighlighted(text, advice);
    renderReasons(advice.reasons);
    renderInvitation(advice.invitation);
    renderMeta(advice);
  }

  /** Every place a reason was found (a reason from a server older than `spans` has only its own). */
  function spansOf(reason) {
    return Array.isArray(reason.spans) && reason.spans.length ? reason.spans : [reason];
  }

  // Offsets are Unicode code points (Python's), so slice an array of code points, not the UTF-16 string.
  function renderHighlighted(text, advice) {
    const chars = Array.from(text);
    const end = Math.min(advice.analyzed_chars, chars.length);
    const cuts = new Set([0, end]);
    for (const s of advice.reasons.flatMap(spansOf)) {
      cuts.add(Math.max(0, Math.min(s.start, end)));
      cuts.add(Math.max(0, Math.min(s.end, end)));
    }
    const points = [...cuts].sort((a, b) => a - b);
    const nodes = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      if (a === b) continue;
      const piece = chars.slice(a, b).join("");
      const covering = advice.reasons.filter((r) => spansOf(r).some((s) => s.start <= a && s.end >= b));
      if (!covering.length) {
        nodes.push(document.createTextNode(piece));
        continue;
      }
      const mark = document.createElement("mark");
      mark.textContent = piece;
      mark.dataset.category = covering[0].category;
      mark.dataset.kind = covering.map((r) => r.kind).join(" ");
      mark.tabIndex = 0;
      mark.title = covering.map((r) => r.message + (r.hint ? `\n→ ${r.hint}` : "")).join("\n\n");
      mark.addEventListener("mouseenter", () => showTooltip(mark, covering));
      mark.addEventListener("focus", () => showTooltip(mark, covering));
      mark.addEventListener("mouseleave", hideTooltip);
      mark.addEventListener("blur", hideTooltip);
      nodes.push(mark);
    }
    if (end < chars.length) {
      const rest = document.createElement("span");
      rest.className = "unanalysed";
      rest.textContent = chars.slice(end).join("");
      nodes.push(rest);
    }
    $("highlighted").replaceChildren(...nodes);
  }

  function showTooltip(mark, reasons) {
    const tip = $("tooltip");
    const parts = [];
    for (const r of reasons) {
      const block = document.createElement("div");
      block.className = "tip-reason";
      const head = document.createElement("strong");
      head.textContent = `${r.label} · ${t("categories")[r.category] || r.category}`;
      const message = document.createElement("p");
      message.textContent = r.message;
      block.append(head, message);
      if (r.hint) {
        const hint = document.createElement("p");
        hint.className = "tip-hint";
        hint.textContent = t("hint") + r.hint;
        block.append(hint);
      }
      parts.push(block);
    }
    tip.replaceChildren(...parts);
    tip.hidden = false;
    mark.title = ""; // the tooltip replaces the native one while shown
    const box = mark.getBoundingClientRect();
    tip.style.left = `${Math.max(8, Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - 360))}px`;
    tip.style.top = `${window.scrollY + box.bottom + 6}px`;
  }

  function hideTooltip() {
    $("tooltip").hidden = true;
  }

  function renderReasons(reasons) {
    const list = $("reasons");
    if (!reasons.length) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = t("noReasons");
      list.replaceChildren(li);
      return;
    }
    list.replaceChildren(
      ...reasons.map((r) => {
        const li = document.createElement("li");
        li.dataset.category = r.category;
        const head = document.createElement("div");
        head.className = "reason-head";
        const quotes = spansOf(r).map((s) => {
          const quote = document.createElement("q");
          quote.textContent = s.surface;
          return quote;
        });
        const label = document.createElement("span");
        label.className = "reason-label";
        label.textContent = `${r.label} · ${t("categories")[r.category] || r.category}`;
        head.append(...quotes, label);
        const message = document.createElement("p");
        message.textContent = r.message;
        li.append(head, message);
        if (r.hint) {
          const hint = document.createElement("p");
          hint.className = "reason-hint";
          hint.textContent = "→ " + r.hint;
          li.append(hint);
        }
        return li;
      }),
    );
  }

  function renderInvitation(invitation) {
    $("invitation-box").hidden = !invitation;
    $("invitation").textContent = invitation || "";
    $("copied").hidden = true;
  }

  function renderMeta(advice) {
    const notes = [];
    if (advice.truncated) notes.push(t("truncated", { n: advice.analyzed_chars }));
    const ex = advice.excluded || {};
    if (ex.quoted_chars || ex.signature_chars) notes.push(t("excluded", { q: ex.quoted_chars || 0, s: ex.signature_chars || 0 }));
    notes.push(t("model", { m: advice.model }));
    $("meta").textContent = notes.join(" ");
  }

  async function copyInvitation() {
    const text = $("invitation").textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch (_) {
      const range = document.createRange(); // clipboard refused: select it so Ctrl+C works
      range.selectNodeContents($("invitation"));
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    $("copied").hidden = false;
  }

  // ---- wiring ----------------------------------------------------------------------------
  function init() {
    const draft = $("draft");
    let composing = false; // an IME conversion in progress: wait for the committed text
    draft.addEventListener("compositionstart", () => { composing = true; });
    draft.addEventListener("compositionend", () => { composing = false; schedule(); });
    draft.addEventListener("input", () => { if (!composing) schedule(); });
    for (const input of document.querySelectorAll('input[name="channel"], input[name="sensitivity"]')) {
      input.addEventListener("change", () => schedule(0));
    }
    $("token").addEventListener("change", () => {
      try { sessionStorage.setItem("hisho-tone.token", $("token").value.trim()); } catch (_) { /* ignore */ }
      loadService();
      schedule(0);
    });
    try { $("token").value = sessionStorage.getItem("hisho-tone.token") || ""; } catch (_) { /* ignore */ }
    for (const btn of document.querySelectorAll(".sample")) {
      btn.addEventListener("click", () => {
        draft.value = SAMPLES[Number(btn.dataset.sample)];
        draft.focus();
        schedule(0);
      });
    }
    for (const btn of document.querySelectorAll(".lang button")) {
      btn.addEventListener("click", () => setLanguage(btn.dataset.lang));
    }
    $("copy").addEventListener("click", copyInvitation);
    window.addEventListener("scroll", hideTooltip, { passive: true });
    setLanguage(initialLanguage());
    loadService();
    if (draft.value.trim()) schedule(0);
  }

  init();
})();
