/* The interactive network view (cytoscape.js, installed from npm): click a node to focus
   on its neighbourhood (1 or 2 steps), filter by link kind, need, placement and "bestätigt
   seit", hover a node for its degree, broker score and services. The state is mirrored in
   data- attributes of #net-explore (state, focus, visible-nodes, visible-edges). */
(function () {
  "use strict";
  var box = document.getElementById("net-explore");
  if (!box || typeof window.cytoscape !== "function") { return; }
  var form = box.querySelector(".net-controls");
  var status = box.querySelector("[data-net-status]");
  var tip = box.querySelector(".net-tip");
  var lang = document.documentElement.lang === "en" ? "en" : "de";
  var words = {};  /* the view's wording, sent with the data (text.NETWORK) */
  var shapes = {circle: "ellipse", square: "rectangle", triangle: "triangle", diamond: "diamond",
                hexagon: "hexagon", star: "star"};
  var focus = null;
  var cy = null;

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_m, key) { return values[key]; });
  }

  function start(data) {
    words = data.words;
    var elements = data.nodes.map(function (n) {
      return {group: "nodes", data: n, position: {x: n.x, y: n.y}};
    }).concat(data.edges.map(function (e) { return {group: "edges", data: e}; }));
    cy = window.cytoscape({
      container: box.querySelector(".net-canvas"), elements: elements,
      layout: {name: "preset", fit: true, padding: 20, animate: false},
      minZoom: 0.2, maxZoom: 4, autoungrabify: true, boxSelectionEnabled: false,
      style: [
        {selector: "node", style: {
          "background-color": "data(colour)", "shape": function (n) { return shapes[n.data("shape")] || "ellipse"; },
          "width": "data(size)", "height": "data(size)", "border-width": 1, "border-color": "#222",
          "label": "", "font-size": 12, "text-valign": "center", "text-halign": "right",
          "text-margin-x": 4, "text-outline-color": "#fff", "text-outline-width": 2, "color": "#111"}},
        {selector: "node.named", style: {"label": "data(name)"}},
        {selector: "node.focused", style: {"border-width": 4, "border-color": "#000"}},
        {selector: "edge", style: {
          "width": 1.6, "line-color": "data(colour)", "line-style": "data(line)",
          "curve-style": "straight",
          "target-arrow-shape": function (e) { return e.data("directed") ? "triangle" : "none"; },
          "target-arrow-color": "data(colour)", "arrow-scale": 0.8}},
        {selector: "edge[?stale]", style: {"opacity": 0.3}},
        {selector: ".hidden", style: {"display": "none"}}
      ]
    });
    window.wiqnetNetwork = cy;  /* for the browser tests and the console */
    cy.on("tap", "node", function (event) { focus = event.target.id(); apply(); });
    cy.on("mouseover", "node", function (event) { show(event.target); });
    cy.on("mouseout", "node", function () { tip.hidden = true; });
    form.addEventListener("change", apply);
    form.querySelector("[data-action=reset]").addEventListener("click", function () {
      focus = null; form.reset(); apply();
    });
    document.getElementById("net-static").hidden = true;
    box.hidden = false;
    cy.resize();
    cy.fit(undefined, 20);
    apply();
  }

  function values(name) {
    return Array.prototype.filter.call(form.querySelectorAll("input[name=" + name + "]"),
      function (input) { return input.checked; }).map(function (input) { return input.value; });
  }

  function apply() {
    var kinds = values("kind");
    var need = form.elements.need.value;
    var placement = form.elements.placement.value;
    var since = form.elements.since.value;
    var steps = parseInt(form.elements.steps.value, 10) || 1;
    cy.batch(function () {
      cy.elements().removeClass("hidden named focused");
      var edges = cy.edges().filter(function (e) {
        return kinds.indexOf(e.data("kind")) >= 0 && (!since || e.data("confirmed") >= since);
      });
      cy.edges().not(edges).addClass("hidden");
      var nodes = cy.nodes();
      if (need || placement) {  // the matching institutions and their partners
        var hits = nodes.filter(function (n) {
          return (!need || n.data("need") === need) && (!placement || n.data("placement") === placement);
        });
        nodes = hits.union(hits.connectedEdges().intersection(edges).connectedNodes());
      }
      if (focus) {
        var around = cy.getElementById(focus);
        for (var i = 0; i < steps; i++) {
          around = around.union(around.connectedEdges().intersection(edges).connectedNodes());
        }
        nodes = nodes.intersection(around).union(cy.getElementById(focus));
        cy.getElementById(focus).addClass("focused");
      }
      cy.nodes().not(nodes).addClass("hidden");
      edges.filter(function (e) {
        return e.source().hasClass("hidden") || e.target().hasClass("hidden");
      }).addClass("hidden");
      var visible = cy.nodes().not(".hidden");
      var ranked = visible.sort(function (a, b) { return b.data("degree") - a.data("degree"); });
      ranked.slice(0, focus ? 40 : 10).addClass("named");
    });
    var shown = cy.elements().not(".hidden");
    if (shown.length) {  /* zoom to what is shown, no animation */
      cy.fit(shown, 40);
      if (cy.zoom() > 2) { cy.zoom(2); cy.center(shown); }
    }
    tip.hidden = true;
    var shownNodes = cy.nodes().not(".hidden").length;
    var shownEdges = cy.edges().not(".hidden").length;
    box.dataset.focus = focus || "";
    box.dataset.visibleNodes = String(shownNodes);
    box.dataset.visibleEdges = String(shownEdges);
    status.textContent = (focus ? fill(words.view_focus, {name: cy.getElementById(focus).data("name"),
      s: form.elements.steps.value}) + " · " : "") + fill(words.view_shown, {n: shownNodes, e: shownEdges});
    box.dataset.state = "ready";
  }

  function show(node) {
    var d = node.data();
    tip.textContent = "";
    var title = document.createElement("strong");
    title.textContent = d.name;
    tip.appendChild(title);
    [words.partners + ": " + d.degree,
     words.broker + ": " + Number(d.broker).toLocaleString(lang === "en" ? "en-GB" : "de-DE", {maximumFractionDigits: 3}),
     d.services.length ? words.services + ": " + d.services.join(", ") : ""].forEach(function (line) {
      if (line) { var p = document.createElement("p"); p.textContent = line; tip.appendChild(p); }
    });
    var place = node.renderedPosition();
    tip.style.left = Math.round(place.x + 12) + "px";
    tip.style.top = Math.round(place.y + 12) + "px";
    tip.hidden = false;
    box.dataset.tip = d.id;
  }

  fetch(box.dataset.src, {headers: {"Accept": "application/json"}})
    .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
    .then(start)
    .catch(function () { box.hidden = true; box.dataset.state = "failed"; });
}());
