/* The standalone report: reads the analyses embedded as JSON in this file and renders each
 * with the same renderer as the page (render.js, inlined before this script). A report of
 * several files has an index (drawn by report/html.py) whose links jump to each article's id,
 * ps-article-1, ps-article-2, ... */
"use strict";

(() => {
  const data = JSON.parse(document.getElementById("propscope-data").textContent);
  const main = document.getElementById("articles");
  data.articles.forEach((item, i) => {
    const article = document.createElement("article");
    article.className = "ps-article";
    article.id = `ps-article-${i + 1}`;
    main.appendChild(article);
    window.propscope.render(article, item.analysis, {
      text: item.analysis.text,
      techniques: data.techniques,
      idPrefix: `ps${i}`,
      title: item.source,
    });
  });
  // A fragment in the address (#ps-article-2) points at an article drawn just now: go there.
  const target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
  if (target) target.scrollIntoView();
  document.body.setAttribute("data-ready", "true");
})();
