/* An offline reader of /openapi.json: every operation with its description, parameters,
   request fields, examples and every answer it can give (errors included), then every schema
   with its fields, types, enums and descriptions. Text only (textContent): nothing from the
   document is read as HTML. */
"use strict";

(() => {
  const el = (tag, cls, text) => {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  };
  const refName = (ref) => ref.split("/").pop();

  function paragraphs(text) {
    const box = el("div", "ps-docs-text");
    for (const p of String(text || "").split(/\n\s*\n/)) {
      if (p.trim()) box.appendChild(el("p", "", p.replace(/\s*\n\s*/g, " ")));
    }
    return box;
  }

  // A short type for a schema: "string", "integer", "array of SpanOut", "ErrorBody", ...
  function typeNode(schema) {
    const span = el("span", "ps-docs-type");
    if (!schema) return span;
    if (schema.$ref) {
      const a = el("a", "", refName(schema.$ref));
      a.href = `#schema-${refName(schema.$ref)}`;
      span.appendChild(a);
      return span;
    }
    const alts = schema.anyOf || schema.oneOf;
    if (alts) {
      alts.forEach((alt, i) => {
        if (i) span.appendChild(document.createTextNode(" | "));
        span.appendChild(typeNode(alt));
      });
      return span;
    }
    if (schema.type === "array") {
      span.appendChild(document.createTextNode("array of "));
      span.appendChild(typeNode(schema.items || {}));
      return span;
    }
    if (schema.type === "object" && schema.additionalProperties) {
      span.appendChild(document.createTextNode("object of "));
      span.appendChild(typeNode(schema.additionalProperties));
      return span;
    }
    span.appendChild(document.createTextNode(schema.type || (schema.const !== undefined ? "const" : "any")));
    return span;
  }

  function enumOf(schema) {
    if (!schema) return null;
    if (schema.enum) return schema.enum;
    if (schema.items && schema.items.enum) return schema.items.enum;
    if (schema.propertyNames && schema.propertyNames.enum) return schema.propertyNames.enum;
    for (const alt of schema.anyOf || []) if (alt.enum) return alt.enum;
    return null;
  }

  function constraints(schema) {
    const out = [];
    for (const [k, label] of [["minimum", "≥"], ["maximum", "≤"], ["maxLength", "max length"], ["maxItems", "max items"], ["pattern", "pattern"]]) {
      if (schema && schema[k] !== undefined) out.push(`${label} ${schema[k]}`);
    }
    if (schema && schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
    return out.join(", ");
  }

  // A table of fields (name, type, required, description with enum and constraints).
  function fieldTable(rows) {
    const table = el("table", "ps-docs-fields");
    const head = el("tr");
    for (const h of ["Field", "Type", "Required", "Description"]) head.appendChild(el("th", "", h));
    table.appendChild(head);
    for (const row of rows) {
      const tr = el("tr");
      tr.appendChild(el("td", "ps-docs-name", row.name));
      const type = el("td");
      type.appendChild(typeNode(row.schema));
      tr.appendChild(type);
      tr.appendChild(el("td", "", row.required ? "yes" : "no"));
      const desc = el("td");
      desc.appendChild(el("span", "", row.description || (row.schema && row.schema.description) || ""));
      const values = enumOf(row.schema);
      if (values) {
        const list = el("div", "ps-docs-enum", "One of: ");
        values.forEach((v, i) => list.appendChild(el("code", "", (i ? " " : "") + JSON.stringify(v))));
        desc.appendChild(list);
      }
      const extra = constraints(row.schema);
      if (extra) desc.appendChild(el("div", "ps-docs-constraints", extra));
      tr.appendChild(desc);
      table.appendChild(tr);
    }
    return table;
  }

  function schemaFields(schema) {
    const required = new Set(schema.required || []);
    return Object.entries(schema.properties || {}).map(([name, spec]) => ({
      name, schema: spec, required: required.has(name),
    }));
  }

  // The fields of a body schema: an object's own, or each alternative's (a union).
  function bodyBlock(doc, title, schema) {
    const box = el("div", "ps-docs-body");
    box.appendChild(el("h4", "", title));
    const alts = schema.oneOf || schema.anyOf;
    const parts = alts ? alts : [schema];
    for (const part of parts) {
      const resolved = part.$ref ? doc.components.schemas[refName(part.$ref)] : part;
      if (parts.length > 1 || part.$ref) {
        const p = el("p", "", "Schema ");
        p.appendChild(typeNode(part));
        if (resolved && resolved.description) p.appendChild(document.createTextNode(`: ${resolved.description}`));
        box.appendChild(p);
      }
      if (resolved && resolved.properties) box.appendChild(fieldTable(schemaFields(resolved)));
    }
    return box;
  }

  function exampleBlocks(media) {
    const out = [];
    if (!media) return out;
    if (media.example !== undefined) out.push(["Example", media.example]);
    for (const [name, ex] of Object.entries(media.examples || {})) {
      out.push([`Example: ${ex.summary || name}`, ex.value]);
    }
    return out.map(([title, value]) => {
      const d = el("details", "ps-docs-example");
      d.appendChild(el("summary", "", title));
      d.appendChild(el("pre", "", JSON.stringify(value, null, 2)));
      return d;
    });
  }

  function operation(doc, path, method, op) {
    const box = el("section", "ps-op");
    box.id = `op-${method}-${path}`.replace(/[^A-Za-z0-9_-]/g, "-");
    const h = el("h2");
    h.appendChild(el("span", "ps-method", method.toUpperCase()));
    h.appendChild(document.createTextNode(` ${path}`));
    box.appendChild(h);
    if (op.summary) box.appendChild(el("p", "ps-docs-summary", op.summary));
    if (op.description) box.appendChild(paragraphs(op.description));
    if (op.security) box.appendChild(el("p", "ps-docs-auth", "Needs Authorization: Bearer <token>."));
    if (op.parameters && op.parameters.length) {
      box.appendChild(el("h4", "", "Parameters"));
      box.appendChild(fieldTable(op.parameters.map((p) => ({
        name: `${p.name} (${p.in})`, schema: p.schema, required: p.required, description: p.description,
      }))));
    }
    const body = op.requestBody && op.requestBody.content["application/json"];
    if (body) {
      box.appendChild(bodyBlock(doc, "Request body", body.schema));
      for (const ex of exampleBlocks(body)) box.appendChild(ex);
    }
    box.appendChild(el("h4", "", "Responses"));
    const list = el("dl", "ps-docs-responses");
    for (const [status, resp] of Object.entries(op.responses || {})) {
      const dt = el("dt", status[0] === "2" ? "ps-docs-ok" : "ps-docs-error", status);
      list.appendChild(dt);
      const dd = el("dd");
      dd.appendChild(el("span", "", resp.description || ""));
      const media = resp.content && resp.content["application/json"];
      if (media && media.schema) {
        const p = el("div", "", "Body: ");
        p.appendChild(typeNode(media.schema));
        dd.appendChild(p);
      }
      for (const [name, header] of Object.entries(resp.headers || {})) {
        dd.appendChild(el("div", "", `Header ${name}: ${header.description || ""}`));
      }
      for (const ex of exampleBlocks(media)) dd.appendChild(ex);
      list.appendChild(dd);
    }
    box.appendChild(list);
    return box;
  }

  function schemaSection(name, schema) {
    const box = el("section", "ps-docs-schema");
    box.id = `schema-${name}`;
    box.appendChild(el("h3", "", name));
    if (schema.description) box.appendChild(paragraphs(schema.description));
    if (schema.properties) box.appendChild(fieldTable(schemaFields(schema)));
    else if (schema.enum) box.appendChild(el("p", "ps-docs-enum", `One of: ${schema.enum.join(", ")}`));
    for (const ex of schema.examples || []) {
      const d = el("details", "ps-docs-example");
      d.appendChild(el("summary", "", "Example"));
      d.appendChild(el("pre", "", JSON.stringify(ex, null, 2)));
      box.appendChild(d);
    }
    return box;
  }

  fetch("/openapi.json")
    .then((r) => r.json())
    .then((doc) => {
      const intro = document.getElementById("docs-intro");
      intro.textContent = "";
      intro.appendChild(paragraphs(doc.info.description));
      const root = document.getElementById("docs");
      const toc = el("ul", "ps-docs-toc");
      const ops = [];
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(item)) {
          const box = operation(doc, path, method, op);
          const li = el("li");
          const a = el("a", "", `${method.toUpperCase()} ${path}`);
          a.href = `#${box.id}`;
          li.appendChild(a);
          li.appendChild(document.createTextNode(op.summary ? ` — ${op.summary}` : ""));
          toc.appendChild(li);
          ops.push(box);
        }
      }
      root.appendChild(toc);
      for (const box of ops) root.appendChild(box);
      root.appendChild(el("h2", "ps-docs-schemas-title", "Schemas"));
      for (const [name, schema] of Object.entries((doc.components || {}).schemas || {})) {
        root.appendChild(schemaSection(name, schema));
      }
      document.body.setAttribute("data-ready", "true");
    })
    .catch((e) => {
      document.getElementById("docs-intro").textContent = `Cannot load /openapi.json: ${e}`;
    });
})();
