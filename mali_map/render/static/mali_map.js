/* mali-map page runtime: incident layers, popups, claims and map controls.
 *
 * Written for mali-map; needs Leaflet 1.9, Leaflet.markercluster 1.4 and Leaflet.heat.
 * The Python side (mali_map/render) writes one call per layer or control; every value it
 * passes is JSON. Text that came from data (notes, actors, place names) is only ever
 * written with textContent, never parsed as HTML, so hostile text stays text.
 */
(function (window, L) {
  "use strict";

  var DAY_MS = 86400000;
  var MaliMap = {
    config: { style: null, popup: null, dayProperty: "_day" },
    layers: {},   // overlay name -> layer, for scripts and tests
    map: null
  };

  // ---- small helpers ------------------------------------------------------

  function element(tag, className, text, parent) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function dayText(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function present(value) {
    return value !== undefined && value !== null && value !== "";
  }

  function formatKm(km) {
    return km < 10 ? km.toFixed(2) + " km" : km.toFixed(1) + " km";
  }

  function stopMapEvents(node) {
    L.DomEvent.disableClickPropagation(node);
    L.DomEvent.disableScrollPropagation(node);
  }

  function button(parent, text, title, onClick) {
    var link = element("a", "mm-button", text, parent);
    link.href = "#";
    link.title = title;
    link.setAttribute("role", "button");
    link.setAttribute("aria-label", title);
    L.DomEvent.on(link, "click", function (e) {
      L.DomEvent.preventDefault(e);
      onClick(link);
    });
    return link;
  }

  /* The JSON data block with this id (a script element of type application/json): JSON.parse is
     faster than a literal of the same size. */
  MaliMap.data = function (id) {
    return JSON.parse(document.getElementById(id).textContent);
  };

  MaliMap.configure = function (config) {
    MaliMap.config = config;
  };

  // ---- incidents ----------------------------------------------------------

  MaliMap.radius = function (fatalities) {
    var r = MaliMap.config.style.radius;
    var deaths = Math.max(0, Math.min(+fatalities || 0, r.cap));
    return r.base + r.scale * Math.sqrt(deaths);
  };

  function markerOptions(props, opts) {
    var precision = props.geo_precision || 1;
    var options = {
      radius: MaliMap.radius(props.fatalities),
      color: opts.colour,
      weight: 1.5,
      opacity: 0.95,
      fillColor: opts.colour,
      fillOpacity: 0.75,
      className: "mm-incident mm-cat-" + opts.index
    };
    var shown = MaliMap.config.style.precisionStyle[String(Math.min(precision, 3))] || {};
    for (var key in shown) { options[key] = shown[key]; }  // as the legend draws it (render/style.py)
    return options;
  }

  MaliMap.popupContent = function (props, layerName) {
    var layout = MaliMap.config.popup;
    var root = element("div", "mm-popup");
    var titleParts = [];
    layout.title.forEach(function (key) {
      if (present(props[key])) { titleParts.push(props[key]); }
    });
    element("div", "mm-popup-title", titleParts.length ? titleParts.join(" \u2014 ") : layerName, root);
    var table = element("table", "mm-popup-table", null, root);
    layout.fields.forEach(function (pair) {
      var key = pair[0], value = props[key];
      if (!present(value)) { return; }
      if (key === "geo_precision") {
        value = value + " (" + (MaliMap.config.style.precision[value] || "unknown") + ")";
      }
      var row = element("tr", null, null, table);
      element("th", null, pair[1], row);
      element("td", "mm-field-" + key.replace(/[^A-Za-z0-9_-]/g, "_"), value, row);
    });
    return root;
  };

  function tooltipContent(props, layerName) {
    var parts = [];
    MaliMap.config.popup.tooltip.forEach(function (key) {
      if (present(props[key])) { parts.push(props[key]); }
    });
    return element("span", "mm-tooltip", parts.length ? parts.join(" \u00b7 ") : layerName);
  }

  /* Clusters of different layers at one town would hide each other: each layer's
     cluster icons sit a little off the point, in a direction of their own. */
  var CLUSTER_OFFSETS = [[0, 0], [20, 0], [-20, 0], [0, 20], [0, -20], [14, 14], [-14, -14], [14, -14], [-14, 14]];

  function clusterIcon(opts) {
    var offset = CLUSTER_OFFSETS[opts.index % CLUSTER_OFFSETS.length];
    return function (cluster) {
      var count = cluster.getChildCount();
      var size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 50;
      var outer = element("div");
      var inner = element("div", null, null, outer);
      inner.style.background = opts.colour;
      element("span", null, count.toLocaleString("en-US"), inner);
      return L.divIcon({
        html: outer.innerHTML,
        className: "mm-cluster mm-cat-" + opts.index,
        iconSize: L.point(size, size),
        iconAnchor: L.point(size / 2 - offset[0], size / 2 - offset[1])
      });
    };
  }

  /* The value of one column for row i of a layer blob (see mali_map/render/data.py). */
  function cell(column, i) {
    if (!column) { return undefined; }
    if (column.codes) {
      var code = column.codes[i];
      return code < 0 ? null : column.dict[code];
    }
    return column[i];
  }

  /* All the properties of one incident, read from its layer's columns when needed. */
  MaliMap.properties = function (marker) {
    var props = {}, columns = marker.mmBlob.props;
    for (var key in columns) {
      if (Object.prototype.hasOwnProperty.call(columns, key)) {
        var value = cell(columns[key], marker.mmRow);
        if (present(value)) { props[key] = value; }
      }
    }
    return props;
  };

  /* One category layer: circle markers from one columnar blob, clustered when dense.
     The group keeps all its markers (mmAll) and the ones the time filter lets through (mmShown). */
  MaliMap.incidentLayer = function (map, blob, opts) {
    var lon = blob.lon, lat = blob.lat, columns = blob.props;
    var dayKey = MaliMap.config.dayProperty;
    var markers = new Array(lat.length);
    for (var i = 0; i < lat.length; i++) {
      var deaths = cell(columns.fatalities, i), precision = cell(columns.geo_precision, i);
      var marker = L.circleMarker([lat[i], lon[i]], markerOptions({ fatalities: deaths, geo_precision: precision }, opts));
      marker.mmBlob = blob;
      marker.mmRow = i;
      marker.mmDeaths = +deaths || 0;
      marker.mmDay = cell(columns[dayKey], i);
      markers[i] = marker;
    }
    var group = opts.cluster ? L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      maxClusterRadius: 45,
      iconCreateFunction: clusterIcon(opts)
    }) : L.featureGroup();
    group.mmName = opts.name;
    group.mmAll = markers;
    group.mmShown = [];
    group.mmSet = function (shown) {
      group.clearLayers();
      if (group.addLayers) {
        group.addLayers(shown);
      } else {
        for (var j = 0; j < shown.length; j++) { group.addLayer(shown[j]); }
      }
      group.mmShown = shown;
    };
    group.mmSet(markers);
    group.on("click", function (e) {
      var target = e.layer || e.propagatedFrom;
      if (!target || !target.mmBlob) { return; }
      L.popup({ maxWidth: 380, className: "mm-popup-wrap" })
        .setLatLng(target.getLatLng())
        .setContent(MaliMap.popupContent(MaliMap.properties(target), opts.name))
        .openOn(map);
    });
    group.on("mouseover", function (e) {
      var target = e.layer || e.propagatedFrom;
      if (!target || !target.mmBlob || target.getTooltip()) { return; }
      target.bindTooltip(tooltipContent(MaliMap.properties(target), opts.name), { direction: "top" });
      target.openTooltip();
    });
    MaliMap.layers[opts.name] = group;
    return group;
  };

  /* The heat map of every incident currently shown by a visible category layer. */
  MaliMap.heatLayer = function (map, groups) {
    // no maxZoom option: the layer control would read it as "hide above zoom 9" and grey the box out
    var heat = L.heatLayer([], { radius: 16, blur: 20, minOpacity: 0.35 });
    heat.mmUpdate = function () {
      var points = [];
      groups.forEach(function (group) {
        if (!map.hasLayer(group)) { return; }
        group.mmShown.forEach(function (marker) {
          var at = marker.getLatLng();
          points.push([at.lat, at.lng, 0.4 + 0.6 * Math.min(marker.mmDeaths, 20) / 20]);
        });
      });
      heat.setLatLngs(points);
    };
    map.on("overlayadd overlayremove", function (e) {
      if (e.layer !== heat && map.hasLayer(heat)) { heat.mmUpdate(); }
    });
    heat.on("add", function () { heat.mmUpdate(); });
    return heat;
  };

  // ---- base layers --------------------------------------------------------

  /* Country outlines, names and capitals drawn below everything else, on a sea-coloured
     background: the base layer that needs no network. */
  MaliMap.outlineLayer = function (map, basemap) {
    if (!map.getPane("mm-basemap")) {
      map.createPane("mm-basemap").style.zIndex = 250;        // above tiles (200), below data (400)
      map.createPane("mm-basemap-labels").style.zIndex = 260;
    }
    var layer = L.layerGroup();
    L.geoJSON(basemap.outlines, {
      pane: "mm-basemap",
      interactive: false,
      style: { color: "#9c9381", weight: 1, fillColor: "#f5f2ea", fillOpacity: 1 }
    }).addTo(layer);
    basemap.outlines.features.forEach(function (feature) {
      var props = feature.properties;
      if (!props.label || !present(props.name)) { return; }
      L.tooltip({ permanent: true, direction: "center", className: "mm-country-label", pane: "mm-basemap-labels" })
        .setLatLng(props.label).setContent(element("span", null, props.name)).addTo(layer);
    });
    basemap.capitals.forEach(function (capital) {
      L.circleMarker([capital.lat, capital.lon], {
        pane: "mm-basemap", radius: 3, color: "#555555", weight: 1, fillColor: "#ffffff", fillOpacity: 1,
        interactive: false
      }).addTo(layer);
      L.tooltip({ permanent: true, direction: "right", offset: [4, 0], className: "mm-capital-label", pane: "mm-basemap-labels" })
        .setLatLng([capital.lat, capital.lon]).setContent(element("span", null, capital.name)).addTo(layer);
    });
    layer.on("add", function () { L.DomUtil.addClass(map.getContainer(), "mm-offline"); });
    layer.on("remove", function () { L.DomUtil.removeClass(map.getContainer(), "mm-offline"); });
    return layer;
  };

  // ---- claims -------------------------------------------------------------

  function claimPopup(record) {
    var root = element("div", "mm-popup");
    element("div", "mm-popup-title", "Claim: " + record.verdict, root);
    if (present(record.text)) { element("p", "mm-claim-text", "\u201c" + record.text + "\u201d", root); }
    element("p", null, record.label, root);
    if (present(record.explanation)) { element("p", "mm-claim-explanation", record.explanation, root); }
    return root;
  }

  function placeText(end) {
    var text = end.name;
    if (present(end.mention) && end.mention !== end.name) { text += " (\u201c" + end.mention + "\u201d)"; }
    return text;
  }

  /* Each claim: a ring of the claimed distance around the anchor, a line to the subject
     labelled with the measured distance, both in the verdict's colour. */
  MaliMap.claimsLayer = function (map, records) {
    // a pane just below the incidents (400), so rings and end points never hide a marker
    if (!map.getPane("mm-claims")) { map.createPane("mm-claims").style.zIndex = 390; }
    var group = L.featureGroup();
    records.forEach(function (record) {
      var anchor = record.anchor, subject = record.subject, colour = record.colour;
      var popup = claimPopup(record);
      if (anchor && record.radius_km) {
        L.circle([anchor.lat, anchor.lon], {
          radius: record.radius_km * 1000, color: colour, weight: 1.5, dashArray: "6 6",
          fillOpacity: 0.04, className: "mm-claim-ring", pane: "mm-claims"
        }).bindPopup(popup).addTo(group);
      }
      if (anchor && subject) {
        L.polyline([[anchor.lat, anchor.lon], [subject.lat, subject.lon]], {
          color: colour, weight: 3, opacity: 0.9, className: "mm-claim-line", pane: "mm-claims"
        }).bindTooltip(element("span", null, record.label), {
          permanent: true, direction: "center", className: "mm-claim-label"
        }).bindPopup(popup).addTo(group);
      }
      [anchor, subject].forEach(function (end) {
        if (!end) { return; }
        L.circleMarker([end.lat, end.lon], {
          radius: 5, color: colour, weight: 2, fillColor: "#ffffff", fillOpacity: 1, className: "mm-claim-end", pane: "mm-claims"
        }).bindTooltip(element("span", null, placeText(end))).bindPopup(popup).addTo(group);
      });
    });
    MaliMap.layers.claims = group;
    return group;
  };

  // ---- controls -----------------------------------------------------------

  /* The layer control. Labels are HTML written by Python with every text escaped. */
  MaliMap.layerControl = function (map, bases, overlays) {
    var baseLayers = {}, overlayLayers = {};
    bases.forEach(function (entry) {
      baseLayers[entry[0]] = entry[1];
      if (entry[2]) { entry[1].addTo(map); }
    });
    overlays.forEach(function (entry) {
      overlayLayers[entry[0]] = entry[1];
      if (entry[2]) { entry[1].addTo(map); }
    });
    return L.control.layers(baseLayers, overlayLayers, {
      collapsed: window.innerWidth < 700, position: "topright"
    }).addTo(map);
  };

  /* A box of ready-made, escaped HTML (the legend). */
  MaliMap.htmlControl = function (map, html, position, className) {
    var control = L.control({ position: position });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", className);
      box.innerHTML = html;
      stopMapEvents(box);
      return box;
    };
    return control.addTo(map);
  };

  MaliMap.fullscreenControl = function (map) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var bar = L.DomUtil.create("div", "leaflet-bar mm-tool");
      var link = button(bar, "", "Full screen", function () {
        var page = document.documentElement;
        if (document.fullscreenElement) {
          document.exitFullscreen();
        } else if (page.requestFullscreen) {
          page.requestFullscreen();
        }
      });
      // four corner marks, drawn rather than taken from a font that may lack the glyph
      link.innerHTML = '<svg width="16" height="16" viewBox="0 0 16 16" style="vertical-align:middle">' +
        '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" stroke="#222" stroke-width="2"/></svg>';
      stopMapEvents(bar);
      return bar;
    };
    document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
    return control.addTo(map);
  };

  /* Click points on the map to measure a path (great-circle distance). */
  MaliMap.measureControl = function (map) {
    var points = [], line = null, active = false;
    var control = L.control({ position: "topleft" });

    function clear() {
      points = [];
      if (line) { map.removeLayer(line); line = null; }
    }
    function total() {
      var km = 0;
      for (var i = 1; i < points.length; i++) { km += map.distance(points[i - 1], points[i]) / 1000; }
      return km;
    }
    function addPoint(e) {
      points.push(e.latlng);
      if (!line) {
        line = L.polyline(points, { color: "#222222", weight: 2, dashArray: "4 4", interactive: false })
          .bindTooltip("", { permanent: true, className: "mm-measure-label" }).addTo(map);
      }
      line.setLatLngs(points);
      line.setTooltipContent(points.length > 1 ? formatKm(total()) : "click the next point");
      line.openTooltip(e.latlng);
    }
    control.onAdd = function () {
      var bar = L.DomUtil.create("div", "leaflet-bar mm-tool");
      button(bar, "\u2194", "Measure a distance (click points; click here again to stop)", function (link) {
        active = !active;
        L.DomUtil[active ? "addClass" : "removeClass"](link, "mm-active");
        L.DomUtil[active ? "addClass" : "removeClass"](map.getContainer(), "mm-measuring");
        if (active) { map.on("click", addPoint); } else { map.off("click", addPoint); clear(); }
      });
      stopMapEvents(bar);
      return bar;
    };
    return control.addTo(map);
  };

  /* A small overview map (offline outlines) with the main view as a box; click to move there. */
  MaliMap.miniMap = function (map, basemap) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "mm-minimap");
      stopMapEvents(box);
      return box;
    };
    control.addTo(map);
    var mini = L.map(control.getContainer(), {
      attributionControl: false, zoomControl: false, dragging: false, scrollWheelZoom: false,
      doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false,
      center: map.getCenter(), zoom: Math.max(0, map.getZoom() - 4)
    });
    L.geoJSON(basemap.outlines, {
      interactive: false, style: { color: "#9c9381", weight: 0.8, fillColor: "#f5f2ea", fillOpacity: 1 }
    }).addTo(mini);
    var view = L.rectangle(map.getBounds(), { color: "#d55e00", weight: 1.5, fillOpacity: 0.1, interactive: false })
      .addTo(mini);
    function sync() {
      mini.setView(map.getCenter(), Math.max(0, map.getZoom() - 4), { animate: false });
      view.setBounds(map.getBounds());
    }
    map.on("moveend", sync);
    mini.on("click", function (e) { map.panTo(e.latlng); });
    return mini;
  };

  /* Two sliders choose the first and last day shown; undated incidents show only when
     the whole span is chosen. Layers are refilled in one batch after the slider rests. */
  MaliMap.timeSlider = function (map, groups, heat, span) {
    var from, to, label, timer = null;

    function apply() {
      var lo = Math.min(+from.value, +to.value), hi = Math.max(+from.value, +to.value);
      var everything = lo <= span.min && hi >= span.max, count = 0;
      groups.forEach(function (group) {
        var shown = everything ? group.mmAll : group.mmAll.filter(function (marker) {
          var day = marker.mmDay;
          return day !== undefined && day !== null && day >= lo && day <= hi;
        });
        count += shown.length;
        group.mmSet(shown);
      });
      if (heat && map.hasLayer(heat)) { heat.mmUpdate(); }
      label.textContent = dayText(lo) + " \u2192 " + dayText(hi) + " (" + count.toLocaleString("en-US") + " shown)";
    }
    function later() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(apply, 120);
    }
    function slider(parent, value, title) {
      var input = element("input", "mm-range", null, parent);
      input.type = "range";
      input.min = span.min;
      input.max = span.max;
      input.step = 1;
      input.value = value;
      input.title = title;
      input.setAttribute("aria-label", title);
      L.DomEvent.on(input, "input", later);
      return input;
    }
    // bottom centre of the map, clear of the corners that hold the other controls
    var box = L.DomUtil.create("div", "mm-time", map.getContainer());
    element("div", "mm-time-title", "Dates", box);
    from = slider(box, span.min, "first day shown");
    to = slider(box, span.max, "last day shown");
    label = element("div", "mm-time-label", dayText(span.min) + " \u2192 " + dayText(span.max), box);
    stopMapEvents(box);
    return { element: box, apply: apply };
  };

  /* Fit the view to the data and say so (tests and benchmarks wait for data-mm-ready). */
  MaliMap.fit = function (map, bounds) {
    if (bounds) {
      // keep the data clear of the minimap (left), the layer control and legend (right), the sliders (bottom)
      map.fitBounds(bounds, {
        paddingTopLeft: [170, 70], paddingBottomRight: [290, 110], maxZoom: 11, animate: false
      });
    }
    MaliMap.map = map;
    document.body.setAttribute("data-mm-ready", "1");
  };

  window.MaliMap = MaliMap;
})(window, window.L);
