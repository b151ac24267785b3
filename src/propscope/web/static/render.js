/* propscope's one renderer of the analysis JSON, used by the page at / and, inlined, by the
 * standalone report (propscope analyze --format html).
 *
 * Safety: every piece of text from the analysis goes into the DOM as a text node
 * (document.createTextNode / textContent); no HTML string is ever parsed. Unicode bidi controls
 * in the text are shown as visible markers instead of being applied, so they cannot reorder
 * what the reader sees.
 *
 * Offsets in the analysis are Python str indices (code points); JavaScript strings index UTF-16
 * code units, so every offset goes through a code point -> code unit map.
 */
"use strict";

(() => {
  const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
  const COLOUR = /^#[0-9a-fA-F]{6}$/;
  const FALLBACK_COLOUR = "#6b6b6b";
  const MAX_BARS = 4; // stacked underlines drawn per piece of text; the tooltip lists them all
  const BAR = 3; // px: height of one underline
  const GAP = 1; // px between underlines

  /* Create an element; attributes are set one by one (never parsed as markup). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined && value !== false) {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      if (typeof child === "string") appendText(node, child);
      else node.appendChild(child);
    }
    return node;
  }

  /* Append text as text nodes; bidi controls become visible, inert markers. */
  function appendText(parent, text) {
    let last = 0;
    BIDI_CONTROLS.lastIndex = 0;
    for (let m = BIDI_CONTROLS.exec(text); m !== null; m = BIDI_CONTROLS.exec(text)) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      const cp = "U+" + m[0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
      const marker = document.createElement("span");
      marker.className = "ps-bidi";
      marker.setAttribute("data-cp", cp);
      marker.setAttribute("title", cp + ": invisible bidirectional control, shown, not applied");
      parent.appendChild(marker);
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function countBidi(text) {
    const found = text.match(BIDI_CONTROLS);
    return found ? found.length : 0;
  }

  /* Code point index -> UTF-16 index; also the text's length in code points. */
  function codeUnits(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) {
      return { at: (i) => Math.max(0, Math.min(i, text.length)), length: text.length };
    }
    const map = [0];
    let cu = 0;
    for (const ch of text) {
      cu += ch.length;
      map.push(cu);
    }
    return { at: (i) => map[Math.max(0, Math.min(i, map.length - 1))], length: map.length - 1 };
  }

  function colourOf(tech) {
    return tech && COLOUR.test(tech.colour) ? tech.colour : FALLBACK_COLOUR;
  }

  function percent(score) {
    const n = Number(score);
    return Number.isFinite(n) ? Math.round(n * 100) + "%" : "n/a";
  }

  function score2(score) {
    const n = Number(score);
    return Number.isFinite(n) ? n.toFixed(2) : "n/a";
  }

  /* Indices of the claims, highest score first (ties: in text order). Each claim keeps its
   * index, which its pieces in the text carry (data-claim). */
  function rankedClaims(claims) {
    const score = (c) => (Number.isFinite(Number(c.score)) ? Number(c.score) : -1);
    return claims
      .map((_, k) => k)
      .sort((a, b) => score(claims[b]) - score(claims[a]) || claims[a].start - claims[b].start);
  }

  /* What a claim's score means, and the threshold that chose the claims where the analysis
   * says which (claims_threshold): how many sentences reached it and how many did not. Empty
   * where there is neither a claim nor a threshold (a model that scores no claims). */
  function claimsNote(analysis, claims) {
    const t = analysis.claims_threshold;
    if (claims.length === 0 && typeof t !== "number") return "";
    let note =
      "Ranked by score: the probability that the sentence states a check-worthy fact " +
      "(calibrated on CT24).";
    const total = Array.isArray(analysis.sentences) ? analysis.sentences.length : 0;
    if (typeof t === "number" && Number.isFinite(t)) {
      note +=
        ` Claims: sentences scoring at least ${Number(t.toFixed(4))}; ${claims.length} of ` +
        `${total}, ${Math.max(0, total - claims.length)} below.`;
    }
    return note;
  }

  function excerpt(s, max) {
    return s.length > max ? s.slice(0, max - 1) + "…" : s;
  }

  /**
   * Render one analysis into `root` (emptied first).
   * options.text: the text the offsets refer to (default: analysis.text)
   * options.techniques: [{label, name, definition, example, colour}]
   * options.idPrefix: prefix of element ids, unique per view on the page
   * options.title: a heading for the view (a file name, a URL), optional
   */
  function render(root, analysis, options) {
    const opts = options || {};
    const text = typeof opts.text === "string" ? opts.text : String(analysis.text || "");
    const prefix = String(opts.idPrefix || "ps");
    const units = codeUnits(text);
    const byLabel = new Map();
    for (const t of opts.techniques || []) byLabel.set(t.label, t);
    const spans = Array.isArray(analysis.spans) ? analysis.spans : [];
    const claims = Array.isArray(analysis.claims) ? analysis.claims : [];
    const techOf = (label) => {
      if (!byLabel.has(label)) {
        byLabel.set(label, { label, name: label, definition: "", example: "", colour: "" });
      }
      return byLabel.get(label);
    };
    const slice = (start, end) => text.slice(units.at(start), units.at(end));

    const counts = new Map();
    for (const s of spans) counts.set(s.technique, (counts.get(s.technique) || 0) + 1);
    const order = [...counts.keys()].sort(
      (a, b) => counts.get(b) - counts.get(a) || techOf(a).name.localeCompare(techOf(b).name),
    );
    const enabled = new Set(order);

    root.replaceChildren();
    root.classList.add("ps-view");

    // --- summary and warnings ---
    const summary = el("header", { class: "ps-summary" });
    if (opts.title) summary.appendChild(el("h2", { class: "ps-source" }, String(opts.title)));
    const model = analysis.model || {};
    summary.appendChild(
      el(
        "p",
        { class: "ps-counts" },
        `${spans.length} span${spans.length === 1 ? "" : "s"} of ${order.length} ` +
          `technique${order.length === 1 ? "" : "s"} · ${claims.length} check-worthy ` +
          `claim${claims.length === 1 ? "" : "s"} · ${units.length} characters · model ` +
          `${model.name || "?"} ${model.version || ""}`,
      ),
    );
    const notes = [];
    for (const w of analysis.warnings || []) notes.push(`${w.code}: ${w.message}`);
    if (typeof analysis.text_length === "number" && analysis.text_length !== units.length) {
      notes.push(
        `This text has ${units.length} characters but the analysis expects ` +
          `${analysis.text_length}; highlights may be misplaced.`,
      );
    }
    const nBidi = countBidi(text);
    if (nBidi > 0) {
      notes.push(
        `The text holds ${nBidi} invisible bidirectional control character` +
          `${nBidi === 1 ? "" : "s"}; each is shown as a marker and not applied.`,
      );
    }
    if (notes.length) {
      const ul = el("ul", { class: "ps-warnings" });
      for (const n of notes) ul.appendChild(el("li", {}, n));
      summary.appendChild(ul);
    }
    root.appendChild(summary);

    const layout = el("div", { class: "ps-layout" });
    const main = el("div", { class: "ps-main" });
    const side = el("aside", { class: "ps-side", "aria-label": "Techniques and claims" });
    layout.append(main, side);
    root.appendChild(layout);

    const tipId = `${prefix}-tip`;
    const tip = el("div", { class: "ps-tooltip", role: "tooltip", id: tipId, hidden: true });
    root.appendChild(tip);

    main.appendChild(el("h3", { class: "ps-heading", id: `${prefix}-text-h` }, "Text"));
    const textBox = el("div", {
      class: "ps-text",
      id: `${prefix}-text`,
      role: "region",
      "aria-labelledby": `${prefix}-text-h`,
    });
    main.appendChild(textBox);

    // --- the text, cut into pieces at every span and claim boundary ---
    function renderText() {
      hideTip();
      const active = [];
      spans.forEach((s, i) => {
        if (enabled.has(s.technique) && s.end > s.start) active.push(i);
      });
      const cuts = new Set([0, units.length]);
      const opens = new Map();
      const closes = new Map();
      const push = (map, key, value) => {
        if (!map.has(key)) map.set(key, []);
        map.get(key).push(value);
      };
      for (const i of active) {
        cuts.add(spans[i].start).add(spans[i].end);
        push(opens, spans[i].start, i);
        push(closes, spans[i].end, i);
      }
      const claimOpens = new Map();
      const claimCloses = new Map();
      claims.forEach((c, k) => {
        if (c.end > c.start) {
          cuts.add(c.start).add(c.end);
          push(claimOpens, c.start, k);
          push(claimCloses, c.end, k);
        }
      });
      const points = [...cuts].filter((p) => p >= 0 && p <= units.length).sort((a, b) => a - b);
      const covering = new Set();
      const inClaims = new Set();
      const anchored = new Set();
      const frag = document.createDocumentFragment();
      for (let j = 0; j + 1 < points.length; j++) {
        const a = points[j];
        const z = points[j + 1];
        for (const i of closes.get(a) || []) covering.delete(i);
        for (const i of opens.get(a) || []) covering.add(i);
        for (const k of claimCloses.get(a) || []) inClaims.delete(k);
        for (const k of claimOpens.get(a) || []) inClaims.add(k);
        const piece = slice(a, z);
        if (!piece) continue;
        const over = [...covering].sort(
          (x, y) => spans[x].start - spans[y].start || spans[y].end - spans[x].end || x - y,
        );
        const claim = inClaims.size ? Math.min(...inClaims) : -1;
        let node = null;
        if (over.length) {
          node = el("mark", {
            class: "ps-span",
            tabindex: "0",
            "data-spans": over.join(" "),
            "aria-describedby": tipId,
          });
          paint(node, over.map((i) => colourOf(techOf(spans[i].technique))));
        } else if (claim >= 0) {
          node = el("span", { class: "ps-claim-part" });
        }
        if (node === null) {
          appendText(frag, piece);
          continue;
        }
        if (claim >= 0) {
          node.setAttribute("data-claim", String(claim));
          if (!anchored.has(claim)) {
            anchored.add(claim);
            node.id = `${prefix}-claim-${claim}`;
            if (!node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
          }
        }
        appendText(node, piece);
        frag.appendChild(node);
      }
      textBox.replaceChildren(frag);
    }

    /* Stacked underlines, one per covering span (outermost at the bottom), and a light tint of
     * the innermost span's colour. Set through the CSSOM, never a style attribute string. */
    function paint(node, colours) {
      const bars = colours.slice(0, MAX_BARS);
      const inner = colours[colours.length - 1];
      const images = bars.map((c) => `linear-gradient(${c}, ${c})`);
      const sizes = bars.map(() => `100% ${BAR}px`);
      const positions = bars.map((_, j) => `0 calc(100% - ${j * (BAR + GAP)}px)`);
      images.push(`linear-gradient(${inner}2e, ${inner}2e)`);
      sizes.push("100% 100%");
      positions.push("0 0");
      node.style.backgroundImage = images.join(", ");
      node.style.backgroundSize = sizes.join(", ");
      node.style.backgroundPosition = positions.join(", ");
      node.style.paddingBottom = `${bars.length * (BAR + GAP)}px`;
      if (colours.length > MAX_BARS) node.classList.add("ps-more");
    }

    // --- tooltip ---
    let tipFor = null;
    function showTip(node) {
      const ids = (node.getAttribute("data-spans") || "").split(" ").filter(Boolean).map(Number);
      tip.replaceChildren();
      for (const i of ids) {
        const s = spans[i];
        if (!s) continue;
        const t = techOf(s.technique);
        const swatch = el("span", { class: "ps-swatch", "aria-hidden": "true" });
        swatch.style.backgroundColor = colourOf(t);
        const item = el(
          "div",
          { class: "ps-tip-item" },
          el(
            "p",
            { class: "ps-tip-head" },
            swatch,
            el("strong", { class: "ps-tip-name" }, t.name),
            el(
              "span",
              { class: "ps-tip-score" },
              `span ${percent(s.score)} · technique ${percent(s.technique_score ?? 1)}`,
            ),
          ),
        );
        if (t.definition) item.appendChild(el("p", { class: "ps-tip-def" }, t.definition));
        if (t.example) {
          item.appendChild(el("p", { class: "ps-tip-ex" }, "Example: ", el("q", {}, t.example)));
        }
        const where = el("p", { class: "ps-tip-span" }, "Span: ");
        where.appendChild(el("q", { class: "ps-user-text" }, excerpt(slice(s.start, s.end), 160)));
        if (s.quoted) where.appendChild(el("span", {}, s.speaker ? ` (quoting ${s.speaker})` : " (in a quotation)"));
        item.appendChild(where);
        tip.appendChild(item);
      }
      tip.hidden = false;
      tipFor = node;
      const r = node.getClientRects()[0] || node.getBoundingClientRect();
      const base = root.getBoundingClientRect();
      const width = tip.offsetWidth;
      const left = Math.max(0, Math.min(r.left - base.left, base.width - width));
      tip.style.left = `${left}px`;
      tip.style.top = `${r.bottom - base.top + 6}px`;
    }
    function hideTip() {
      tip.hidden = true;
      tipFor = null;
    }
    const spanOf = (target) =>
      target instanceof Element ? target.closest("mark.ps-span") : null;
    textBox.addEventListener("mouseover", (e) => {
      const node = spanOf(e.target);
      if (node && node !== tipFor) showTip(node);
    });
    textBox.addEventListener("mouseout", (e) => {
      const node = spanOf(e.target);
      if (node && !node.contains(e.relatedTarget) && document.activeElement !== node) hideTip();
    });
    textBox.addEventListener("focusin", (e) => {
      const node = spanOf(e.target);
      if (node) showTip(node);
      else hideTip();
    });
    textBox.addEventListener("focusout", () => hideTip());
    root.addEventListener("keydown", (e) => {
      if (e.key === "Escape") hideTip();
    });

    // --- legend: counts per technique, each a toggle ---
    const legendBox = el("section", { class: "ps-box ps-legend-box" });
    legendBox.appendChild(el("h3", { class: "ps-heading" }, "Techniques"));
    if (order.length === 0) {
      legendBox.appendChild(el("p", { class: "ps-empty" }, "No technique spans found."));
    } else {
      const tools = el(
        "div",
        { class: "ps-legend-tools" },
        el("button", { type: "button", class: "ps-all", "data-action": "all" }, "Show all"),
        el("button", { type: "button", class: "ps-none", "data-action": "none" }, "Hide all"),
      );
      const list = el("ul", { class: "ps-legend", "aria-label": "Show or hide techniques" });
      for (const label of order) {
        const t = techOf(label);
        const swatch = el("span", { class: "ps-swatch", "aria-hidden": "true" });
        swatch.style.backgroundColor = colourOf(t);
        const button = el(
          "button",
          {
            type: "button",
            class: "ps-legend-item",
            "aria-pressed": "true",
            "data-technique": label,
            title: t.definition || t.name,
          },
          swatch,
          el("span", { class: "ps-legend-name" }, t.name),
          el("span", { class: "ps-count" }, String(counts.get(label))),
        );
        list.appendChild(el("li", {}, button));
      }
      legendBox.append(tools, list);
      const sync = () => {
        for (const b of list.querySelectorAll("button.ps-legend-item")) {
          b.setAttribute("aria-pressed", String(enabled.has(b.getAttribute("data-technique"))));
        }
        renderText();
      };
      list.addEventListener("click", (e) => {
        const b = e.target instanceof Element ? e.target.closest("button.ps-legend-item") : null;
        if (!b) return;
        const label = b.getAttribute("data-technique");
        if (enabled.has(label)) enabled.delete(label);
        else enabled.add(label);
        sync();
      });
      tools.addEventListener("click", (e) => {
        const b = e.target instanceof Element ? e.target.closest("button") : null;
        if (!b) return;
        if (b.getAttribute("data-action") === "all") for (const l of order) enabled.add(l);
        else enabled.clear();
        sync();
      });
    }
    side.appendChild(legendBox);

    // --- chart: spans per technique, CSS bars ---
    if (order.length) {
      const chartBox = el("section", { class: "ps-box ps-chart-box" });
      chartBox.appendChild(el("h3", { class: "ps-heading" }, "Spans per technique"));
      const chart = el("div", { class: "ps-chart", role: "list" });
      const top = counts.get(order[0]);
      for (const label of order) {
        const t = techOf(label);
        const bar = el("div", { class: "ps-chart-bar" });
        bar.style.width = `${(100 * counts.get(label)) / top}%`;
        bar.style.backgroundColor = colourOf(t);
        chart.appendChild(
          el(
            "div",
            { class: "ps-chart-row", role: "listitem" },
            el("span", { class: "ps-chart-label" }, t.name),
            el("span", { class: "ps-chart-track", "aria-hidden": "true" }, bar),
            el("span", { class: "ps-chart-value" }, String(counts.get(label))),
          ),
        );
      }
      chartBox.appendChild(chart);
      side.appendChild(chartBox);
    }

    // --- claims, highest score first: each a button that scrolls to the claim in the text ---
    const claimsBox = el("section", { class: "ps-box ps-claims-box" });
    claimsBox.appendChild(
      el("h3", { class: "ps-heading" }, `Check-worthy claims (${claims.length})`),
    );
    const note = claimsNote(analysis, claims);
    if (note) claimsBox.appendChild(el("p", { class: "ps-claims-note" }, note));
    if (claims.length === 0) {
      claimsBox.appendChild(
        el("p", { class: "ps-empty" }, "No check-worthy claims (or this model does not score them)."),
      );
    } else {
      const list = el("ol", { class: "ps-claims" });
      rankedClaims(claims).forEach((k) => {
        const c = claims[k];
        const body = el("span", { class: "ps-claim-text ps-user-text" });
        const facts = (Array.isArray(c.facts) ? c.facts : [])
          .filter((f) => f.start >= c.start && f.end <= c.end && f.end > f.start)
          .sort((a, b) => a.start - b.start || b.end - a.end);
        let at = c.start;
        for (const f of facts) {
          if (f.start < at) continue; // overlapping fact: the first one is marked
          appendText(body, slice(at, f.start));
          body.appendChild(
            el(
              "mark",
              { class: "ps-fact", "data-kind": f.kind, title: `checkable fact: ${f.kind}` },
              slice(f.start, f.end),
              el("span", { class: "ps-fact-kind" }, String(f.kind)),
            ),
          );
          at = f.end;
        }
        appendText(body, slice(at, c.end));
        const meta = el("span", { class: "ps-claim-meta" }, `score ${score2(c.score)}`);
        if (facts.length) meta.appendChild(document.createTextNode(` · ${facts.length} fact${facts.length === 1 ? "" : "s"}`));
        if (c.quoted) meta.appendChild(document.createTextNode(c.speaker ? ` · quoting ${c.speaker}` : " · in a quotation"));
        list.appendChild(
          el(
            "li",
            {},
            el(
              "button",
              {
                type: "button",
                class: "ps-claim",
                "data-claim": String(k),
                "data-score": String(c.score),
                "aria-controls": `${prefix}-text`,
              },
              body,
              meta,
            ),
          ),
        );
      });
      list.addEventListener("click", (e) => {
        const b = e.target instanceof Element ? e.target.closest("button.ps-claim") : null;
        if (b) goToClaim(Number(b.getAttribute("data-claim")));
      });
      claimsBox.appendChild(list);
    }
    side.appendChild(claimsBox);

    function goToClaim(k) {
      for (const n of textBox.querySelectorAll(".ps-claim-active")) {
        n.classList.remove("ps-claim-active");
      }
      const parts = textBox.querySelectorAll(`[data-claim="${Number(k)}"]`);
      for (const n of parts) n.classList.add("ps-claim-active");
      const anchor = parts[0];
      if (!anchor) return;
      anchor.scrollIntoView({ block: "center" });
      anchor.focus({ preventScroll: true });
    }

    renderText();
    return { goToClaim, rerender: renderText };
  }

  window.propscope = Object.freeze({ render });
})();
