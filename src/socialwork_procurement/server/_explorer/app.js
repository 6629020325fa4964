// The rule explorer: plain JavaScript over the HTTP API (/api/v1), no build step, no network beyond this server.
// Every text a person reads comes from i18n.json (zh and en) or from the API in the language asked; data is
// only ever put into the page as text (textContent), never as HTML.
"use strict";

(function () {
  const API = "/api/v1";
  const SVG_NS = "http://www.w3.org/2000/svg";
  const SUBJECT_ORDER = ["purchaser", "contractor", "contract", "planning", "evaluation", "disclosure", "programme"];
  const OUTCOME_ORDER = ["fail", "unknown", "pass"];

  const state = {
    lang: "zh",
    tab: "rules",
    region: "xiamen",
    on: today(),
    national: true,
    rule: null,
    caseId: null,
    texts: null,
    regions: [],
    machine: null,
    loaded: false,
  };

  // -- helpers ---------------------------------------------------------------------------------------------

  function today() {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  function $(id) {
    return document.getElementById(id);
  }

  function t(key, values) {
    const table = state.texts[state.lang];
    let text = key.split(".").reduce((node, part) => (node == null ? undefined : node[part]), table);
    if (typeof text !== "string") text = key;
    if (values) {
      for (const [name, value] of Object.entries(values)) text = text.split(`{${name}}`).join(String(value));
    }
    return text;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, String(value));
    }
    for (const child of children.flat()) if (child) node.append(child);
    return node;
  }

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.message) || `HTTP ${status}`);
      this.status = status;
      this.body = body;
    }
  }

  async function api(path, options) {
    const opts = Object.assign({ headers: {} }, options || {});
    opts.headers = Object.assign({ "Accept-Language": state.lang, Accept: "application/json" }, opts.headers);
    const answer = await fetch(API + path, opts);
    const text = await answer.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (_ignored) {
      body = { message: text };
    }
    if (!answer.ok) throw new ApiError(answer.status, body);
    return body;
  }

  function q(params) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value !== null && value !== undefined) search.set(name, value);
    const text = search.toString();
    return text ? `?${text}` : "";
  }

  function showError(container, error) {
    container.replaceChildren();
    const box = el("div", { class: "error-box", role: "alert" }, el("strong", { text: t("error") + ": " }), error.message);
    const problems = error.body && Array.isArray(error.body.problems) ? error.body.problems : [];
    if (problems.length) {
      box.append(
        el("ul", { class: "problems" }, problems.map((p) => el("li", {}, el("code", { text: p.path }), " ", p.message)))
      );
    }
    container.append(box);
  }

  function dates(from, to) {
    return `${from} – ${to || t("in_force")}`;
  }

  function badge(kind, value, label) {
    return el("span", { class: `badge ${kind}-${value}`, text: label });
  }

  // -- the address bar holds the view, so every view has a link (and the tests and screenshots open them) ---

  function readHash() {
    const hash = location.hash.replace(/^#\/?/, "");
    const [tab, query] = hash.split("?");
    const params = new URLSearchParams(query || "");
    state.tab = ["rules", "check", "cases"].includes(tab) ? tab : "rules";
    if (params.get("region")) state.region = params.get("region");
    if (/^\d{4}-\d{2}-\d{2}$/.test(params.get("on") || "")) state.on = params.get("on");
    if (params.has("national")) state.national = params.get("national") !== "false";
    state.rule = params.get("rule");
    state.caseId = params.get("case");
    if (params.get("lang") === "en" || params.get("lang") === "zh") state.lang = params.get("lang");
  }

  function writeHash(replace) {
    const params = { region: state.region, on: state.on };
    if (!state.national) params.national = "false";
    if (state.tab === "rules" && state.rule) params.rule = state.rule;
    if (state.tab === "cases" && state.caseId) params.case = state.caseId;
    const hash = `#/${state.tab}${q(params)}`;
    if (location.hash !== hash) {
      if (replace) history.replaceState(null, "", hash);
      else history.pushState(null, "", hash);
    }
  }

  // -- language --------------------------------------------------------------------------------------------

  function applyTexts() {
    document.documentElement.lang = state.lang === "zh" ? "zh" : "en";
    document.title = t("title");
    for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
    for (const node of document.querySelectorAll("[data-t-placeholder]")) node.placeholder = t(node.dataset.tPlaceholder);
    for (const node of document.querySelectorAll("[data-t-title]")) node.title = t(node.dataset.tTitle);
    const button = $("lang-switch");
    button.textContent = t("switch");
    button.setAttribute("lang", state.lang === "zh" ? "en" : "zh");
  }

  // -- rules -----------------------------------------------------------------------------------------------

  async function loadRegions() {
    state.regions = await api(`/regions${q({ lang: state.lang })}`);
    const select = $("region");
    select.replaceChildren(...state.regions.map((r) => el("option", { value: r.code, text: `${r.name} (${r.code})` })));
    if (!state.regions.some((r) => r.code === state.region) && state.regions.length) state.region = state.regions[0].code;
    select.value = state.region;
  }

  function regionName(code) {
    const found = state.regions.find((r) => r.code === code);
    return found ? found.name : code;
  }

  function ruleItem(rule, layer) {
    const message = state.lang === "zh" ? rule.message_zh : rule.message_en;
    const item = el(
      "li",
      { class: "rule", "data-rule-id": rule.rule_id, "data-layer": layer },
      el(
        "button",
        {
          type: "button",
          class: "rule-open",
          title: t("open_rule"),
          onclick: () => {
            state.rule = rule.rule_id;
            writeHash(false);
            showRule(rule.rule_id);
          },
        },
        el("code", { class: "rule-id", text: rule.rule_id })
      ),
      el(
        "div",
        { class: "rule-meta" },
        badge("strength", rule.strength, t(`strength_name.${rule.strength}`)),
        el("span", { class: "kind", text: t(`rule_kind.${rule.kind}`) }),
        el("span", { class: "dates", text: dates(rule.effective_from, rule.effective_to) }),
        rule.basis ? el("span", { class: "basis", text: t("policy") }) : null
      ),
      el("p", { class: "rule-message", text: message }),
      el("blockquote", { class: "rule-quote", text: `「${rule.citation.quote}」` })
    );
    return item;
  }

  function groupBySubject(rules, layer) {
    const groups = new Map();
    for (const rule of rules) {
      const subject = rule.subject || "programme";
      if (!groups.has(subject)) groups.set(subject, []);
      groups.get(subject).push(rule);
    }
    const order = [...SUBJECT_ORDER, ...[...groups.keys()].filter((s) => !SUBJECT_ORDER.includes(s))];
    return order
      .filter((subject) => groups.has(subject))
      .map((subject) =>
        el(
          "section",
          { class: "subject", "data-subject": subject, "data-layer": layer },
          el("h3", {}, t(`subject.${subject}`), el("span", { class: "count", text: ` ${groups.get(subject).length}` })),
          el("ul", { class: "rules" }, groups.get(subject).map((rule) => ruleItem(rule, layer)))
        )
      );
  }

  let renderCount = 0;

  async function renderRules() {
    const token = ++renderCount;
    const container = $("rules-groups");
    const summary = $("rules-summary");
    summary.textContent = t("loading");
    container.replaceChildren();
    const on = state.on;
    try {
      const own = await api(`/regions/${encodeURIComponent(state.region)}/rules${q({ on })}`);
      if (token !== renderCount) return; // a newer choice of region or day is being drawn
      const layers = [el("section", { class: "layer", "data-layer": state.region },
        el("h2", { text: `${t("region_layer")} · ${regionName(state.region)}` }), groupBySubject(own, state.region))];
      let total = own.length;
      if (state.national && state.region !== "national") {
        const national = await api(`/regions/national/rules${q({ on })}`);
        if (token !== renderCount) return;
        total += national.length;
        layers.push(el("section", { class: "layer", "data-layer": "national" },
          el("h2", { text: t("national_layer") }), groupBySubject(national, "national")));
      }
      summary.textContent = total ? t("rules_count", { region: regionName(state.region), on, n: total }) : t("rules_none");
      container.replaceChildren(...layers);
      const silences = await api(
        `/regions/${encodeURIComponent(state.region)}/silences${q({ on, national: state.national ? null : "false" })}`
      );
      if (token !== renderCount) return;
      $("silence-list").replaceChildren(
        ...(silences.length
          ? silences.map((s) =>
              el("li", { class: `silence silence-${s.kind}`, "data-topic": s.topic },
                el("div", { class: "rule-meta" },
                  el("span", { class: `badge silence-${s.kind}`, text: t(`silence_kind.${s.kind}`) }),
                  el("code", { text: `${s.region} · ${s.topic}` }),
                  el("span", { class: "dates", text: dates(s.effective_from, s.effective_to) })),
                el("p", { text: s.statement }))
            )
          : [el("li", { class: "empty", text: t("silences_none") })])
      );
    } catch (error) {
      summary.textContent = "";
      showError(container, error);
    }
    if (state.rule) await showRule(state.rule);
    else $("rule-detail").hidden = true;
  }

  async function showRule(ruleId) {
    const aside = $("rule-detail");
    const body = $("detail-body");
    aside.hidden = false;
    body.replaceChildren(el("p", { text: t("loading") }));
    for (const node of document.querySelectorAll(".rule.selected")) node.classList.remove("selected");
    const item = document.querySelector(`.rule[data-rule-id="${CSS.escape(ruleId)}"]`);
    if (item) item.classList.add("selected");
    let data;
    try {
      data = await api(`/rules/${encodeURIComponent(ruleId)}/source${q({ on: state.on })}`);
    } catch (error) {
      showError(body, error);
      return;
    }
    const rule = data.rule;
    const parts = [
      el("h2", {}, el("code", { text: rule.rule_id })),
      el("div", { class: "rule-meta" },
        badge("strength", rule.strength, t(`strength_name.${rule.strength}`)),
        el("span", { class: "kind", text: t(`rule_kind.${rule.kind}`) }),
        el("span", { class: "kind", text: `${t("subject_label")}: ${t(`subject.${rule.subject}`)}` }),
        el("span", { class: "dates", text: `${t("effective")}: ${dates(rule.effective_from, rule.effective_to)}` })),
      el("p", { class: "rule-message", text: state.lang === "zh" ? rule.message_zh : rule.message_en }),
      el("p", { class: "other-lang", lang: state.lang === "zh" ? "en" : "zh",
        text: state.lang === "zh" ? rule.message_en : rule.message_zh }),
      el("dl", { class: "source-facts" },
        el("dt", { text: t("source_title") }), el("dd", { text: [data.title, data.number].filter(Boolean).join(" ") }),
        data.file ? [el("dt", { text: t("source") }), el("dd", {}, el("code", { text: data.file }))] : null,
        data.url ? [el("dt", { text: t("link") }), el("dd", { text: data.url })] : null,
        data.note ? [el("dt", { text: t("quote_note") }), el("dd", { text: data.note })] : null),
    ];
    if (data.available && data.segments) {
      if (!data.found) parts.push(el("p", { class: "notice", text: data.reason || t("quote_not_found") }));
      const text = el("div", { class: "source-text", id: "source-text", tabindex: "0" },
        data.segments.map((s) => (s.quote ? el("mark", { class: "quote", text: s.text }) : document.createTextNode(s.text))));
      parts.push(text);
    } else {
      parts.push(el("p", { class: "notice", id: "source-absent", text: data.reason }));
      parts.push(el("blockquote", { class: "quote-alone", text: `「${data.quote}」` }));
    }
    body.replaceChildren(...parts);
    const mark = body.querySelector("mark.quote");
    if (mark) {
      const box = $("source-text");
      box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - box.clientHeight / 3);
    }
  }

  // -- checking a case -------------------------------------------------------------------------------------

  function findingItem(f) {
    return el("li", { class: `finding outcome-${f.outcome}`, "data-rule-id": f.rule_id },
      el("div", { class: "rule-meta" },
        badge("outcome", f.outcome, t(`outcome.${f.outcome}`)),
        el("code", { class: "rule-id", text: f.rule_id }),
        badge("strength", f.strength, t(`strength_name.${f.strength}`)),
        f.basis ? el("span", { class: "basis", text: t("policy") }) : null),
      el("p", { class: "rule-message", text: f.message }),
      el("p", { class: "finding-path" }, el("code", { text: f.path }), " · ", f.citation.file || f.citation.url || ""),
      el("blockquote", { class: "rule-quote", text: `「${f.citation.quote}」` }));
  }

  function renderVerdict(v) {
    const box = $("verdict");
    const counts = {};
    for (const f of v.findings) counts[f.outcome] = (counts[f.outcome] || 0) + 1;
    const parts = [
      el("h2", { text: t("verdict") }),
      el("p", { class: "verdict-head" },
        `${t("region")}: ${regionName(v.region)} · ${t("on")}: ${v.on} · ${t("decision")}: `,
        el("strong", { id: "decision", class: `decision decision-${v.decision}`, "data-decision": v.decision,
          text: t(`decision_name.${v.decision}`) })),
    ];
    if (v.region_not_in_force) parts.push(el("p", { class: "notice" }, `[${t("not_in_force")}] `, v.region_not_in_force.message));
    for (const outcome of OUTCOME_ORDER) {
      const found = v.findings.filter((f) => f.outcome === outcome);
      if (!found.length) continue;
      parts.push(el("section", { class: `findings findings-${outcome}`, "data-outcome": outcome },
        el("h3", { text: t("findings_of", { outcome: t(`outcome.${outcome}`), n: found.length }) }),
        el("ul", {}, found.map(findingItem))));
    }
    if (counts.not_applicable) parts.push(el("p", { class: "muted", text: t("not_applicable_count", { n: counts.not_applicable }) }));
    if (v.conflicts.length) {
      parts.push(el("section", { class: "conflicts" }, el("h3", { text: t("conflicts") }),
        el("ul", {}, v.conflicts.map((c) => el("li", {}, el("code", { text: `${c.regional} ↔ ${c.national}` }), " ", c.message)))));
    }
    if (v.input_warnings.length) {
      parts.push(el("section", {}, el("h3", { text: t("input_warnings") }), el("ul", {}, v.input_warnings.map((w) => el("li", { text: w })))));
    }
    if (v.attested.length) {
      parts.push(el("section", {}, el("h3", { text: t("attested") }),
        el("ul", {}, v.attested.map((a) => el("li", {}, el("code", { text: a.rule_id }), ` ${a.condition}: ${a.attested_by} · ${a.date} · ${a.basis}`)))));
    }
    if (v.to_decide.length) {
      parts.push(el("section", { class: "to-decide" }, el("h3", { text: t("to_decide") }),
        el("ul", {}, v.to_decide.map((d) => el("li", {},
          el("code", { text: d.path }),
          d.values.length ? ` (${d.values.map(String).join(" | ")})` : "",
          ` · ${d.rule_ids.join(", ")}`,
          d.notes.length ? el("ul", {}, d.notes.map((n) => el("li", { text: n }))) : null)))));
    }
    if (v.silences.length) {
      parts.push(el("section", { class: "verdict-silences" }, el("h3", { text: t("silences") }),
        el("ul", {}, v.silences.map((s) => el("li", {}, `[${t(`silence_kind.${s.kind}`)}] ${s.region}: ${s.statement}`)))));
    }
    box.replaceChildren(...parts);
  }

  async function runCheck(event) {
    if (event) event.preventDefault();
    const box = $("verdict");
    box.replaceChildren(el("p", { text: t("loading") }));
    try {
      const verdict = await api(`/regions/${encodeURIComponent(state.region)}/check${q({ on: state.on, national: state.national ? null : "false" })}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: $("case-text").value,
      });
      renderVerdict(verdict);
    } catch (error) {
      showError(box, error);
    }
  }

  async function loadExample() {
    const answer = await fetch("example-case.json");
    $("case-text").value = await answer.text();
  }

  async function uploadCase(event) {
    const file = event.target.files && event.target.files[0];
    if (!file) return;
    $("case-text").value = await file.text();
    await runCheck();
  }

  // -- purchases and the lifecycle diagram -----------------------------------------------------------------

  function layout(machine) {
    // Ranks by the longest path from the initial state over forward edges (back edges found by a depth-first
    // walk), the longest path to a final state down the middle, every other state beside its rank.
    const order = new Map(machine.states.map((s, i) => [s, i]));
    const edges = machine.transitions.filter((e) => e.source !== e.target);
    const next = new Map(machine.states.map((s) => [s, []]));
    for (const e of edges) next.get(e.source).push(e.target);
    const colour = new Map();
    const back = new Set();
    const visit = (u) => {
      colour.set(u, 1);
      for (const v of next.get(u)) {
        if (colour.get(v) === 1) back.add(`${u}>${v}`);
        else if (!colour.has(v)) visit(v);
      }
      colour.set(u, 2);
    };
    visit(machine.initial);
    for (const s of machine.states) if (!colour.has(s)) visit(s);
    const forward = edges.filter((e) => !back.has(`${e.source}>${e.target}`));
    const rank = new Map(machine.states.map((s) => [s, 0]));
    for (let i = 0; i < machine.states.length; i++) {
      for (const e of forward) rank.set(e.target, Math.max(rank.get(e.target), rank.get(e.source) + 1));
    }
    const finals = [...machine.finals].sort((a, b) => rank.get(b) - rank.get(a) || order.get(a) - order.get(b));
    const spine = new Set();
    let current = finals[0];
    while (current !== undefined) {
      spine.add(current);
      if (current === machine.initial) break;
      const here = current;
      const before = forward.filter((e) => e.target === here && rank.get(e.source) === rank.get(here) - 1).map((e) => e.source);
      before.sort((a, b) => order.get(a) - order.get(b));
      current = before[0];
    }
    const column = new Map();
    let side = 1;
    const used = new Map();
    for (const s of machine.states) {
      if (spine.has(s)) {
        column.set(s, 0);
        continue;
      }
      const r = rank.get(s);
      const taken = used.get(r) || new Set([0]);
      let c = side;
      while (taken.has(c)) c = c > 0 ? -c : -c + 1;
      taken.add(c);
      used.set(r, taken);
      column.set(s, c);
      side = -side;
    }
    return { rank, column, back };
  }

  function drawMachine(machine, current, visited) {
    const { rank, column, back } = layout(machine);
    const W = 168, H = 34, COL = 250, ROW = 58, TOP = 44;
    const minCol = Math.min(...column.values());
    const maxCol = Math.max(...column.values());
    const left = 24 + W / 2 - minCol * COL;
    const width = left + maxCol * COL + W / 2 + 24;
    const height = TOP + (Math.max(...rank.values()) + 1) * ROW + 10;
    const pos = (s) => ({ x: left + column.get(s) * COL, y: TOP + rank.get(s) * ROW + H / 2 });
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", class: "machine",
      "aria-label": t("diagram") });
    root.append(svg("defs", {},
      svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
        svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow-head" })),
      svg("marker", { id: "arrow-next", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
        svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow-head next" }))));
    const allowed = new Set(current ? machine.transitions.filter((e) => e.source === current).map((e) => `${e.source}>${e.target}>${e.action}`) : []);
    const grouped = new Map();
    for (const e of machine.transitions) {
      const key = `${e.action}>${e.target}`;
      grouped.set(key, (grouped.get(key) || 0) + 1);
    }
    const labelled = new Set();
    const edgeLayer = svg("g", { class: "edges" });
    const labelLayer = svg("g", { class: "labels" });
    for (const e of machine.transitions) {
      const a = pos(e.source), b = pos(e.target);
      const isNext = allowed.has(`${e.source}>${e.target}>${e.action}`);
      const cls = `edge${isNext ? " next" : ""}`;
      const marker = isNext ? "url(#arrow-next)" : "url(#arrow)";
      let d, lx, ly, anchor = "middle";
      if (e.source === e.target) {
        const x = a.x + W / 2, y = a.y;
        d = `M${x},${y - 8} C${x + 42},${y - 30} ${x + 42},${y + 30} ${x},${y + 8}`;
        lx = x + 46; ly = y + 4; anchor = "start";
      } else {
        const sameColumn = column.get(e.source) === column.get(e.target);
        const down = b.y > a.y;
        let sx, sy, ex, ey;
        if (sameColumn && Math.abs(rank.get(e.target) - rank.get(e.source)) === 1) {
          sx = a.x; sy = a.y + (down ? H / 2 : -H / 2); ex = b.x; ey = b.y + (down ? -H / 2 : H / 2);
        } else {
          const toRight = b.x > a.x ? 1 : b.x < a.x ? -1 : 1;
          sx = a.x + toRight * W / 2; sy = a.y; ex = b.x - toRight * W / 2; ey = b.y;
          if (b.x === a.x) { ex = b.x + W / 2; }
        }
        const mx = (sx + ex) / 2, my = (sy + ey) / 2;
        const len = Math.hypot(ex - sx, ey - sy) || 1;
        const bend = back.has(`${e.source}>${e.target}`) || (b.x === a.x) ? 0.35 : 0.12;
        const cx = mx + ((ey - sy) / len) * len * bend, cy = my - ((ex - sx) / len) * len * bend;
        d = `M${sx},${sy} Q${cx},${cy} ${ex},${ey}`;
        lx = (sx + 2 * cx + ex) / 4; ly = (sy + 2 * cy + ey) / 4;
        if (sx === ex) { lx = sx + 8; ly = (sy + ey) / 2 + 4; anchor = "start"; }
        if (grouped.get(`${e.action}>${e.target}`) > 1) { lx = b.x; ly = b.y - H / 2 - 6; anchor = "middle"; }
      }
      edgeLayer.append(svg("path", { d, class: cls, "marker-end": marker, "data-action": e.action,
        "data-source": e.source, "data-target": e.target }));
      const key = `${e.action}>${e.target}`;
      if (grouped.get(key) > 1 && labelled.has(key)) continue;
      labelled.add(key);
      labelLayer.append(svg("text", { x: lx, y: ly, class: `edge-label${isNext ? " next" : ""}`, "text-anchor": anchor,
        text: t(`action.${e.action}`) }));
    }
    const start = pos(machine.initial);
    edgeLayer.append(svg("circle", { cx: start.x, cy: 12, r: 6, class: "start" }));
    edgeLayer.append(svg("path", { d: `M${start.x},18 L${start.x},${start.y - H / 2}`, class: "edge", "marker-end": "url(#arrow)" }));
    labelLayer.append(svg("text", { x: start.x + 12, y: 30, class: "edge-label", text: t(`action.${machine.initial_action}`) }));
    const nodeLayer = svg("g", { class: "nodes" });
    for (const s of machine.states) {
      const p = pos(s);
      const classes = ["node"];
      if (machine.finals.includes(s)) classes.push("final");
      if (visited.has(s)) classes.push("visited");
      if (s === current) classes.push("current");
      const group = svg("g", { class: classes.join(" "), "data-state": s });
      group.append(svg("rect", { x: p.x - W / 2, y: p.y - H / 2, width: W, height: H, rx: 9 }));
      if (machine.finals.includes(s)) group.append(svg("rect", { x: p.x - W / 2 + 3, y: p.y - H / 2 + 3, width: W - 6, height: H - 6, rx: 7, class: "inner" }));
      group.append(svg("text", { x: p.x, y: p.y + 5, "text-anchor": "middle", text: t(`state.${s}`) }));
      group.append(svg("title", { text: s }));
      nodeLayer.append(group);
    }
    root.append(edgeLayer, nodeLayer, labelLayer);
    return root;
  }

  async function renderCases() {
    const list = $("case-list");
    list.replaceChildren(el("li", { text: t("loading") }));
    if (!state.machine) {
      try {
        state.machine = await api("/lifecycle");
      } catch (error) {
        showError($("case-summary"), error);
        return;
      }
    }
    let cases = [];
    try {
      cases = await api("/cases");
    } catch (error) {
      showError(list, error);
    }
    list.replaceChildren(
      ...(cases.length
        ? cases.map((c) =>
            el("li", { class: c.case_id === state.caseId ? "selected" : null },
              el("a", { href: `#/cases${q({ region: state.region, on: state.on, case: c.case_id })}`, "data-case-id": c.case_id },
                el("code", { text: c.case_id }), ` · v${c.version}`)))
        : [el("li", { class: "empty", text: t("cases_none") })])
    );
    if (!state.caseId && cases.length) state.caseId = cases[0].case_id;
    await renderCase();
  }

  async function renderCase() {
    const summary = $("case-summary");
    const trailBox = $("case-trail");
    const machine = state.machine;
    let view = null;
    let trail = [];
    if (state.caseId) {
      try {
        view = await api(`/cases/${encodeURIComponent(state.caseId)}`);
        trail = await api(`/cases/${encodeURIComponent(state.caseId)}/trail`);
      } catch (error) {
        showError(summary, error);
      }
    }
    const current = view ? view.state.status : null;
    const visited = new Set(trail.map((row) => row.status));
    $("diagram").replaceChildren(drawMachine(machine, current, visited));
    $("diagram-legend").replaceChildren(
      el("span", { class: "key current", text: t("legend_current") }),
      el("span", { class: "key visited", text: t("legend_visited") }),
      el("span", { class: "key final", text: t("legend_final") }),
      el("span", { class: "muted", text: t("diagram_note", { actions: machine.anywhere.map((a) => t(`action.${a}`)).join("、") }) })
    );
    if (!view) {
      if (!state.caseId) summary.replaceChildren();
      trailBox.replaceChildren();
      $("case-disclosure").replaceChildren();
      return;
    }
    const s = view.state;
    summary.replaceChildren(
      el("h2", {}, el("code", { text: view.case_id }), ` · ${s.title}`),
      el("dl", { class: "case-facts" },
        el("dt", { text: t("region") }), el("dd", { text: regionName(s.region) }),
        el("dt", { text: t("status") }), el("dd", {}, el("strong", { id: "case-status", "data-status": s.status, text: t(`state.${s.status}`) })),
        el("dt", { text: t("version") }), el("dd", { text: String(view.version) }),
        el("dt", { text: t("allowed") }), el("dd", { text: s.allowed_actions.map((a) => t(`action.${a}`)).join("、") || t("none") }))
    );
    trailBox.replaceChildren(
      el("h3", { text: t("trail") }),
      el("table", { class: "trail" },
        el("thead", {}, el("tr", {}, ["version", "event", "day", "state_after", "recorded"].map((k) => el("th", { text: t(k) })))),
        el("tbody", {}, trail.map((row) => el("tr", {},
          el("td", { text: String(row.version) }),
          el("td", { "data-event": row.event_type, title: row.event_type, text: t(`event_name.${row.event_type}`) }),
          el("td", { text: row.on || "" }), el("td", { text: t(`state.${row.status}`) }),
          el("td", { text: row.recorded_at.replace("T", " ").slice(0, 19) })))))
    );
    await renderDisclosure();
  }

  async function renderDisclosure() {
    const box = $("case-disclosure");
    let data;
    try {
      data = await api(`/cases/${encodeURIComponent(state.caseId)}/disclosure`);
    } catch (error) {
      showError(box, error);
      return;
    }
    box.replaceChildren(
      el("h3", { text: t("disclosure_title") }),
      data.items.length
        ? el("table", { class: "trail disclosure" },
            el("thead", {}, el("tr", {}, ["disclosure_item", "disclosure_state", "disclosure_rule"].map((k) => el("th", { text: t(k) })))),
            el("tbody", {}, data.items.map((item) => el("tr", { "data-state": item.state },
              el("td", { text: item.name }), el("td", { class: `item-${item.state}`, text: item.state_name }),
              el("td", {}, el("code", { text: item.rule_id }))))))
        : el("p", { class: "muted", text: t("disclosure_none") })
    );
  }

  // -- wiring ----------------------------------------------------------------------------------------------

  async function render() {
    for (const tab of ["rules", "check", "cases"]) {
      $(`view-${tab}`).hidden = tab !== state.tab;
      const link = $(`tab-${tab}`);
      link.classList.toggle("active", tab === state.tab);
      link.setAttribute("aria-selected", tab === state.tab ? "true" : "false");
      link.href = `#/${tab}${q({ region: state.region, on: state.on, national: state.national ? null : "false" })}`;
    }
    $("region").value = state.region;
    $("on").value = state.on;
    $("national").checked = state.national;
    if (state.tab === "rules") await renderRules();
    else if (state.tab === "cases") await renderCases();
    document.body.dataset.ready = "true";
  }

  async function switchLanguage() {
    state.lang = state.lang === "zh" ? "en" : "zh";
    try {
      localStorage.setItem("swp-lang", state.lang);
    } catch (_ignored) {
      // a browser without storage keeps the choice for this page only
    }
    applyTexts();
    await loadRegions();
    await render();
    if (state.tab === "check" && $("verdict").childElementCount && $("case-text").value.trim()) await runCheck();
  }

  async function start() {
    const answer = await fetch("i18n.json");
    state.texts = await answer.json();
    try {
      const saved = localStorage.getItem("swp-lang");
      if (saved === "zh" || saved === "en") state.lang = saved;
    } catch (_ignored) {
      // no storage: Chinese by default
    }
    readHash();
    applyTexts();
    await loadRegions();
    writeHash(true);
    $("lang-switch").addEventListener("click", switchLanguage);
    $("region").addEventListener("change", (e) => { state.region = e.target.value; state.rule = null; writeHash(false); render(); });
    $("on").addEventListener("change", (e) => { if (e.target.value) { state.on = e.target.value; writeHash(false); render(); } });
    $("national").addEventListener("change", (e) => { state.national = e.target.checked; writeHash(false); render(); });
    $("detail-close").addEventListener("click", () => { state.rule = null; $("rule-detail").hidden = true; writeHash(false); });
    $("check-form").addEventListener("submit", runCheck);
    $("load-example").addEventListener("click", loadExample);
    $("case-file").addEventListener("change", uploadCase);
    window.addEventListener("hashchange", () => { readHash(); render(); });
    await render();
  }

  start().catch((error) => {
    const box = document.getElementById("fatal");
    box.hidden = false;
    box.textContent = `${error.message}`;
  });
})();
