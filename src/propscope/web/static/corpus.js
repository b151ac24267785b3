/* The corpus dashboard at /corpus. It reads /api/v1/corpus/{facets,stats,documents} and draws
 * a heat map of each technique's spans per 1,000 words by source (a table whose cells are
 * coloured by value), a line chart of the techniques by month (Chart.js, vendored under
 * /static/vendor), and the document list with its filters and pages; each document links to
 * its stored analysis in the page at / (/?doc=ID).
 *
 * Safety: every piece of text from the database (sources, titles, ids, authors) goes into the
 * DOM as text (textContent, text nodes, attribute values set one by one); no HTML string is
 * ever parsed. Colours are set through the CSSOM. */
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const API = "/api/v1/corpus";
  const TOKEN_KEY = "propscope.token";
  const PAGE_SIZE = 25;
  const SENSITIVITIES = ["precise", "balanced", "sensitive"];
  const FILTERS = ["q", "source", "date_from", "date_to", "technique"];
  const COLOUR = /^#[0-9a-fA-F]{6}$/;
  const MONTH = /^(\d{4})-(\d{2})$/;
  const MAX_MONTHS = 600; // a wider range of dates is drawn month by month as found
  // The heat map's colour ramp (also drawn by .ps-heat-ramp in corpus.css).
  const RAMP = [
    [255, 255, 255],
    [244, 162, 89],
    [127, 29, 29],
  ];

  let techniques = []; // [{label, name, definition, colour}] from /api/v1/techniques
  let chart = null;
  let heatStats = null;
  let heatSort = { key: "source", desc: false };
  let docRequest = 0;
  let statsRequest = 0;
  const filters = { q: "", source: "", date_from: "", date_to: "", technique: "" };
  let offset = 0;

  /* Create an element; attributes are set one by one and children added as text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined && value !== false) {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function setStatus(message, kind) {
    const status = $("status");
    status.textContent = message;
    status.className = kind ? `ps-status ps-status-${kind}` : "ps-status";
  }

  function token() {
    return $("token").value.trim();
  }

  async function getJson(path) {
    const headers = { Accept: "application/json" };
    if (token()) headers.Authorization = `Bearer ${token()}`;
    const r = await fetch(path, { headers });
    let data = null;
    try {
      data = await r.json();
    } catch (_) {
      data = null;
    }
    if (!r.ok) {
      const err = data && data.error ? `${data.error.code}: ${data.error.message}` : `HTTP ${r.status}`;
      throw new Error(err);
    }
    return data;
  }

  const sensitivity = () => $("sensitivity").value;
  const techniqueOf = (label) =>
    techniques.find((t) => t.label === label) || { label, name: label, definition: "", colour: "" };
  const colourOf = (t) => (COLOUR.test(t.colour || "") ? t.colour : "#6b6b6b");

  /* 6.312 -> "6.3"; small non-zero values keep two decimals so that they do not read as 0. */
  function fmt(v) {
    const n = Number(v) || 0;
    if (n === 0) return "0";
    if (n < 0.05) return n.toFixed(2);
    return n >= 100 ? n.toFixed(0) : n.toFixed(1);
  }

  function rampColour(t) {
    const x = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
    const i = Math.min(RAMP.length - 2, Math.floor(x));
    const f = x - i;
    const rgb = RAMP[i].map((c, k) => Math.round(c + (RAMP[i + 1][k] - c) * f));
    return `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
  }

  // --- the address keeps the filters, so that Back from a document restores the list ---

  function readAddress() {
    const params = new URLSearchParams(window.location.search);
    for (const name of FILTERS) filters[name] = params.get(name) || "";
    const s = params.get("sensitivity");
    if (SENSITIVITIES.includes(s)) $("sensitivity").value = s;
    const o = Number.parseInt(params.get("offset") || "0", 10);
    offset = Number.isFinite(o) && o > 0 ? o : 0;
  }

  function writeAddress() {
    const params = new URLSearchParams();
    for (const name of FILTERS) if (filters[name]) params.set(name, filters[name]);
    if (sensitivity() !== "balanced") params.set("sensitivity", sensitivity());
    if (offset) params.set("offset", String(offset));
    const query = params.toString();
    const address = query ? `/corpus?${query}` : "/corpus";
    window.history.replaceState(null, "", address);
    try {
      window.sessionStorage.setItem("propscope.corpus", address); // the way back from /?doc=
    } catch (_) {
      /* storage may be off */
    }
  }

  function showFilters() {
    $("q").value = filters.q;
    $("source").value = filters.source;
    $("date-from").value = filters.date_from;
    $("date-to").value = filters.date_to;
    $("technique").value = filters.technique;
  }

  function takeFilters() {
    filters.q = $("q").value.trim();
    filters.source = $("source").value;
    filters.date_from = $("date-from").value;
    filters.date_to = $("date-to").value;
    filters.technique = $("technique").value;
  }

  // --- facets: the filters' choices ---

  function fillFacets(facets) {
    const model = facets.model ? `model ${facets.model.name} ${facets.model.version}` : "no analyses yet";
    const n = Number(facets.documents) || 0;
    $("corpus-summary").textContent =
      `${n.toLocaleString("en")} document${n === 1 ? "" : "s"}` +
      (facets.date_from ? ` from ${facets.date_from} to ${facets.date_to}` : "") +
      ` · ${model}`;
    const source = $("source");
    source.replaceChildren(el("option", { value: "" }, "all sources"));
    for (const s of facets.sources || []) {
      const option = el("option", {}, String(s));
      option.value = String(s);
      source.appendChild(option);
    }
    if (filters.source && !(facets.sources || []).includes(filters.source)) {
      const option = el("option", {}, filters.source);
      option.value = filters.source;
      source.appendChild(option);
    }
    const technique = $("technique");
    technique.replaceChildren(el("option", { value: "" }, "any technique"));
    for (const label of facets.techniques || []) {
      const option = el("option", {}, techniqueOf(label).name);
      option.value = label;
      technique.appendChild(option);
    }
    for (const id of ["date-from", "date-to"]) {
      if (facets.date_from) $(id).min = facets.date_from;
      if (facets.date_to) $(id).max = facets.date_to;
    }
    showFilters();
  }

  // --- heat map: rows = sources, columns = techniques ---

  function drawHeat(stats) {
    heatStats = stats;
    const table = $("heatmap");
    const thead = table.tHead;
    const tbody = table.tBodies[0];
    const groups = Array.isArray(stats.groups) ? stats.groups.slice() : [];
    const labels = techniques.map((t) => t.label);
    let max = 0;
    for (const g of groups) {
      for (const label of labels) max = Math.max(max, Number(g.techniques[label].per_1000_words) || 0);
    }
    $("heat-max").textContent = `${fmt(max)} per 1,000 words`;

    const { key, desc } = heatSort;
    const valueOf = (g) => {
      if (key === "source") return null;
      if (key === "documents") return g.documents;
      if (key === "all") return g.spans_per_1000_words;
      return g.techniques[key] ? g.techniques[key].per_1000_words : 0;
    };
    groups.sort((a, b) => {
      const va = valueOf(a);
      const vb = valueOf(b);
      if (va === null || va === vb) return a.key.localeCompare(b.key) * (key === "source" && desc ? -1 : 1);
      return desc ? vb - va : va - vb;
    });

    const sortHeader = (sortKey, text, attrs, title) => {
      const th = el("th", { scope: "col", ...attrs });
      if (heatSort.key === sortKey) th.setAttribute("aria-sort", heatSort.desc ? "descending" : "ascending");
      const button = el("button", { type: "button", class: "ps-sort", "data-sort": sortKey, title }, el("span", {}, text));
      th.appendChild(button);
      return th;
    };
    const head = el("tr", {});
    head.appendChild(sortHeader("source", "Source", { class: "ps-heat-source-h" }, "Sort by source"));
    head.appendChild(sortHeader("documents", "Documents", { class: "ps-heat-num-h" }, "Sort by documents"));
    head.appendChild(sortHeader("all", "All techniques", { class: "ps-heat-num-h" }, "Sort by all spans per 1,000 words"));
    for (const label of labels) {
      const t = techniqueOf(label);
      const th = sortHeader(label, t.name, { class: "ps-heat-tech-h", "data-technique": label }, t.definition || t.name);
      const swatch = el("span", { class: "ps-swatch", "aria-hidden": "true" });
      swatch.style.backgroundColor = colourOf(t);
      th.firstChild.prepend(swatch);
      head.appendChild(th);
    }
    thead.replaceChildren(head);

    const rows = document.createDocumentFragment();
    const row = (g, isTotal) => {
      const tr = el("tr", isTotal ? { class: "ps-heat-total" } : { "data-source": g.key });
      const name = isTotal
        ? el("th", { scope: "row" }, "All sources")
        : el(
            "th",
            { scope: "row" },
            el("button", { type: "button", class: "ps-heat-source", title: "List this source's documents" }, g.key),
          );
      if (!isTotal) name.firstChild.dataset.source = g.key;
      tr.appendChild(name);
      tr.appendChild(el("td", { class: "ps-num" }, String(g.documents)));
      tr.appendChild(el("td", { class: "ps-num" }, fmt(g.spans_per_1000_words)));
      for (const label of labels) {
        const v = Number(g.techniques[label].per_1000_words) || 0;
        const n = Number(g.techniques[label].count) || 0;
        const td = el(
          "td",
          {
            class: "ps-heat-cell",
            "data-technique": label,
            "data-value": String(v),
            title: `${isTotal ? "All sources" : g.key} · ${techniqueOf(label).name}: ${v} per 1,000 words (${n} span${n === 1 ? "" : "s"} in ${g.words} words)`,
          },
          fmt(v),
        );
        const t = max > 0 ? Math.sqrt(v / max) : 0;
        td.style.backgroundColor = rampColour(t);
        if (t > 0.62) td.classList.add("ps-heat-dark");
        if (v === 0) td.classList.add("ps-heat-zero");
        tr.appendChild(td);
      }
      return tr;
    };
    if (stats.total && groups.length > 1) rows.appendChild(row(stats.total, true));
    for (const g of groups) rows.appendChild(row(g, false));
    if (!groups.length) {
      rows.appendChild(
        el("tr", {}, el("td", { colspan: String(labels.length + 3), class: "ps-empty" }, "No analysed documents.")),
      );
    }
    tbody.replaceChildren(rows);
  }

  $("heatmap").addEventListener("click", (e) => {
    const target = e.target instanceof Element ? e.target : null;
    const sort = target && target.closest("button.ps-sort");
    if (sort) {
      const key = sort.getAttribute("data-sort");
      heatSort = { key, desc: heatSort.key === key ? !heatSort.desc : key !== "source" };
      if (heatStats) drawHeat(heatStats);
      const again = $("heatmap").querySelector(`button.ps-sort[data-sort="${CSS.escape(key)}"]`);
      if (again) again.focus();
      return;
    }
    const source = target && target.closest("button.ps-heat-source");
    if (source) {
      filters.source = source.dataset.source || "";
      $("source").value = filters.source;
      offset = 0;
      loadDocuments().then(() => $("docs-h").scrollIntoView({ block: "start" }));
    }
  });

  // --- techniques over time: one line per technique, by month (Chart.js) ---

  function monthRange(first, last) {
    const [, y0, m0] = MONTH.exec(first).map(Number);
    const [, y1, m1] = MONTH.exec(last).map(Number);
    const out = [];
    for (let y = y0, m = m0; y < y1 || (y === y1 && m <= m1); m === 12 ? ((y += 1), (m = 1)) : (m += 1)) {
      out.push(`${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}`);
      if (out.length > MAX_MONTHS) return null;
    }
    return out;
  }

  function drawTimeline(stats) {
    const byMonth = new Map();
    for (const g of stats.groups || []) if (MONTH.test(g.key)) byMonth.set(g.key, g);
    const found = [...byMonth.keys()].sort();
    const labels = found.length ? monthRange(found[0], found[found.length - 1]) || found : [];
    const datasets = techniques.map((t) => {
      const data = labels.map((m) => (byMonth.has(m) ? byMonth.get(m).techniques[t.label].per_1000_words : null));
      const colour = colourOf(t);
      return {
        label: t.name,
        data,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: 2,
        pointRadius: 2.5,
        pointHoverRadius: 5,
        cubicInterpolationMode: "monotone", // no overshoot below 0 between points
        spanGaps: true,
        hidden: !data.some((v) => v),
      };
    });
    if (typeof window.Chart !== "function") {
      setStatus("The chart library (/static/vendor/chart.umd.min.js) did not load.", "error");
      return;
    }
    if (chart) {
      chart.data.labels = labels;
      chart.data.datasets = datasets;
      chart.update();
      return;
    }
    chart = new window.Chart($("timeline"), {
      type: "line",
      data: { labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        scales: {
          x: { title: { display: true, text: "month" }, ticks: { autoSkip: true, maxRotation: 0 } },
          y: { beginAtZero: true, title: { display: true, text: "spans per 1,000 words" } },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 14, boxHeight: 10 } },
          tooltip: {
            callbacks: {
              label: (item) => `${item.dataset.label}: ${fmt(item.parsed.y)} per 1,000 words`,
              afterTitle: (items) => {
                const g = items.length ? byMonthOf(items[0].label) : null;
                return g ? `${g.documents} document${g.documents === 1 ? "" : "s"}, ${g.words} words` : "";
              },
            },
          },
        },
      },
    });
    document.body.setAttribute("data-chart", "drawn");
  }

  let monthGroups = new Map();
  const byMonthOf = (key) => monthGroups.get(key) || null;

  // --- the document list ---

  async function loadDocuments() {
    const mine = ++docRequest;
    const params = new URLSearchParams();
    for (const name of FILTERS) if (filters[name]) params.set(name, filters[name]);
    params.set("sensitivity", sensitivity());
    params.set("limit", String(PAGE_SIZE));
    params.set("offset", String(offset));
    writeAddress();
    $("documents").setAttribute("aria-busy", "true");
    try {
      const page = await getJson(`${API}/documents?${params}`);
      if (mine !== docRequest) return;
      drawDocuments(page);
    } catch (e) {
      if (mine === docRequest) setStatus(e instanceof Error ? e.message : String(e), "error");
    } finally {
      if (mine === docRequest) $("documents").setAttribute("aria-busy", "false");
    }
  }

  function drawDocuments(page) {
    const tbody = $("documents").tBodies[0];
    const frag = document.createDocumentFragment();
    const docs = Array.isArray(page.documents) ? page.documents : [];
    for (const d of docs) {
      const id = String(d.id);
      const link = el(
        "a",
        {
          href: `/?doc=${encodeURIComponent(id)}&sensitivity=${encodeURIComponent(sensitivity())}`,
          class: "ps-doc-link",
        },
        typeof d.title === "string" && d.title ? d.title : id,
      );
      const words = Number(d.words) || 0;
      const spans = Number(d.spans) || 0;
      frag.appendChild(
        el(
          "tr",
          { "data-id": id },
          el("td", { class: "ps-doc-title" }, link, el("span", { class: "ps-doc-id" }, id)),
          el("td", { class: "ps-doc-source" }, d.source ? String(d.source) : "—"),
          el("td", { class: "ps-doc-date" }, d.date ? String(d.date) : "—"),
          el("td", { class: "ps-num" }, words.toLocaleString("en")),
          el("td", { class: "ps-num ps-doc-spans" }, String(spans)),
          el("td", { class: "ps-num" }, words ? fmt((spans * 1000) / words) : "—"),
          el("td", { class: "ps-num" }, String(Number(d.check_worthy_claims) || 0)),
        ),
      );
    }
    if (!docs.length) {
      frag.appendChild(el("tr", {}, el("td", { colspan: "7", class: "ps-empty" }, "No documents match.")));
    }
    tbody.replaceChildren(frag);
    const total = Number(page.total) || 0;
    const first = docs.length ? offset + 1 : 0;
    $("doc-count").textContent = docs.length
      ? `Documents ${first}–${offset + docs.length} of ${total.toLocaleString("en")}, newest first.`
      : `No documents match (of ${total.toLocaleString("en")}).`;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    $("page-info").textContent = `Page ${Math.floor(offset / PAGE_SIZE) + 1} of ${pages}`;
    $("prev").disabled = offset <= 0;
    $("next").disabled = offset + PAGE_SIZE >= total;
  }

  $("filters").addEventListener("submit", (e) => {
    e.preventDefault();
    takeFilters();
    offset = 0;
    loadDocuments();
  });
  for (const id of ["source", "date-from", "date-to", "technique"]) {
    $(id).addEventListener("change", () => $("filters").requestSubmit());
  }
  $("reset").addEventListener("click", () => {
    for (const name of FILTERS) filters[name] = "";
    showFilters();
    offset = 0;
    loadDocuments();
  });
  $("prev").addEventListener("click", () => {
    offset = Math.max(0, offset - PAGE_SIZE);
    loadDocuments();
  });
  $("next").addEventListener("click", () => {
    offset += PAGE_SIZE;
    loadDocuments();
  });

  // --- loading ---

  async function loadStats() {
    const mine = ++statsRequest;
    const s = encodeURIComponent(sensitivity());
    const [bySource, byMonth] = await Promise.all([
      getJson(`${API}/stats?by=source&sensitivity=${s}`),
      getJson(`${API}/stats?by=month&sensitivity=${s}`),
    ]);
    if (mine !== statsRequest) return;
    monthGroups = new Map((byMonth.groups || []).map((g) => [g.key, g]));
    drawHeat(bySource);
    drawTimeline(byMonth);
  }

  async function loadAll() {
    setStatus("Loading…", "busy");
    try {
      const facets = await getJson(`${API}/facets`);
      fillFacets(facets);
      await Promise.all([loadStats(), loadDocuments()]);
      if ($("status").classList.contains("ps-status-busy")) setStatus("", "");
      document.body.setAttribute("data-ready", "true");
    } catch (e) {
      setStatus(e instanceof Error ? e.message : String(e), "error");
      document.body.setAttribute("data-ready", "error");
    }
  }

  $("sensitivity").addEventListener("change", () => {
    offset = 0;
    Promise.all([loadStats(), loadDocuments()]).catch((e) =>
      setStatus(e instanceof Error ? e.message : String(e), "error"),
    );
  });

  // The token, where the server needs one, is kept for this tab so that the page at / can
  // open a stored analysis with it.
  function applyToken() {
    try {
      window.sessionStorage.setItem(TOKEN_KEY, token());
    } catch (_) {
      /* storage may be off; the token still works on this page */
    }
    loadAll();
  }
  $("token-apply").addEventListener("click", applyToken);
  $("token").addEventListener("keydown", (e) => {
    if (e.key === "Enter") applyToken();
  });

  readAddress();
  try {
    $("token").value = window.sessionStorage.getItem(TOKEN_KEY) || "";
  } catch (_) {
    /* storage may be off */
  }
  Promise.all([getJson("/api/v1/techniques"), getJson("/api/v1/health")])
    .then(([t, health]) => {
      techniques = t.techniques;
      $("token-box").hidden = !health.auth_required;
      return loadAll();
    })
    .catch((e) => setStatus(`Cannot reach the server: ${e.message}`, "error"));
})();
