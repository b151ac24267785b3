/* The standalone report: reads the analyses embedded as JSON in this file and renders each
 * with the same renderer as the page (render.js, inlined before this script). */
"use strict";

(() => {
  const data = JSON.parse(document.getElementById("propscope-data").textContent);
  const main = document.getElementById("articles");
  data.articles.forEach((item, i) => {
    const article = document.createElement("article");
    article.className = "ps-article";
    main.appendChild(article);
    window.propscope.render(article, item.analysis, {
      text: item.analysis.text,
      techniques: data.techniques,
      idPrefix: `ps${i}`,
      title: item.source,
    });
  });
  document.body.setAttribute("data-ready", "true");
})();
