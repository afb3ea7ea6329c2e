// The query page: runs the editor's query against /sparql and shows the rows as a table.
// Written for this project, no libraries; every value is inserted as text, never as HTML.
(function () {
  "use strict";
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const picker = document.getElementById("examples");
  const status = document.getElementById("status");
  const errorBox = document.getElementById("error");
  const results = document.getElementById("results");
  const downloads = document.getElementById("downloads");
  const graphDownloads = document.getElementById("graph-downloads");
  const base = form.dataset.base || "";
  const examples = JSON.parse(document.getElementById("example-data").textContent);

  function hrefFor(iri) {
    if (base && iri.startsWith(base)) {
      return "/" + iri.slice(base.length);
    }
    return iri;
  }

  function setLinks(box, query) {
    for (const link of box.querySelectorAll("a[data-format]")) {
      link.href = "/sparql?query=" + encodeURIComponent(query) + "&format=" + link.dataset.format;
    }
    box.hidden = false;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) {
      return td;
    }
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = hrefFor(term.value);
      a.textContent = term.value;
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else if (term.type === "triple") {
      td.textContent = "<< " + JSON.stringify(term.value) + " >>";
    } else {
      td.textContent = term.value;
      const note = term["xml:lang"] || (term.datatype ? term.datatype.replace(/^.*[#/]/, "xsd:") : "");
      if (note) {
        const small = document.createElement("small");
        small.className = "note";
        small.textContent = " " + note;
        td.appendChild(small);
      }
    }
    return td;
  }

  function showTable(data) {
    const table = document.createElement("table");
    table.className = "results";
    table.id = "results-table";
    if (typeof data.boolean === "boolean") {
      const row = table.insertRow();
      row.appendChild(cell({ type: "literal", value: String(data.boolean) }));
      results.replaceChildren(table);
      return 1;
    }
    const head = table.createTHead().insertRow();
    for (const name of data.head.vars) {
      const th = document.createElement("th");
      th.textContent = name;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const binding of data.results.bindings) {
      const row = body.insertRow();
      for (const name of data.head.vars) {
        row.appendChild(cell(binding[name]));
      }
    }
    results.replaceChildren(table);
    return data.results.bindings.length;
  }

  async function run(query) {
    errorBox.hidden = true;
    downloads.hidden = true;
    graphDownloads.hidden = true;
    status.textContent = "Running…";
    const started = performance.now();
    let response;
    try {
      response = await fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/sparql-query",
          "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: query,
      });
    } catch (e) {
      status.textContent = "";
      errorBox.textContent = "The server did not answer: " + e;
      errorBox.hidden = false;
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      status.textContent = "Error " + response.status;
      errorBox.textContent = await response.text();
      errorBox.hidden = false;
      results.replaceChildren();
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    const truncated = response.headers.get("X-KG-Truncated") ? " (truncated)" : "";
    if (type.includes("json")) {
      const count = showTable(await response.json());
      status.textContent = count + " row(s) in " + seconds + " s" + truncated;
      setLinks(downloads, query);
    } else {
      const pre = document.createElement("pre");
      pre.id = "results-graph";
      pre.textContent = await response.text();
      results.replaceChildren(pre);
      status.textContent = "Graph in " + seconds + " s" + truncated;
      setLinks(graphDownloads, query);
    }
  }

  picker.addEventListener("change", function () {
    const chosen = examples.find((q) => q.name === picker.value);
    if (chosen) {
      editor.value = chosen.sparql;
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(editor.value);
  });
  if (form.dataset.autorun === "true") {
    run(editor.value);
  }
})();
