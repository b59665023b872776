/* The case map: country outlines from the vendored world-atlas TopoJSON (converted here with
   the vendored topojson-client), and the case's incidents, items and claims on top. No tiles,
   nothing fetched from anywhere but this server. */
(function () {
  "use strict";
  var holder = document.getElementById("map");
  if (!holder || !window.L || !window.topojson) { return; }
  var map = L.map(holder, { worldCopyJump: true, keyboard: true }).setView([35.4466, 36.6509], 7);
  var colours = { incident: "#a40e26", item: "#0a4f9e", claim: "#6b3fa0" };

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function popup(feature) {
    var p = feature.properties || {};
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = p.name || feature.id;
    box.appendChild(title);
    box.appendChild(document.createElement("br"));
    box.appendChild(text(p.role + (p.where ? " · " + p.where : "") + (p.date ? " · " + p.date : "")));
    if (p.item_id) {
      box.appendChild(document.createElement("br"));
      var a = document.createElement("a");
      a.href = "/items/" + p.item_id;
      a.textContent = "Open item " + p.item_id;
      box.appendChild(a);
    }
    return box;
  }

  fetchJson(holder.getAttribute("data-basemap")).then(function (world) {
    var outlines = topojson.feature(world, world.objects.countries);
    L.geoJSON(outlines, {
      style: { color: "#57606a", weight: 1, fillColor: "#eef1f4", fillOpacity: 1 },
      interactive: false
    }).addTo(map);
  }).catch(function () { holder.setAttribute("data-basemap-failed", "true"); });

  fetchJson(holder.getAttribute("data-features")).then(function (data) {
    var layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var role = (feature.properties || {}).role;
        return L.circleMarker(latlng, {
          radius: role === "incident" ? 10 : 7,
          color: "#1b1f24", weight: 1,
          fillColor: colours[role] || "#1b1f24", fillOpacity: 0.85
        });
      },
      style: function (feature) {
        var role = (feature.properties || {}).role;
        return { color: colours[role] || "#1b1f24", weight: 2, fillOpacity: 0.15 };
      },
      onEachFeature: function (feature, layer) { layer.bindPopup(popup(feature)); }
    }).addTo(map);
    if (data.features.length) { map.fitBounds(layer.getBounds().pad(0.5), { maxZoom: 6, animate: false }); }
    holder.setAttribute("data-ready", String(data.features.length));
  });
}());
