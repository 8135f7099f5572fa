// Actor network: a small force-directed layout (Fruchterman–Reingold) drawn as SVG.
// Data comes from <script type="application/json" id="network-data">; links were built by the server.
(function () {
  "use strict";
  var svg = document.getElementById("network");
  var source = document.getElementById("network-data");
  if (!svg || !source) { return; }
  var data = JSON.parse(source.textContent);
  var NS = "http://www.w3.org/2000/svg";
  var W = 960, H = 600, nodes = data.nodes, edges = data.edges, n = nodes.length;
  if (!n) { return; }

  // Deterministic start on a circle, so the same data always gives the same picture.
  nodes.forEach(function (node, i) {
    var angle = 2 * Math.PI * i / n;
    node.x = W / 2 + (W / 3) * Math.cos(angle);
    node.y = H / 2 + (H / 3) * Math.sin(angle);
  });
  var k = Math.sqrt((W * H) / n) * 0.45, temperature = W / 10;
  for (var step = 0; step < 400; step++) {
    var dx = new Float64Array(n), dy = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      for (var j = i + 1; j < n; j++) {
        var x = nodes[i].x - nodes[j].x, y = nodes[i].y - nodes[j].y;
        var d = Math.max(Math.sqrt(x * x + y * y), 0.01), f = (k * k) / d;
        dx[i] += (x / d) * f; dy[i] += (y / d) * f; dx[j] -= (x / d) * f; dy[j] -= (y / d) * f;
      }
    }
    edges.forEach(function (e) {
      if (e.source === e.target) { return; }
      var a = nodes[e.source], b = nodes[e.target];
      var x = a.x - b.x, y = a.y - b.y, d = Math.max(Math.sqrt(x * x + y * y), 0.01), f = (d * d) / k;
      dx[e.source] -= (x / d) * f; dy[e.source] -= (y / d) * f; dx[e.target] += (x / d) * f; dy[e.target] += (y / d) * f;
    });
    for (var m = 0; m < n; m++) {
      // gravity towards the centre keeps unconnected pairs from drifting away
      var gx = W / 2 - nodes[m].x, gy = H / 2 - nodes[m].y, g = Math.sqrt(gx * gx + gy * gy) / k;
      dx[m] += gx * g; dy[m] += gy * g;
      var len = Math.max(Math.sqrt(dx[m] * dx[m] + dy[m] * dy[m]), 0.01), move = Math.min(len, temperature);
      nodes[m].x += (dx[m] / len) * move; nodes[m].y += (dy[m] / len) * move;
    }
    temperature = Math.max(temperature * 0.985, 0.5);
  }
  // Fit the result to the drawing, with room for labels.
  var xs = nodes.map(function (v) { return v.x; }), ys = nodes.map(function (v) { return v.y; });
  var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
  var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
  var sx = (W - 120) / Math.max(maxX - minX, 1), sy = (H - 100) / Math.max(maxY - minY, 1), s = Math.min(sx, sy);
  nodes.forEach(function (v) {
    v.x = W / 2 + (v.x - (minX + maxX) / 2) * s;
    v.y = H / 2 + 10 + (v.y - (minY + maxY) / 2) * s;
  });

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    parent.appendChild(node);
    return node;
  }
  function colour(goldstein) {  // red (conflict) through grey to green (cooperation)
    if (goldstein === null) { return "hsl(210, 8%, 60%)"; }
    var t = Math.max(-1, Math.min(1, goldstein / 8));
    return t < 0 ? "hsl(5, " + Math.round(20 + 55 * -t) + "%, 48%)" : "hsl(140, " + Math.round(20 + 45 * t) + "%, 38%)";
  }
  var maxCount = Math.max.apply(null, edges.map(function (e) { return e.count; }));
  var maxNode = Math.max.apply(null, nodes.map(function (v) { return v.count; }));
  var defs = el("defs", {}, svg);
  var marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "9",
                              markerHeight: "9", markerUnits: "userSpaceOnUse", orient: "auto" }, defs);
  el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#8895a3" }, marker);

  edges.forEach(function (e) {
    if (e.source === e.target) { return; }
    var a = nodes[e.source], b = nodes[e.target];
    var r = 5 + 14 * Math.sqrt(b.count / maxNode);
    var x = b.x - a.x, y = b.y - a.y, d = Math.max(Math.sqrt(x * x + y * y), 0.01);
    var nx = (-y / d) * 3, ny = (x / d) * 3;  // side-step so that A→B and B→A stay apart
    var link = el("a", { href: e.href, "class": "edge-link", "data-pair": nodes[e.source].id + ">" + nodes[e.target].id }, svg);
    el("title", {}, link).textContent = e.title;
    el("line", { "class": "edge", x1: a.x + nx, y1: a.y + ny, x2: b.x - (x / d) * (r + 2) + nx, y2: b.y - (y / d) * (r + 2) + ny,
                 stroke: colour(e.goldstein), "stroke-width": 1 + 7 * Math.sqrt(e.count / maxCount),
                 "marker-end": "url(#arrow)" }, link);
  });
  nodes.forEach(function (v) {
    var r = 5 + 14 * Math.sqrt(v.count / maxNode);
    var link = el("a", { href: v.href, "class": "node-link", "data-code": v.id }, svg);
    el("title", {}, link).textContent = v.id + " : " + v.count;
    el("circle", { "class": "node", cx: v.x, cy: v.y, r: r }, link);
    el("text", { "class": "label", x: v.x, y: v.y - r - 4, "text-anchor": "middle" }, link).textContent = v.id;
  });
})();
