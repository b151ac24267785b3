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
  let last = null; // the last answer (every span down to the sensitive point) and its text

  // The spans of the chosen sensitivity: those whose score reaches the model's threshold for
  // it. The server sent every span down to the most sensitive point, so changing the choice
  // re-filters without analysing again.
  function show() {
    if (!last) return;
    const { analysis, text, title } = last;
    const points = analysis.operating_points || {};
    const from = points[$("sensitivity").value];
    const spans =
      typeof from === "number" ? analysis.spans.filter((s) => s.score >= from) : analysis.spans;
    results.hidden = false;
    window.propscope.render(results, { ...analysis, spans }, {
      text,
      techniques,
      idPrefix: "ps",
      title,
    });
    const n = spans.length;
    setStatus(
      `Done: ${n} span${n === 1 ? "" : "s"}, ${analysis.claims.length} check-worthy claim` +
        `${analysis.claims.length === 1 ? "" : "s"}.`,
      "ok",
    );
  }

  function setStatus(message, kind) {
    status.textContent = message;
    status.className = kind ? `ps-status ps-status-${kind}` : "ps-status";
  }

  function setBusy(busy) {
    for (const b of document.querySelectorAll("form button, #file")) b.disabled = busy;
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
      const analysis = await api("/api/v1/analyze", { ...body, sensitivity: "sensitive" });
      last = {
        analysis,
        text: typeof analysis.text === "string" ? analysis.text : text,
        title: title || analysis.source || "",
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
      maxBody = health.limits.max_body_bytes;
      $("token-box").hidden = !health.auth_required;
      $("model-name").textContent = `${health.model.name} ${health.model.version}`;
      document.body.setAttribute("data-ready", "true");
      if (docId !== null) showStored();
    })
    .catch((e) => setStatus(`Cannot reach the server: ${e.message}`, "error"));
})();
