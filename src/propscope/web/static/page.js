/* The page at /: takes text, a file or a URL, calls POST /api/v1/analyze and hands the answer
 * to the shared renderer (render.js). With ?doc=ID it shows the stored analysis of a corpus
 * document (GET /api/v1/corpus/documents/ID, the same JSON) instead. All text is inserted as
 * text, never as HTML. */
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const results = $("results");
  const status = $("status");
  let techniques = [];
  let maxBody = 2000000;
  // The last answer (every span down to the sensitive point, claims from its
  // claims_threshold), its text and title, and the request body that gave it (none for a
  // stored analysis).
  let last = null;
  let modelClaims = null; // the model's claims threshold, once an answer has said it
  let authorOnly = false; // "Author's voice only", kept across re-renders

  // The claims threshold chosen on the page: a number, or null for the model's own.
  function claimsWanted() {
    const v = $("claims-threshold").value;
    return v === "" ? null : Number(v);
  }

  // Whether the last answer holds every claim at the threshold chosen: it does when that
  // threshold is at least the one the answer was made with (a subset of its claims).
  function claimsHeld() {
    const wanted = claimsWanted() ?? modelClaims;
    const have = last ? last.analysis.claims_threshold : undefined;
    return typeof wanted === "number" && typeof have === "number" && wanted >= have;
  }

  // The spans of the chosen sensitivity: those whose score reaches the model's threshold for
  // it. The server sent every span down to the most sensitive point, so changing the choice
  // re-filters without analysing again. Claims likewise where the chosen claims threshold is
  // at least the answer's; a lower one is asked for again (see the claims control below).
  function show() {
    if (!last) return;
    const { analysis, text, title } = last;
    const points = analysis.operating_points || {};
    const from = points[$("sensitivity").value];
    const spans =
      typeof from === "number" ? analysis.spans.filter((s) => s.score >= from) : analysis.spans;
    const view = { ...analysis, spans };
    const wanted = claimsWanted() ?? modelClaims;
    const have = analysis.claims_threshold;
    if (typeof wanted === "number" && (claimsHeld() || !last.body)) {
      // a stored analysis cannot be asked again: it shows what it holds from `wanted` up
      view.claims = analysis.claims.filter((c) => c.score >= wanted);
      if (typeof have === "number") view.claims_threshold = Math.max(wanted, have);
    }
    if (spans.length !== analysis.spans.length || view.claims.length !== analysis.claims.length) {
      // the profile the server sent counts every span and claim of the answer
      view.profile = window.propscope.refigure(analysis.profile, view, text);
    }
    results.hidden = false;
    window.propscope.render(results, view, {
      text,
      techniques,
      idPrefix: "ps",
      title,
      sensitivity: $("sensitivity").value,
      authorOnly,
      onAuthorOnly: (on) => {
        authorOnly = on;
      },
      explain: (span) =>
        api("/api/v1/explain", {
          text,
          start: span.start,
          end: span.end,
          technique: span.technique,
        }),
    });
    const n = spans.length;
    const k = view.claims.length;
    const claimsFrom = view.claims_threshold;
    const cut = typeof claimsFrom === "number" ? ` (score ${claimsFrom}+)` : "";
    setStatus(
      `Done: ${n} span${n === 1 ? "" : "s"}, ${k} check-worthy claim${k === 1 ? "" : "s"}${cut}.`,
      "ok",
    );
  }

  // The model's own claims threshold, learnt from an answer to a request without one.
  function learnModelClaims(threshold) {
    if (typeof threshold !== "number") return;
    modelClaims = threshold;
    const option = $("claims-threshold").querySelector('option[value=""]');
    if (option) option.textContent = `the model's default (score ${threshold} and up)`;
  }

  function setStatus(message, kind) {
    status.textContent = message;
    status.className = kind ? `ps-status ps-status-${kind}` : "ps-status";
  }

  function setBusy(busy) {
    for (const b of document.querySelectorAll("form button, #file, #claims-threshold")) {
      b.disabled = busy;
    }
    document.body.setAttribute("aria-busy", String(busy));
  }

  async function getJson(path) {
    const r = await fetch(path, { headers: { Accept: "application/json" } });
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return r.json();
  }

  // A POST of `body` as JSON, or a GET where there is none; with the token where one is given.
  async function api(path, body) {
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    const token = $("token").value.trim();
    if (token) headers.Authorization = `Bearer ${token}`;
    const r = await fetch(
      path,
      body === undefined ? { headers } : { method: "POST", headers, body: JSON.stringify(body) },
    );
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

  async function analyze(body, text, title) {
    setBusy(true);
    setStatus("Analysing…", "busy");
    try {
      const request = { ...body, sensitivity: "sensitive" };
      const wanted = claimsWanted();
      if (wanted !== null) request.claims_threshold = wanted;
      const analysis = await api("/api/v1/analyze", request);
      if (wanted === null) learnModelClaims(analysis.claims_threshold);
      last = {
        analysis,
        text: typeof analysis.text === "string" ? analysis.text : text,
        title: title || analysis.source || "",
        body,
      };
      show();
    } catch (e) {
      setStatus(e instanceof Error ? e.message : String(e), "error");
    } finally {
      setBusy(false);
    }
  }

  // ?doc=ID: the stored analysis of a corpus document (spans down to the sensitive point, with
  // its operating points, like an answer above), under a link back to the dashboard.
  const params = new URLSearchParams(window.location.search);
  const docId = params.get("doc");
  if (["precise", "balanced", "sensitive"].includes(params.get("sensitivity"))) {
    $("sensitivity").value = params.get("sensitivity");
  }
  async function showStored() {
    setBusy(true);
    setStatus("Loading the stored analysis…", "busy");
    try {
      const analysis = await api(`/api/v1/corpus/documents/${encodeURIComponent(docId)}`);
      const doc = analysis.document || {};
      const meta = doc.meta || {};
      const name = typeof meta.title === "string" && meta.title ? meta.title : docId;
      const parts = [name, doc.source, doc.date].filter((p) => typeof p === "string" && p);
      last = { analysis, text: String(analysis.text || ""), title: parts.join(" · ") };
      show();
      back.scrollIntoView({ block: "start" });
    } catch (e) {
      setStatus(e instanceof Error ? e.message : String(e), "error");
    } finally {
      setBusy(false);
    }
  }
  const back = document.createElement("a");
  if (docId !== null) {
    back.href = "/corpus";
    back.textContent = "← Corpus dashboard";
    results.before(back);
    try {
      // The dashboard keeps its address (filters, page) and the token for this tab.
      const list = window.sessionStorage.getItem("propscope.corpus") || "";
      if (/^\/corpus(\?|$)/.test(list)) back.href = list;
      $("token").value = window.sessionStorage.getItem("propscope.token") || "";
    } catch (_) {
      /* storage may be off */
    }
    $("token").addEventListener("change", () => {
      if (!last) showStored();
    });
  }

  $("sensitivity").addEventListener("change", show);
  // A claims threshold at or above the answer's re-filters its claims; a lower one (or the
  // model's default, while it is not known) analyses the same input again with it. An answer
  // without claims_threshold comes from a model that scores no claims: nothing to ask for.
  $("claims-threshold").addEventListener("change", () => {
    if (!last) return;
    const scored = typeof last.analysis.claims_threshold === "number";
    if (last.body && scored && !claimsHeld()) analyze(last.body, last.text, last.title);
    else show();
  });

  // "Try an example": a short built-in text, analysed at once.
  const EXAMPLE = [
    "Once again, the so-called experts at City Hall have betrayed every honest family in " +
      "this town. Either we stop this reckless plan now, or we lose our neighbourhood forever.",
    "The council voted 5 to 2 on Tuesday to close the Riverside library, which has served " +
      "readers since 1962.",
    '"This is a disgraceful attack on our children\'s future," said Maria Lopez, who ' +
      "chairs the parents' association. \"Real patriots don't abandon their own town.\"",
    "Everyone knows the truth. Enough is enough: stand up and save our library!",
  ].join("\n\n");
  $("try-example").addEventListener("click", () => {
    $("text").value = EXAMPLE;
    analyze({ text: EXAMPLE }, EXAMPLE, "Example: the Riverside library");
  });

  // The glossary: every technique with its colour, definition and example.
  function fillGlossary() {
    const list = $("glossary-list");
    list.replaceChildren();
    for (const t of techniques) {
      const swatch = document.createElement("span");
      swatch.className = "ps-swatch";
      swatch.setAttribute("aria-hidden", "true");
      if (/^#[0-9a-fA-F]{6}$/.test(t.colour)) swatch.style.backgroundColor = t.colour;
      const item = document.createElement("div");
      item.className = "ps-gloss-item";
      item.setAttribute("data-technique", t.label);
      if (/^#[0-9a-fA-F]{6}$/.test(t.colour)) item.style.borderLeftColor = t.colour;
      const dt = document.createElement("dt");
      dt.append(swatch, document.createTextNode(t.name));
      const def = document.createElement("dd");
      def.textContent = t.definition;
      item.append(dt, def);
      if (t.example) {
        const ex = document.createElement("dd");
        ex.className = "ps-gloss-ex";
        ex.textContent = `Example: “${t.example}”`;
        item.appendChild(ex);
      }
      list.appendChild(item);
    }
  }
  // A link to the glossary opens it.
  for (const link of document.querySelectorAll('a[href="#glossary"]')) {
    link.addEventListener("click", () => {
      $("glossary").open = true;
    });
  }

  $("text-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("text").value;
    analyze({ text }, text, "");
  });
  $("text").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      $("text-form").requestSubmit();
    }
  });

  $("file").addEventListener("change", async () => {
    const file = $("file").files[0];
    if (!file) return;
    if (file.size > maxBody) {
      setStatus(`${file.name} is larger than this server's limit of ${maxBody} bytes.`, "error");
      return;
    }
    const content = await file.text();
    const isHtml = /\.x?html?$/i.test(file.name) || file.type === "text/html";
    await analyze(isHtml ? { html: content } : { text: content }, content, file.name);
    $("file").value = "";
  });
  $("file-form").addEventListener("submit", (e) => e.preventDefault());

  $("url-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const url = $("url").value.trim();
    if (url) analyze({ url }, "", url);
  });

  Promise.all([getJson("/api/v1/techniques"), getJson("/api/v1/health")])
    .then(([t, health]) => {
      techniques = t.techniques;
      fillGlossary();
      maxBody = health.limits.max_body_bytes;
      $("token-box").hidden = !health.auth_required;
      $("model-name").textContent = `${health.model.name} ${health.model.version}`;
      document.body.setAttribute("data-ready", "true");
      if (docId !== null) showStored();
    })
    .catch((e) => setStatus(`Cannot reach the server: ${e.message}`, "error"));
})();
