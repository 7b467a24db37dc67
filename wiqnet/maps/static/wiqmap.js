/* wiqnet map helpers: data-driven places, need filters, quarters, links, pins, legend.
   All text in the data is HTML-escaped by wiqnet before it gets here. */
(function (L) {
  "use strict";
  var W = window.wiqnet = window.wiqnet || {};
  var ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#x27;": "'"};

  function plain(html) {
    return html.replace(/&(amp|lt|gt|quot|#x27);/g, function (m) { return ENTITIES[m]; });
  }

  /* Popup info: [address, service items, status index, languages index, phone, email, web]. */
  function popupHtml(t, name, info, href) {
    var h = "<div class=\"wiq-pop\"><h3>" + name + "</h3>";
    var status = t.statuses[info[2] || 0];
    if (status[0]) {
      h += "<p class=\"" + (status[1] ? "wiq-open" : "wiq-closed") + "\">" + status[0] + "</p>";
    }
    if (status[2]) { h += "<p class=\"wiq-hours\">" + status[2] + "</p>"; }
    if (info[0]) { h += "<p>" + info[0] + "</p>"; }
    if (info[1] && info[1].length) { h += "<ul><li>" + info[1].join("</li><li>") + "</li></ul>"; }
    if (info[3]) { h += "<p>" + t.languagesLabel + ": " + t.languages[info[3]] + "</p>"; }
    var contact = [];
    if (info[4]) {
      contact.push("<a href=\"tel:" + info[4].replace(/[^0-9+]/g, "") + "\">" + info[4] + "</a>");
    }
    if (info[5]) { contact.push("<a href=\"mailto:" + info[5] + "\">" + info[5] + "</a>"); }
    if (info[6]) {
      contact.push("<a href=\"" + info[6] + "\" rel=\"noopener noreferrer\">" +
        info[6].replace(/^https?:\/\/(www\.)?/i, "").replace(/\/$/, "") + "</a>");
    }
    if (contact.length) { h += "<p>" + contact.join("<br>") + "</p>"; }
    if (href) { h += "<p><a class=\"wiq-more\" href=\"" + href + "\">" + t.more + "</a></p>"; }
    return h + "</div>";
  }

  var PlaceMarker = L.Marker.extend({
    onAdd: function (map) {
      L.Marker.prototype.onAdd.call(this, map);
      this._icon.setAttribute("aria-label", plain(this.wiq[5]));
      return this;
    }
  });

  /* Place tuple: [lat, lon, colour, need mask, label, name html, id, popup info]. */
  W.places = function (map, cfg) {
    var container = map.getContainer();
    var group = cfg.cluster ? L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 60,
      spiderfyOnMaxZoom: true,
      chunkProgress: function (done, total) {
        if (done === total) { container.setAttribute("data-wiq-loaded", String(total)); }
      }
    }) : L.featureGroup();
    var icons = {};
    var popup = L.popup({maxWidth: 320, autoPanPadding: [20, 20]});
    var markers = cfg.places.map(function (p) {
      var key = p[2] + "|" + p[4];
      if (!icons[key]) {
        icons[key] = L.divIcon({
          html: p[4] ? "<b>" + p[4] + "</b>" : "",
          className: "wiq-m wiq-c" + p[2] + (p[4] ? " wiq-num" : ""),
          iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -12], tooltipAnchor: [0, -12]
        });
      }
      var marker = new PlaceMarker([p[0], p[1]], {icon: icons[key], keyboard: true, riseOnHover: true});
      marker.wiq = p;
      return marker;
    });
    group.on("click", function (e) {
      var p = e.layer.wiq;
      if (!p) { return; }
      popup.setLatLng(e.layer.getLatLng())
        .setContent(popupHtml(cfg, p[5], p[7], cfg.link ? cfg.link + p[6] : ""))
        .openOn(map);
    });
    group.on("mouseover", function (e) {
      var m = e.layer;
      if (m.wiq && !m.getTooltip()) {
        m.bindTooltip(m.wiq[5], {direction: "top"}).openTooltip();
      }
    });
    var active = cfg.filter ? 0 : -1;
    var pending = false;
    function refresh() {
      pending = false;
      var add = [], remove = [];
      markers.forEach(function (m) {
        var want = m.wiq[3] === 0 || (m.wiq[3] & active) !== 0;
        if (want !== !!m.wiqShown) {
          (want ? add : remove).push(m);
          m.wiqShown = want;
        }
      });
      if (remove.length) { group.removeLayers ? group.removeLayers(remove) : remove.forEach(group.removeLayer, group); }
      if (add.length) { group.addLayers ? group.addLayers(add) : add.forEach(group.addLayer, group); }
      container.setAttribute("data-wiq-shown",
        String(markers.filter(function (m) { return m.wiqShown; }).length));
    }
    group.wiqToggle = function (bit, on) {
      active = on ? (active | bit) : (active & ~bit);
      if (!pending) { pending = true; setTimeout(refresh, 0); }
    };
    refresh();
    return group;
  };

  /* A switch in the layer control that shows the places offering one need. */
  W.needLayer = function (map, cfg, places) {
    var Switch = L.Layer.extend({
      onAdd: function () { places.wiqToggle(cfg.bit, true); },
      onRemove: function () { places.wiqToggle(cfg.bit, false); }
    });
    return new Switch();
  };

  W.quarters = function (map, cfg) {
    var group = L.featureGroup();
    cfg.quarters.forEach(function (q) {
      L.polygon(q.ring, {
        className: "wiq-quarter", color: "#0b5394", weight: 3, fill: true, fillOpacity: 0.06,
        dashArray: q.approximate ? "8 6" : null, interactive: false
      }).bindTooltip(q.label, {
        permanent: true, direction: "center", className: "wiq-quarter-label"
      }).addTo(group);
    });
    return group;
  };

  /* Lines get their own pane above markers, clusters and quarter labels (650); their
     tooltips one above that, so hovering or tapping a line names both ends and the kind. */
  function linkPanes(map) {
    if (!map.getPane("wiqLinks")) {
      map.createPane("wiqLinks").style.zIndex = 655;
      map.createPane("wiqLinkTips").style.zIndex = 670;
    }
  }

  /* Link tuple: [lat1, lon1, lat2, lon2, tooltip html]. */
  W.links = function (map, cfg) {
    var group = L.featureGroup();
    linkPanes(map);
    cfg.links.forEach(function (l) {
      var line = L.polyline([[l[0], l[1]], [l[2], l[3]]], {
        className: "wiq-link", color: cfg.color, weight: cfg.derived ? 2 : 3.5,
        opacity: 0.85, dashArray: cfg.derived ? "6 6" : null, pane: "wiqLinks"
      }).bindTooltip(l[4], {sticky: true, pane: "wiqLinkTips"});
      line.on("click", function (e) { line.openTooltip(e.latlng); });
      line.addTo(group);
    });
    return group;
  };

  /* A single highlighted marker (WiQ's contact point, the searched place). */
  W.pin = function (map, cfg) {
    var marker = L.marker(cfg.at, {
      icon: L.divIcon({html: cfg.html, className: "wiq-pin " + cfg.css, iconSize: null}),
      keyboard: true, zIndexOffset: cfg.z || 0
    });
    marker.on("add", function () { marker.getElement().setAttribute("aria-label", plain(cfg.label)); });
    marker.bindTooltip(cfg.label, {direction: "top", offset: [0, -14]});
    if (cfg.info) {
      marker.bindPopup(popupHtml(cfg, cfg.label, cfg.info, cfg.link), {maxWidth: 320});
    }
    return marker;
  };

  W.legend = function (map, cfg) {
    var Legend = L.Control.extend({
      onAdd: function () {
        var box = L.DomUtil.create("details", "wiq-legend leaflet-control");
        box.innerHTML = cfg.html;
        box.open = map.getSize().x > 640;
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    return new Legend({position: "bottomleft"});
  };
}(window.L));
