/* A small, offline reader of /openapi.json: every operation, its body and its answers. */
"use strict";

(() => {
  const el = (tag, cls, text) => {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  };

  function resolve(doc, schema, depth) {
    if (!schema || depth > 6) return schema;
    if (schema.$ref) {
      const name = schema.$ref.split("/").pop();
      return resolve(doc, doc.components.schemas[name], depth + 1);
    }
    const out = Array.isArray(schema) ? [] : {};
    for (const [k, v] of Object.entries(schema)) {
      out[k] = v && typeof v === "object" ? resolve(doc, v, depth + 1) : v;
    }
    return out;
  }

  function schemaBlock(doc, title, schema) {
    const box = el("div");
    box.appendChild(el("h4", "", title));
    box.appendChild(el("pre", "", JSON.stringify(resolve(doc, schema, 0), null, 2)));
    return box;
  }

  fetch("/openapi.json")
    .then((r) => r.json())
    .then((doc) => {
      document.getElementById("docs-intro").textContent = doc.info.description;
      const root = document.getElementById("docs");
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(item)) {
          const box = el("section", "ps-op");
          const h = el("h2");
          h.appendChild(el("span", "ps-method", method.toUpperCase()));
          h.appendChild(document.createTextNode(` ${path}`));
          box.appendChild(h);
          if (op.summary) box.appendChild(el("p", "", op.summary));
          if (op.description) box.appendChild(el("p", "", op.description));
          if (op.security) box.appendChild(el("p", "", "Needs Authorization: Bearer <token>."));
          const body = op.requestBody && op.requestBody.content["application/json"];
          if (body) box.appendChild(schemaBlock(doc, "Request body", body.schema));
          for (const [status, resp] of Object.entries(op.responses || {})) {
            const content = resp.content && resp.content["application/json"];
            const title = `${status}: ${resp.description || ""}`;
            if (content && content.schema) box.appendChild(schemaBlock(doc, title, content.schema));
            else box.appendChild(el("h4", "", title));
          }
          root.appendChild(box);
        }
      }
      document.body.setAttribute("data-ready", "true");
    })
    .catch((e) => {
      document.getElementById("docs-intro").textContent = `Cannot load /openapi.json: ${e}`;
    });
})();
