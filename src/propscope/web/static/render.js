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
  const GAP = 1; // px between underlines
  const TOP_WORDS = 5; // words listed in the explanation panel
  // A word as propscope.claims.profile counts it: letters or digits, with inner apostrophes,
  // dots, commas and hyphens.
  const WORD = /[\p{L}\p{N}_]+(?:['\u2019.,-][\p{L}\p{N}_]+)*/gu;
  const VOICES = ["author", "quoted"];

  /* Underline height from a span's score: 2 px (score 0) to 5 px (score 1). */
  function barHeight(score) {
    const n = Number(score);
    return 2 + Math.round(3 * (Number.isFinite(n) ? Math.max(0, Math.min(1, n)) : 1));
  }

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

  /* A probability in words, for the explanation panel. */
  function sureness(score) {
    const n = Number(score);
    if (!Number.isFinite(n)) return "no score";
    if (n >= 0.9) return "very likely";
    if (n >= 0.7) return "likely";
    if (n >= 0.5) return "more likely than not";
    if (n >= 0.3) return "possible, but unlikely";
    return "unlikely";
  }

  function round(x, digits) {
    const f = 10 ** digits;
    return Math.round(x * f) / f;
  }

  /* How many of `sentences` at least one of `spans` overlaps. */
  function sentencesWithSpan(spans, sentences) {
    let n = 0;
    for (const t of sentences) {
      if (spans.some((s) => s.start < t.end && s.end > t.start)) n += 1;
    }
    return n;
  }

  /* The figures of build_profile (propscope/claims/profile.py) for `spans`, where the counts
   * that do not depend on which spans are shown (words, sentences, their mean score) come
   * from `base`, the analysis's own figures. */
  function figures(base, spans, sentences, nClaims) {
    const counts = {};
    for (const s of spans) counts[s.technique] = (counts[s.technique] || 0) + 1;
    const labels = Object.keys(counts).sort();
    const ranked = [...labels].sort((a, b) => counts[b] - counts[a] || (a < b ? -1 : 1));
    const words = Number(base.words) || 0;
    const n = Number.isFinite(Number(base.sentences)) ? Number(base.sentences) : sentences.length;
    const withTechnique = Math.min(n, sentencesWithSpan(spans, sentences));
    const out = { ...base };
    out.technique_counts = Object.fromEntries(labels.map((l) => [l, counts[l]]));
    out.techniques_per_1000_words = words ? round((spans.length * 1000) / words, 2) : 0;
    out.share_of_sentences_with_technique = n ? round(withTechnique / n, 4) : 0;
    out.top_techniques = ranked.slice(0, 3);
    out.check_worthy_claims = nClaims;
    return out;
  }

  /**
   * The profile of a view that shows fewer spans or claims than its analysis (the page's
   * sensitivity and claims controls re-filter one answer): whole-text figures recomputed as
   * the server computes them; a voice's sentences are those flagged `quoted` (where the
   * analysis flags them) or otherwise every sentence one of the voice's spans overlaps.
   */
  function refigure(profile, view, text) {
    const base = profile && typeof profile === "object" ? profile : {};
    const spans = Array.isArray(view.spans) ? view.spans : [];
    const claims = Array.isArray(view.claims) ? view.claims : [];
    const sentences = Array.isArray(view.sentences) ? view.sentences : [];
    const whole = { ...base };
    if (!Number.isFinite(Number(whole.words))) {
      whole.words = (String(text || "").match(WORD) || []).length;
    }
    if (!Number.isFinite(Number(whole.sentences))) whole.sentences = sentences.length;
    if (!Number.isFinite(Number(whole.mean_sentence_score)) && sentences.length) {
      whole.mean_sentence_score = round(
        sentences.reduce((a, t) => a + Number(t.score || 0), 0) / sentences.length,
        4,
      );
    }
    const out = figures(whole, spans, sentences, claims.length);
    for (const voice of VOICES) {
      if (!base[voice] || typeof base[voice] !== "object") continue;
      const quoted = voice === "quoted";
      const own = spans.filter((s) => Boolean(s.quoted) === quoted);
      const flagged = sentences.some((t) => typeof t.quoted === "boolean");
      const mine = flagged ? sentences.filter((t) => Boolean(t.quoted) === quoted) : sentences;
      const nClaims = claims.filter((c) => Boolean(c.quoted) === quoted).length;
      out[voice] = figures(base[voice], own, mine, nClaims);
      // without the sentences' voices, a voice's share counts every sentence its spans touch
      if (!flagged) out[voice].estimated = ["share_of_sentences_with_technique"];
    }
    return out;
  }

  /**
   * Render one analysis into `root` (emptied first).
   * options.text: the text the offsets refer to (default: analysis.text)
   * options.techniques: [{label, name, definition, example, colour}]
   * options.idPrefix: prefix of element ids, unique per view on the page
   * options.title: a heading for the view (a file name, a URL), optional
   * options.sensitivity: the operating point whose spans the view shows (precise, balanced,
   *   sensitive), optional; named in the legend with its score
   * options.explain: async (span) => the answer of POST /api/v1/explain, optional; without
   *   it (the standalone report) the explanation panel says that word weights need a server
   * options.compact: start with the summary and the legend folded (a phone)
   * options.authorOnly: start with quoted speech hidden; options.onAuthorOnly(on) is told of
   *   each change (so that a page keeps the choice across re-renders)
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
    const sentences = (Array.isArray(analysis.sentences) ? analysis.sentences : [])
      .filter((t) => t.end > t.start)
      .sort((a, b) => a.start - b.start);
    const techOf = (label) => {
      if (!byLabel.has(label)) {
        byLabel.set(label, { label, name: label, definition: "", example: "", colour: "" });
      }
      return byLabel.get(label);
    };
    const slice = (start, end) => text.slice(units.at(start), units.at(end));
    const compact =
      opts.compact !== undefined
        ? Boolean(opts.compact)
        : typeof window.matchMedia === "function" && window.matchMedia("(max-width: 600px)").matches;

    const counts = new Map();
    for (const s of spans) counts.set(s.technique, (counts.get(s.technique) || 0) + 1);
    const order = [...counts.keys()].sort(
      (a, b) => counts.get(b) - counts.get(a) || techOf(a).name.localeCompare(techOf(b).name),
    );
    const enabled = new Set(order);
    const nQuoted = spans.filter((s) => s.quoted).length;
    let authorOnly = Boolean(opts.authorOnly) && spans.some((s) => s.quoted);

    root.replaceChildren();
    root.classList.add("ps-view");

    // --- heading, counts and warnings ---
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

    // --- the article summary: whole text, author's voice, quoted speech ---
    const profileBox = renderProfile(analysis.profile);
    if (profileBox) root.appendChild(profileBox);

    const layout = el("div", { class: "ps-layout" });
    const main = el("div", { class: "ps-main" });
    const side = el("aside", { class: "ps-side", "aria-label": "Techniques and claims" });
    layout.append(main, side);
    root.appendChild(layout);

    const tipId = `${prefix}-tip`;
    const tip = el("div", { class: "ps-tooltip", role: "tooltip", id: tipId, hidden: true });
    root.appendChild(tip);

    main.appendChild(el("h3", { class: "ps-heading", id: `${prefix}-text-h` }, "Text"));
    main.appendChild(
      el(
        "p",
        { class: "ps-keys", id: `${prefix}-keys` },
        "Tab or j / k (→ / ←) move from span to span; Enter or a click explains one; " +
          "Esc closes. Sentences are tinted by their score.",
      ),
    );
    const textBox = el("div", {
      class: "ps-text",
      id: `${prefix}-text`,
      role: "region",
      "aria-labelledby": `${prefix}-text-h`,
      "aria-describedby": `${prefix}-keys`,
    });
    main.appendChild(textBox);

    function renderProfile(profile) {
      if (!profile || typeof profile !== "object") return null;
      const parts = [["all", "Whole text", profile]];
      if (profile.author && typeof profile.author === "object") {
        parts.push(["author", "Author's voice", profile.author]);
      }
      if (profile.quoted && typeof profile.quoted === "object") {
        parts.push(["quoted", "Quoted speech", profile.quoted]);
      }
      const rows = [
        ["share_of_sentences_with_technique", "Sentences with a technique", (v) => percent(v)],
        ["techniques_per_1000_words", "Techniques per 1,000 words", (v) => Number(v).toFixed(1)],
        [
          "top_techniques",
          "Top techniques",
          (v) => (Array.isArray(v) && v.length ? v.map((l) => techOf(l).name).join(", ") : "none"),
        ],
        ["check_worthy_claims", "Check-worthy claims", (v) => String(v)],
        ["mean_sentence_score", "Mean sentence score", (v) => score2(v)],
        ["words", "Words", (v) => String(v)],
        ["sentences", "Sentences", (v) => String(v)],
      ].filter(([key]) => profile[key] !== undefined && profile[key] !== null);
      if (rows.length === 0) return null;
      const box = el("details", { class: "ps-box ps-profile", open: !compact });
      const share = profile.share_of_sentences_with_technique;
      box.appendChild(
        el(
          "summary",
          { class: "ps-fold" },
          el("h3", { class: "ps-heading" }, "Article summary"),
          share === undefined
            ? null
            : el(
                "span",
                { class: "ps-fold-gist" },
                `${percent(share)} of sentences use a technique`,
              ),
        ),
      );
      const head = el("tr", {}, el("td", {}));
      for (const [part, name] of parts) head.appendChild(el("th", { scope: "col", "data-part": part }, name));
      const body = el("tbody", {});
      for (const [key, name, show] of rows) {
        const tr = el("tr", { "data-key": key }, el("th", { scope: "row" }, name));
        for (const [part, , figs] of parts) {
          const v = figs[key];
          const known = v !== undefined && v !== null;
          const estimated = known && Array.isArray(figs.estimated) && figs.estimated.includes(key);
          tr.appendChild(
            el(
              "td",
              {
                "data-part": part,
                "data-value": known ? JSON.stringify(v) : null,
                "data-estimated": estimated,
                title: estimated
                  ? "Estimated: the sentences this voice's spans touch, at this sensitivity"
                  : null,
              },
              known ? (estimated ? "≈ " : "") + show(v) : "–",
            ),
          );
        }
        body.appendChild(tr);
      }
      box.appendChild(el("table", { class: "ps-profile-table" }, el("thead", {}, head), body));
      box.appendChild(
        el(
          "p",
          { class: "ps-profile-note" },
          "Sentence score: the probability that a sentence holds persuasion. Quoted speech: " +
            "what the text reports others saying, within quotation marks.",
        ),
      );
      return box;
    }

    // --- the text, cut into pieces at every span, claim and sentence boundary ---
    function visible(s) {
      return enabled.has(s.technique) && s.end > s.start && !(authorOnly && s.quoted);
    }
    function renderText() {
      hideTip();
      const active = [];
      spans.forEach((s, i) => {
        if (visible(s)) active.push(i);
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
      for (const t of sentences) cuts.add(t.start).add(t.end);
      const points = [...cuts].filter((p) => p >= 0 && p <= units.length).sort((a, b) => a - b);
      const covering = new Set();
      const inClaims = new Set();
      const anchored = new Set();
      const frag = document.createDocumentFragment();
      let si = 0; // the first sentence that may hold the next piece
      let box = null; // the element of the sentence being filled
      let boxOf = -1;
      for (let j = 0; j + 1 < points.length; j++) {
        const a = points[j];
        const z = points[j + 1];
        for (const i of closes.get(a) || []) covering.delete(i);
        for (const i of opens.get(a) || []) covering.add(i);
        for (const k of claimCloses.get(a) || []) inClaims.delete(k);
        for (const k of claimOpens.get(a) || []) inClaims.add(k);
        const piece = slice(a, z);
        if (!piece) continue;
        while (si < sentences.length && sentences[si].end <= a) si += 1;
        const inSentence = si < sentences.length && sentences[si].start <= a;
        let parent = frag;
        if (inSentence) {
          if (boxOf !== si) {
            box = sentenceBox(sentences[si], si);
            boxOf = si;
            frag.appendChild(box);
          }
          parent = box;
        }
        const over = [...covering].sort(
          (x, y) => spans[x].start - spans[y].start || spans[y].end - spans[x].end || x - y,
        );
        const claim = inClaims.size ? Math.min(...inClaims) : -1;
        let node = null;
        if (over.length) {
          const quoted = over.some((i) => spans[i].quoted);
          node = el("mark", {
            class: quoted ? "ps-span ps-quoted" : "ps-span",
            tabindex: "0",
            title: "",
            "data-spans": over.join(" "),
            "data-score": String(Math.max(...over.map((i) => Number(spans[i].score) || 0))),
            "aria-describedby": tipId,
            "aria-haspopup": "dialog",
          });
          paint(node, over.map((i) => spans[i]));
        } else if (claim >= 0) {
          node = el("span", { class: "ps-claim-part" });
        }
        if (node === null) {
          appendText(parent, piece);
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
        parent.appendChild(node);
      }
      textBox.replaceChildren(frag);
      syncQuoted();
    }

    /* A sentence: tinted by its score (probability that it holds persuasion), which its title
     * says. */
    function sentenceBox(t, k) {
      const n = Number(t.score);
      const known = Number.isFinite(n);
      const node = el("span", {
        class: "ps-sentence",
        "data-sentence": String(k),
        "data-score": known ? String(n) : null,
        title: known
          ? `Sentence score ${score2(n)}: the probability that this sentence holds persuasion`
          : null,
      });
      if (known) node.style.setProperty("--ps-s", String(Math.max(0, Math.min(1, n))));
      return node;
    }

    /* Stacked underlines, one per covering span (outermost at the bottom), each as thick as
     * its span is sure (2 px at score 0 to 5 px at 1) and dashed where the span is quoted
     * speech, and a tint of the innermost span's colour, stronger the surer it is. Set
     * through the CSSOM, never a style attribute string. */
    function paint(node, over) {
      const bars = over.slice(0, MAX_BARS);
      const inner = over[over.length - 1];
      const images = [];
      const sizes = [];
      const positions = [];
      let at = 0;
      for (const s of bars) {
        const c = colourOf(techOf(s.technique));
        const h = barHeight(s.score);
        images.push(
          s.quoted
            ? `repeating-linear-gradient(90deg, ${c} 0 6px, transparent 6px 9px)`
            : `linear-gradient(${c}, ${c})`,
        );
        sizes.push(`100% ${h}px`);
        positions.push(`0 calc(100% - ${at}px)`);
        at += h + GAP;
      }
      const c = colourOf(techOf(inner.technique));
      const n = Number(inner.score);
      const alpha = Math.round(255 * (0.06 + 0.2 * (Number.isFinite(n) ? n : 1)));
      const hex = Math.max(0, Math.min(255, alpha)).toString(16).padStart(2, "0");
      images.push(`linear-gradient(${c}${hex}, ${c}${hex})`);
      sizes.push("100% 100%");
      positions.push("0 0");
      node.style.backgroundImage = images.join(", ");
      node.style.backgroundSize = sizes.join(", ");
      node.style.backgroundPosition = positions.join(", ");
      node.style.paddingBottom = `${at}px`;
      if (over.length > MAX_BARS) node.classList.add("ps-more");
    }

    // --- tooltip ---
    let tipFor = null;
    function idsOf(node) {
      return (node.getAttribute("data-spans") || "").split(" ").filter(Boolean).map(Number);
    }
    function showTip(node) {
      tip.replaceChildren();
      for (const i of idsOf(node)) {
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
        if (s.quoted) {
          where.appendChild(
            el(
              "span",
              { class: "ps-tip-quoted" },
              s.speaker ? ` (quoting ${s.speaker})` : " (in a quotation)",
            ),
          );
        }
        item.appendChild(where);
        tip.appendChild(item);
      }
      tip.appendChild(el("p", { class: "ps-tip-more" }, "Click or press Enter to explain."));
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
    textBox.addEventListener("click", (e) => {
      const node = spanOf(e.target);
      if (node) openPanel(node, 0);
    });
    // Keyboard: Enter explains the focused span; j / → and k / ← move to the next and the
    // previous one (Tab and Shift+Tab also do).
    textBox.addEventListener("keydown", (e) => {
      const node = spanOf(e.target);
      if (!node || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "Enter") {
        e.preventDefault();
        openPanel(node, 0);
        return;
      }
      const step = { j: 1, ArrowRight: 1, k: -1, ArrowLeft: -1 }[e.key];
      if (!step) return;
      e.preventDefault();
      const marks = [...textBox.querySelectorAll("mark.ps-span")];
      const next = marks[marks.indexOf(node) + step];
      if (next) next.focus();
    });
    root.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      hideTip();
      if (!panel.hidden) closePanel();
    });

    // --- the explanation panel: one span's technique, scores and the words that weighed most ---
    const panelId = `${prefix}-explain`;
    const panel = el("section", {
      class: "ps-explain",
      id: panelId,
      role: "dialog",
      "aria-modal": "false",
      "aria-labelledby": `${panelId}-h`,
      hidden: true,
    });
    root.appendChild(panel);
    let panelFor = null; // the mark the panel was opened from
    let asked = 0; // answers to earlier requests are dropped
    function closePanel() {
      panel.hidden = true;
      asked += 1;
      const back = panelFor;
      panelFor = null;
      if (back && back.isConnected) back.focus();
    }
    function openPanel(node, which) {
      // the spans on these words, surest first (ties: the innermost)
      const ids = idsOf(node)
        .filter((i) => spans[i])
        .reverse()
        .sort((a, b) => (Number(spans[b].score) || 0) - (Number(spans[a].score) || 0));
      if (!ids.length) return;
      hideTip();
      panelFor = node;
      const pick = Math.max(0, Math.min(which, ids.length - 1));
      const i = ids[pick];
      const s = spans[i];
      const t = techOf(s.technique);
      const close = el(
        "button",
        { type: "button", class: "ps-explain-close", "aria-label": "Close the explanation" },
        "×",
      );
      close.addEventListener("click", closePanel);
      const swatch = el("span", { class: "ps-swatch", "aria-hidden": "true" });
      swatch.style.backgroundColor = colourOf(t);
      const heading = el(
        "h3",
        { class: "ps-explain-name", id: `${panelId}-h`, tabindex: "-1" },
        swatch,
        t.name,
      );
      const body = [
        el("div", { class: "ps-explain-head" }, heading, close),
        el(
          "p",
          { class: "ps-explain-span" },
          el("q", { class: "ps-user-text" }, excerpt(slice(s.start, s.end), 300)),
          s.quoted
            ? el(
                "span",
                { class: "ps-explain-quoted" },
                s.speaker ? ` — quoted speech: ${s.speaker}` : " — quoted speech",
              )
            : null,
        ),
      ];
      if (ids.length > 1) {
        const others = el("p", { class: "ps-explain-others" }, "Also on these words: ");
        ids.forEach((k, j) => {
            if (j === pick) return;
            const b = el(
              "button",
              { type: "button", class: "ps-explain-other", "data-span": String(k) },
              `${techOf(spans[k].technique).name} (${percent(spans[k].score)})`,
            );
            b.addEventListener("click", () => openPanel(node, j));
            others.appendChild(b);
          });
        body.push(others);
      }
      const spanScore = Number(s.score);
      const techScore = Number(s.technique_score ?? 1);
      body.push(
        el(
          "p",
          { class: "ps-explain-scores" },
          el("strong", {}, `Span score ${percent(spanScore)}`),
          ` — a persuasion span here is ${sureness(spanScore)}. `,
          el("strong", {}, `Technique score ${percent(techScore)}`),
          ` — given a span, that it is ${t.name.toLowerCase()} rather than another ` +
            `technique is ${sureness(techScore)}.`,
        ),
      );
      body.push(
        el(
          "p",
          { class: "ps-explain-def" },
          el("strong", {}, "Definition: "),
          t.definition || "(no definition known for this label)",
        ),
      );
      if (t.example) {
        body.push(
          el(
            "p",
            { class: "ps-explain-ex" },
            el("strong", {}, "Example: "),
            el("q", {}, t.example),
          ),
        );
      }
      const words = el("div", { class: "ps-explain-words", "aria-live": "polite" });
      body.push(words);
      panel.replaceChildren(...body);
      panel.hidden = false;
      heading.focus({ preventScroll: true });
      const ticket = ++asked;
      if (typeof opts.explain !== "function") {
        words.appendChild(
          el(
            "p",
            { class: "ps-explain-offline" },
            "Which words weighed most needs the model: run `propscope serve` and analyse " +
              "this text on its page.",
          ),
        );
        return;
      }
      words.appendChild(el("p", { class: "ps-explain-wait" }, "Weighing the words…"));
      Promise.resolve()
        .then(() => opts.explain(s))
        .then((answer) => {
          if (ticket === asked) showWeights(words, answer, s);
        })
        .catch((err) => {
          if (ticket !== asked) return;
          words.replaceChildren(
            el(
              "p",
              { class: "ps-explain-error" },
              `Word weights are not available: ${err instanceof Error ? err.message : String(err)}`,
            ),
          );
        });
    }

    /* The words that weighed most (|weight|, top TOP_WORDS) with bars, and the window the
     * model read, those words tinted. weight > 0: the word pushed the span score up. */
    function showWeights(box, answer, s) {
      const all = (answer && Array.isArray(answer.words) ? answer.words : []).filter(
        (w) => Number.isFinite(Number(w.weight)) && w.end > w.start,
      );
      box.replaceChildren();
      box.appendChild(el("h4", { class: "ps-explain-sub" }, "Words that weighed most"));
      if (!all.length) {
        box.appendChild(el("p", { class: "ps-empty" }, "No word weights in the answer."));
        return;
      }
      const top = [...all]
        .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.start - b.start)
        .slice(0, TOP_WORDS);
      const most = Math.max(...top.map((w) => Math.abs(w.weight))) || 1;
      const list = el("ol", { class: "ps-weights" });
      for (const w of top) {
        const up = w.weight > 0;
        const bar = el("span", { class: up ? "ps-weight-bar ps-up" : "ps-weight-bar ps-down" });
        bar.style.width = `${Math.round((100 * Math.abs(w.weight)) / most)}%`;
        list.appendChild(
          el(
            "li",
            { class: "ps-weight", "data-start": String(w.start), "data-weight": String(w.weight) },
            el("span", { class: "ps-weight-word ps-user-text" }, slice(w.start, w.end)),
            el("span", { class: "ps-weight-track", "aria-hidden": "true" }, bar),
            el(
              "span",
              { class: "ps-weight-value" },
              `${up ? "+" : "−"}${Math.abs(Number(w.weight)).toFixed(3)}`,
            ),
          ),
        );
      }
      box.appendChild(list);
      box.appendChild(
        el(
          "p",
          { class: "ps-explain-method" },
          "Weight: how much the span score falls when the word is hidden " +
            `(${String(answer.method || "occlusion")}); + pushed it up, − pushed it down.`,
        ),
      );
      const win = answer.window && answer.window.end > answer.window.start ? answer.window : s;
      const para = el("p", { class: "ps-explain-window ps-user-text" });
      let at = win.start;
      for (const w of [...top].sort((a, b) => a.start - b.start)) {
        if (w.start < at || w.end > win.end) continue;
        appendText(para, slice(at, w.start));
        const m = el(
          "mark",
          {
            class: w.weight > 0 ? "ps-weighed ps-up" : "ps-weighed ps-down",
            title: `weight ${Number(w.weight).toFixed(3)}`,
          },
          slice(w.start, w.end),
        );
        m.style.setProperty("--ps-w", String(Math.abs(w.weight) / most));
        para.appendChild(m);
        at = w.end;
      }
      appendText(para, slice(at, win.end));
      box.appendChild(el("h4", { class: "ps-explain-sub" }, "In the passage the model read"));
      box.appendChild(para);
    }

    // --- legend: what the marks mean, counts per technique (each a toggle), quoted speech ---
    const legendBox = el("details", { class: "ps-box ps-legend-box", open: !compact });
    legendBox.appendChild(
      el(
        "summary",
        { class: "ps-fold" },
        el("h3", { class: "ps-heading" }, "Techniques"),
        el(
          "span",
          { class: "ps-fold-gist" },
          `${order.length} technique${order.length === 1 ? "" : "s"}, ` +
            `${spans.length} span${spans.length === 1 ? "" : "s"}`,
        ),
      ),
    );
    legendBox.appendChild(confidenceNote());
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
    // Quoted speech: dashed underlines; a toggle shows the author's voice only.
    const quotedNote = el("span", { class: "ps-quoted-note", "aria-live": "polite" });
    const authorButton = el(
      "button",
      {
        type: "button",
        class: "ps-author-only",
        "aria-pressed": "false",
        disabled: nQuoted === 0,
      },
      "Author's voice only",
    );
    authorButton.addEventListener("click", () => {
      authorOnly = !authorOnly;
      if (typeof opts.onAuthorOnly === "function") opts.onAuthorOnly(authorOnly);
      renderText();
    });
    legendBox.appendChild(el("div", { class: "ps-quoted-tools" }, authorButton, quotedNote));
    function syncQuoted() {
      authorButton.setAttribute("aria-pressed", String(authorOnly));
      const hidden = authorOnly ? spans.filter((s) => s.quoted && enabled.has(s.technique)) : [];
      quotedNote.setAttribute("data-hidden", String(hidden.length));
      if (nQuoted === 0) quotedNote.textContent = "No span is in quoted speech.";
      else if (authorOnly) {
        quotedNote.textContent =
          `${hidden.length} quoted span${hidden.length === 1 ? "" : "s"} hidden.`;
      } else {
        quotedNote.textContent =
          `${nQuoted} span${nQuoted === 1 ? " is" : "s are"} in quoted speech ` +
          "(dashed underline).";
      }
    }
    side.appendChild(legendBox);

    /* What the two numbers mean, and which spans the view shows. */
    function confidenceNote() {
      const note = el("div", { class: "ps-confidence" });
      const scale = el("span", { class: "ps-scale", "aria-hidden": "true" });
      for (const v of [0.2, 0.6, 1]) {
        const b = el("span", { class: "ps-scale-bar" });
        b.style.height = `${barHeight(v)}px`;
        scale.appendChild(b);
      }
      note.appendChild(
        el(
          "p",
          {},
          scale,
          el("strong", {}, "Span score"),
          " (underline thickness and tint): how sure the model is that this is a persuasion " +
            "span. ",
          el("strong", {}, "Technique score"),
          ": how sure it is that it is this technique, given a span.",
        ),
      );
      const points = analysis.operating_points || {};
      const name = opts.sensitivity;
      let from = typeof name === "string" ? points[name] : undefined;
      if (typeof from !== "number") from = analysis.min_score;
      if (typeof from === "number" && Number.isFinite(from)) {
        const known = ["precise", "balanced", "sensitive"]
          .filter((p) => typeof points[p] === "number")
          .map((p) => `${p} ${score2(points[p])}`);
        note.appendChild(
          el(
            "p",
            { class: "ps-shown-from" },
            `Shown: spans with a span score of at least ${score2(from)}` +
              (typeof name === "string" && typeof points[name] === "number" ? ` (${name})` : "") +
              (known.length ? `; the model's operating points: ${known.join(", ")}.` : "."),
          ),
        );
      }
      return note;
    }

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

  window.propscope = Object.freeze({ render, refigure });
})();
