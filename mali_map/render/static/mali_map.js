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
    pending: [],  // promises of data still being inflated
    addBatch: 5000,  // markers clustered and drawn at a time (see incidentsOf)
    // the margins of the part of the map no control covers (updated in place by MaliMap.layout)
    padding: { topLeft: L.point(10, 10), bottomRight: L.point(10, 10) },
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

  /* Popup options that keep a popup clear of the title and the other controls when it opens. */
  function popupOptions(options) {
    var out = L.extend({}, options || {});
    out.autoPanPaddingTopLeft = MaliMap.padding.topLeft;   // shared points: later layouts update them
    out.autoPanPaddingBottomRight = MaliMap.padding.bottomRight;
    return out;
  }

  /* The widest a popup's content may be for the popup (its frame adds about 50 px) to fit,
     whole, beside the column of buttons on the left (a phone is narrower than a popup's usual
     width), but never narrower than 200 px. */
  function popupWidth(map, wanted) {
    return Math.max(200, Math.min(wanted, map.getSize().x - 120));
  }

  /* The data block with this id: JSON (read with JSON.parse, faster than a literal of the
     same size), or, for large pages, JSON compressed with raw deflate and written in base64
     (data-mm-encoding="deflate-raw"): then a promise of it, inflated by the browser's own
     DecompressionStream. */
  MaliMap.data = function (id) {
    var node = document.getElementById(id);
    if (node.getAttribute("data-mm-encoding") !== "deflate-raw") { return JSON.parse(node.textContent); }
    if (typeof DecompressionStream === "undefined") {
      MaliMap.fail("This browser cannot read the compressed map data (it lacks DecompressionStream): " +
                   "open the page in a recent Chrome, Edge, Firefox or Safari.");
      return new Promise(function () {});
    }
    var text = atob(node.textContent.trim()), bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).text().then(JSON.parse);
  };

  /* A message over the map when the page cannot show its data. */
  MaliMap.fail = function (message) {
    element("div", "mm-error", message, document.body);
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
      // a click on a marker is not also a click on the map (which would fold a fanned-out cluster)
      bubblingMouseEvents: false,
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

  /* A cluster's icon: its count on a disc split by category (a plain colour when it holds one). */
  function clusterIcon(categories) {
    return function (cluster) {
      var children = cluster.getAllChildMarkers(), counts = {}, order = [];
      for (var i = 0; i < children.length; i++) {
        var index = children[i].mmCategory.mmIndex;
        if (!counts[index]) { counts[index] = 0; order.push(index); }
        counts[index] += 1;
      }
      order.sort(function (a, b) { return a - b; });
      var count = children.length;
      var size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 50;
      var outer = element("div");
      var inner = element("div", null, null, outer);
      if (order.length === 1) {
        inner.style.background = categories[order[0]].mmColour;
      } else {
        var stops = [], at = 0;
        order.forEach(function (index) {
          var next = at + 360 * counts[index] / count;
          stops.push(categories[index].mmColour + " " + at.toFixed(1) + "deg " + next.toFixed(1) + "deg");
          at = next;
        });
        inner.style.background = "conic-gradient(" + stops.join(", ") + ")";
      }
      element("span", null, count.toLocaleString("en-US"), inner);
      return L.divIcon({
        html: outer.innerHTML,
        className: "mm-cluster " + (order.length === 1 ? "mm-cat-" + order[0] : "mm-mixed"),
        iconSize: L.point(size, size)
      });
    };
  }

  /* Every incident of a map lives in ONE cluster group, whatever its category: incidents at
     the same point cluster together and fan out (spiderfy) when clicked, so each of them can
     be reached. The category layers in the layer control only say which markers the group
     holds; the time slider narrows them further. Counts (legend, layer control, clusters)
     are recomputed from what is shown after every change. */
  function incidentsOf(map) {
    if (map.mmIncidents) { return map.mmIncidents; }
    var categories = [];
    var days = null;   // null: every incident, dated or not; else [first, last] day shown
    var group = L.markerClusterGroup({
      chunkedLoading: true,
      chunkDelay: 1,  // the page stays responsive between chunks; waiting longer only delays the markers
      showCoverageOnHover: false,
      maxClusterRadius: 45,
      spiderfyOnMaxZoom: true,
      spiderfyDistanceMultiplier: 1.4,
      iconCreateFunction: clusterIcon(categories),
      // the next batch once this one is on the map (addLayers draws after calling this)
      chunkProgress: function (done, total) { if (done >= total) { setTimeout(next, 0); } }
    });
    var inGroup = [], waiting = [], adding = false, again = false, queue = [];
    var state = { categories: categories, group: group };

    function settle() {
      adding = false;
      map.fire("mm:drawn");
      waiting.splice(0).forEach(function (resolve) { resolve(); });
    }
    /* Markers go into the group in batches, each drawn as soon as it is clustered: with
       50,000 incidents the first ones show after a tenth of the work, not after all of it. */
    function next() {
      adding = false;
      if (again) {  // the layers or dates changed while a batch was going in
        again = false;
        state.refresh();
        if (adding) { return; }
      }
      if (!queue.length) { settle(); return; }
      adding = true;
      group.addLayers(queue.shift());
    }
    function add(markers) {
      var size = MaliMap.addBatch;
      for (var i = 0; i < markers.length; i += size) { queue.push(markers.slice(i, i + size)); }
      if (!adding && queue.length) { next(); }
    }
    /* A promise kept once the markers being added are on the map (they go in chunks). */
    state.drawn = function () {
      return new Promise(function (resolve) {
        if (adding) { waiting.push(resolve); } else { resolve(); }
      });
    };
    /* Put the group on the map (once the view is fitted, so it clusters once, for that view). */
    state.show = function () {
      if (map.hasLayer(group)) { return; }
      group.addTo(map);
      state.refresh();
    };

    /* The filters besides the dates: fatalities [min, max] (null: any) and, per --filter-by
       column, the set of values kept (absent: any). */
    var fatal = null, chosen = {};
    state.filters = function () {
      var out = { days: days, fatalities: fatal, columns: {} };
      for (var key in chosen) { out.columns[key] = Array.from(chosen[key]); }
      return out;
    };
    function filtered() {
      if (days || fatal) { return true; }
      for (var key in chosen) { return true; }
      return false;
    }
    function passes(marker) {
      if (days) {
        var day = marker.mmDay;
        if (day === undefined || day === null || day < days[0] || day > days[1]) { return false; }
      }
      if (fatal && (marker.mmDeaths < fatal[0] || marker.mmDeaths > fatal[1])) { return false; }
      for (var key in chosen) {
        var value = cell(marker.mmBlob.props[key], marker.mmRow);
        if (!chosen[key].has(present(value) ? String(value) : "")) { return false; }
      }
      return true;
    }
    state.passes = passes;

    state.refresh = function () {
      if (!map.hasLayer(group)) { return; }  // the first refresh comes with state.show
      var wanted = [], any = filtered();
      categories.forEach(function (category) {
        category.mmShown = any ? category.mmAll.filter(passes) : category.mmAll;
        if (category.mmOn) { wanted = wanted.concat(category.mmShown); }
      });
      state.updateCounts();
      map.fire("mm:filter");
      // a batch being clustered cannot be stopped half way: change the group once it is in
      if (adding) { again = true; return; }
      var keep = new Set(wanted), removed = [], added = [];
      inGroup.forEach(function (marker) { if (!keep.has(marker)) { removed.push(marker); } });
      var had = new Set(inGroup);
      wanted.forEach(function (marker) { if (!had.has(marker)) { added.push(marker); } });
      // batches not added yet keep only what is still wanted
      queue = queue.map(function (batch) { return batch.filter(function (m) { return keep.has(m); }); })
        .filter(function (batch) { return batch.length; });
      if (removed.length > wanted.length / 2) {
        queue = [];
        group.clearLayers();
        add(wanted);
      } else {
        if (removed.length) { group.removeLayers(removed); }
        add(added);
      }
      inGroup = wanted;
    };

    state.setDays = function (range) {
      days = range;
      state.refresh();
    };
    /* Fatalities from range[0] to range[1] (null: any count). */
    state.setFatalities = function (range) {
      fatal = range;
      state.refresh();
    };
    /* Only the rows whose `column` is one of `values` (empty or null: any value). */
    state.setValues = function (column, values) {
      if (values && values.length) { chosen[column] = new Set(values.map(String)); } else { delete chosen[column]; }
      state.refresh();
    };
    /* Every marker shown now (categories switched on, through every filter). */
    state.shownMarkers = function () {
      var out = [];
      categories.forEach(function (category) { if (category.mmOn) { out = out.concat(category.mmShown); } });
      return out;
    };

    /* The shown counts everywhere a count is written: [data-mm-count=i] per category and
       [data-mm-total] for the categories switched on (the layer control rebuilds its labels
       when layers change, so this runs again after it). */
    state.updateCounts = function () {
      if (!map.hasLayer(group)) { return; }  // the page's own totals stand until the markers are in
      var container = document;
      var total = 0;
      categories.forEach(function (category) {
        var shown = category.mmShown.length, visible = !!category.mmOn;
        if (visible) { total += shown; }
        container.querySelectorAll('[data-mm-count="' + category.mmIndex + '"]').forEach(function (node) {
          node.textContent = shown.toLocaleString("en-US");
          node.title = shown === category.mmAll.length ? "" :
            shown.toLocaleString("en-US") + " of " + category.mmAll.length.toLocaleString("en-US") + " through the dates and filters chosen";
          var row = node.closest("tr");
          if (row) { L.DomUtil[visible ? "removeClass" : "addClass"](row, "mm-off"); }
        });
      });
      container.querySelectorAll("[data-mm-total]").forEach(function (node) {
        node.textContent = total.toLocaleString("en-US");
      });
      state.shownCount = total;
    };

    group.on("animationend spiderfied unspiderfied", function () { map.fire("mm:drawn"); });
    /* The popup of one incident; the page's address then names it (see MaliMap.hashState). */
    state.openPopup = function (target) {
      var options = popupOptions({ maxWidth: popupWidth(map, 380), className: "mm-popup-wrap" });
      // the popup's tip (the incident itself) stays clear of the date panel at the bottom
      var time = map.mmTime;
      if (time && visible(time)) {
        var mapBox = map.getContainer().getBoundingClientRect(), timeBox = time.getBoundingClientRect();
        options.autoPanPaddingBottomRight = L.point(MaliMap.padding.bottomRight.x,
          Math.max(MaliMap.padding.bottomRight.y, mapBox.bottom - timeBox.top + 12));
      }
      // and scrolls rather than pushing its incident under a control
      var room = map.getSize().y - MaliMap.padding.topLeft.y -
        (options.autoPanPaddingBottomRight || MaliMap.padding.bottomRight).y - 40;
      options.maxHeight = Math.max(160, room);
      var popup = L.popup(options)
        .setLatLng(target.getLatLng())
        .setContent(MaliMap.popupContent(MaliMap.properties(target), target.mmCategory.mmName));
      popup.mmMarker = target;
      popup.openOn(map);
      return popup;
    };
    group.on("click", function (e) {
      var target = e.layer || e.propagatedFrom;
      if (!target || !target.mmBlob) { return; }
      state.openPopup(target);
    });
    group.on("mouseover", function (e) {
      var target = e.layer || e.propagatedFrom;
      if (!target || !target.mmBlob || target.getTooltip()) { return; }
      target.bindTooltip(new InsideTooltip({ direction: "top" })
        .setContent(tooltipContent(MaliMap.properties(target), target.mmCategory.mmName)));
      target.openTooltip();
    });
    // after the layer control has rebuilt its labels from the page's original text
    map.on("overlayadd overlayremove", function () { setTimeout(state.updateCounts, 0); });
    map.mmIncidents = state;
    MaliMap.incidents = state;
    return state;
  }

  /* What the layer control switches for one category: its markers in the map's cluster group. */
  var Category = L.Layer.extend({
    // the map still lists a layer while its onRemove runs: the layer keeps its own flag
    onAdd: function () { this.mmOn = true; this.mmState.refresh(); },
    onRemove: function () { this.mmOn = false; this.mmState.refresh(); }
  });

  /* Markers of one category from its columnar blob (an object, or a promise of one when the
     page carries it compressed). */
  function categoryMarkers(category, blob, opts) {
    var lon = blob.lon, lat = blob.lat, columns = blob.props;
    var dayKey = MaliMap.config.dayProperty;
    var markers = new Array(lat.length);
    for (var i = 0; i < lat.length; i++) {
      var deaths = cell(columns.fatalities, i), precision = cell(columns.geo_precision, i);
      var marker = L.circleMarker([lat[i], lon[i]], markerOptions({ fatalities: deaths, geo_precision: precision }, opts));
      marker.mmBlob = blob;
      marker.mmRow = i;
      marker.mmCategory = category;
      marker.mmDeaths = +deaths || 0;
      marker.mmDay = cell(columns[dayKey], i);
      markers[i] = marker;
    }
    return markers;
  }

  /* One category layer (an entry of the layer control). It keeps all its markers (mmAll)
     and the ones the time filter lets through (mmShown). */
  MaliMap.incidentLayer = function (map, blob, opts) {
    var state = incidentsOf(map);
    var category = new Category();
    category.mmState = state;
    category.mmName = opts.name;
    category.mmColour = opts.colour;
    category.mmIndex = opts.index;
    category.mmAll = [];
    category.mmShown = [];
    state.categories[opts.index] = category;
    MaliMap.layers[opts.name] = category;
    function fill(data) {
      category.mmAll = categoryMarkers(category, data, opts);
      state.refresh();
    }
    if (blob && typeof blob.then === "function") {
      MaliMap.pending.push(blob.then(fill));
    } else {
      fill(blob);
    }
    return category;
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
    map.on("overlayadd overlayremove mm:filter", function (e) {
      if (e.layer !== heat && map.hasLayer(heat)) { heat.mmUpdate(); }
    });
    heat.on("add", function () { heat.mmUpdate(); });
    return heat;
  };

  // ---- base layers --------------------------------------------------------

  /* Country outlines drawn below everything else, on a sea-coloured background, with the
     names of countries, capitals, regions and places placed by MaliMap.placeLabels: the base
     layer that needs no network. */
  MaliMap.outlineLayer = function (map, basemap) {
    if (!map.getPane("mm-basemap")) {
      map.createPane("mm-basemap").style.zIndex = 250;        // above tiles (200), below data (400)
      // names above the incident circles (400) so no marker cuts a name, below cluster icons (600);
      // they take no clicks, so every marker under a name stays reachable
      var labels = map.createPane("mm-basemap-labels");
      labels.style.zIndex = 450;
      labels.style.pointerEvents = "none";
    }
    var layer = L.layerGroup();
    L.geoJSON(basemap.outlines, {
      pane: "mm-basemap",
      interactive: false,
      style: { color: "#9c9381", weight: 1, fillColor: "#f5f2ea", fillOpacity: 1 }
    }).addTo(layer);
    var labels = MaliMap.placeLabels(map, basemap);
    var pending = null;
    function place() {  // once per frame, after the markers have settled
      if (pending) { return; }
      pending = L.Util.requestAnimFrame(function () { pending = null; labels.draw(); });
    }
    function hide() { labels.clear(); }
    layer.on("add", function () {
      L.DomUtil.addClass(map.getContainer(), "mm-offline");
      map.on("moveend mm:filter mm:drawn mm:labels", place);
      map.on("zoomstart", hide);
      place();
    });
    layer.on("remove", function () {
      L.DomUtil.removeClass(map.getContainer(), "mm-offline");
      map.off("moveend mm:filter mm:drawn mm:labels", place);
      map.off("zoomstart", hide);
      hide();
    });
    layer.mmLabels = labels;
    map.mmOutlines = layer;
    return layer;
  };

  /* Zoom from which each kind of place may be named (capital, city, town, village): small
     places only closer in, whatever room there is. */
  var PLACE_MIN_ZOOM = [0, 5, 7, 9];
  var INCIDENT_PLACE_MIN_ZOOM = 7;
  var LABEL_FONTS = {
    country: "600 12px 'Helvetica Neue', Arial, sans-serif",
    region: "italic 11px 'Helvetica Neue', Arial, sans-serif",
    place: "11px 'Helvetica Neue', Arial, sans-serif",
    big: "600 12px 'Helvetica Neue', Arial, sans-serif",
    incident: "600 11px 'Helvetica Neue', Arial, sans-serif"
  };

  /* The base layer's names, chosen for the view each time it changes: countries first, then
     capitals, regions, and places from the most prominent down; a name is drawn only where it
     overlaps no name already drawn, so zooming in makes room for more. */
  MaliMap.placeLabels = function (map, basemap) {
    var canvas = document.createElement("canvas").getContext("2d");
    var widths = {};
    var candidates = [];
    function width(text, font) {
      var key = font + "|" + text;
      if (!(key in widths)) { canvas.font = font; widths[key] = canvas.measureText(text).width; }
      return widths[key];
    }
    basemap.outlines.features.forEach(function (feature) {
      var props = feature.properties;
      if (props.label && present(props.name)) {
        candidates.push({ text: String(props.name).toUpperCase(), at: props.label, kind: "country", minZoom: 0, maxZoom: 9 });
      }
    });
    var capitals = {};
    basemap.capitals.forEach(function (capital) {
      capitals[capital.name] = true;
      candidates.push({ text: capital.name, at: [capital.lat, capital.lon], kind: "big", minZoom: 0, maxZoom: 99, dot: true });
    });
    var regions = basemap.regions || { name: [] };
    var places = basemap.places || { name: [] };
    for (var r = 0; r < regions.name.length; r++) {
      candidates.push({ text: regions.name[r], at: [regions.lat[r], regions.lon[r]], kind: "region", minZoom: 5, maxZoom: 9 });
    }
    // the incidents' own places (most incidents first): named from zoom 7 wherever they fit
    var named = basemap.incidentPlaces || { name: [] };
    for (var n = 0; n < named.name.length; n++) {
      candidates.push({ text: named.name[n], at: [named.lat[n], named.lon[n]], kind: "incident",
                        minZoom: INCIDENT_PLACE_MIN_ZOOM, maxZoom: 99, dot: true });
    }
    for (var i = 0; i < places.name.length; i++) {
      var kind = places.kind[i];
      if (kind === 0 && capitals[places.name[i]]) { continue; }  // already named as a capital
      candidates.push({ text: places.name[i], at: [places.lat[i], places.lon[i]],
                        kind: kind <= 1 ? "big" : "place", minZoom: PLACE_MIN_ZOOM[kind] || 9, maxZoom: 99, dot: true });
    }
    var box = null;

    function clear() {
      if (box) { box.parentNode.removeChild(box); box = null; }
    }

    /* Boxes (container pixels) of what a name must not cover: incident markers, clusters, claim labels. */
    function obstacles() {
      var container = map.getContainer(), origin = container.getBoundingClientRect(), out = [];
      container.querySelectorAll(".mm-cluster, path.mm-incident, .mm-claim-label").forEach(function (node) {
        var r = node.getBoundingClientRect();
        if (r.width && r.height) {
          out.push([r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top]);
        }
      });
      return out;
    }

    function draw() {
      clear();
      var zoom = map.getZoom(), size = map.getSize(), taken = [], blocked = obstacles();
      box = L.DomUtil.create("div", "mm-labels", map.getPane("mm-basemap-labels"));
      function free(r, list) {
        for (var k = 0; k < list.length; k++) {
          var t = list[k];
          if (r[0] < t[2] && t[0] < r[2] && r[1] < t[3] && t[1] < r[3]) { return false; }
        }
        return true;
      }
      var drawn = 0;
      candidates.forEach(function (c) {
        if (zoom < c.minZoom || zoom > c.maxZoom || drawn >= 400) { return; }
        var p = map.latLngToContainerPoint(c.at);
        if (p.x < -50 || p.y < -20 || p.x > size.x + 50 || p.y > size.y + 20) { return; }
        var w = width(c.text, LABEL_FONTS[c.kind]) + 2, h = c.kind === "country" ? 14 : 13;
        // a country's or region's name is centred on its point; a place's name goes beside its
        // dot, on the first side (right, left, above, below) where it covers no marker or name;
        // a marker on the place itself pushes the name clear of it. Only country names may lie
        // over markers (they are faint and few).
        var core = [p.x - 5, p.y - 5, p.x + 5, p.y + 5];
        for (var o = 0; o < blocked.length && c.dot; o++) {
          var b = blocked[o];
          if (b[0] <= p.x && p.x <= b[2] && b[1] <= p.y && p.y <= b[3]) {
            core = [Math.min(core[0], b[0]), Math.min(core[1], b[1]), Math.max(core[2], b[2]), Math.max(core[3], b[3])];
          }
        }
        var spots = c.dot ? [[core[2] + 1, p.y - h / 2], [core[0] - 1 - w, p.y - h / 2],
                             [p.x - w / 2, core[1] - 1 - h], [p.x - w / 2, core[3] + 1]]
                          : [[p.x - w / 2, p.y - h / 2]];
        var dot = [p.x - 3, p.y - 3, p.x + 3, p.y + 3];
        if (c.dot && !free(dot, taken)) { return; }
        var spot = null;
        for (var s = 0; s < spots.length && !spot; s++) {
          var rect = [spots[s][0], spots[s][1], spots[s][0] + w, spots[s][1] + h];
          if (free(rect, taken) && (c.kind === "country" || free(rect, blocked))) { spot = rect; }
        }
        if (!spot) { return; }
        taken.push(spot);
        if (c.dot) { taken.push(dot); }
        drawn += 1;
        var shift = map.latLngToLayerPoint(c.at).subtract(p);  // container -> layer pixels
        var node = element("div", "mm-label mm-label-" + c.kind, c.text, box);
        L.DomUtil.setPosition(node, L.point(spot[0], spot[1]).add(shift));
        if (c.dot) {
          L.DomUtil.setPosition(element("div", "mm-label-dot", null, box), L.point(p.x - 3, p.y - 3).add(shift));
        }
      });
    }
    /* The names drawn now, for tests: [{text, kind, left, top, right, bottom}] in page pixels. */
    function shown() {
      if (!box) { return []; }
      return Array.prototype.filter.call(box.children, function (node) { return node.textContent; })
        .map(function (node) {
          var r = node.getBoundingClientRect();
          return { text: node.textContent, kind: node.className, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
        });
    }
    return { draw: draw, clear: clear, shown: shown, candidates: candidates };
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
    var group = L.featureGroup(), labels = [];
    records.forEach(function (record) {
      var anchor = record.anchor, subject = record.subject, colour = record.colour;
      var popup = claimPopup(record);
      if (anchor && record.radius_km) {
        L.circle([anchor.lat, anchor.lon], {
          radius: record.radius_km * 1000, color: colour, weight: 1.5, dashArray: "6 6",
          fillOpacity: 0.04, className: "mm-claim-ring", pane: "mm-claims"
        }).bindPopup(popup, popupOptions()).addTo(group);
      }
      if (anchor && subject) {
        var line = L.polyline([[anchor.lat, anchor.lon], [subject.lat, subject.lon]], {
          color: colour, weight: 3, opacity: 0.9, className: "mm-claim-line", pane: "mm-claims"
        }).bindTooltip(new InsideTooltip({ sticky: true, direction: "top", className: "mm-claim-tip" })
          .setContent(labelLines(record)))
          .bindPopup(popup, popupOptions()).addTo(group);
        labels.push(claimLabel(map, line, labelLines(record)));
      }
      [anchor, subject].forEach(function (end) {
        if (!end) { return; }
        L.circleMarker([end.lat, end.lon], {
          radius: 5, color: colour, weight: 2, fillColor: "#ffffff", fillOpacity: 1, className: "mm-claim-end", pane: "mm-claims"
        }).bindTooltip(element("span", null, placeText(end))).bindPopup(popup, popupOptions()).addTo(group);
      });
    });
    function place() {
      var before = labels.map(function (label) { return label.isShown(); }).join();
      labels.forEach(function (label) { label.place(); });
      // the base layer's names keep clear of claim labels: let them move when one came or went
      if (labels.map(function (label) { return label.isShown(); }).join() !== before) { map.fire("mm:labels"); }
    }
    group.on("add", function () {
      map.on("moveend zoomend resize mm:filter mm:drawn overlayadd overlayremove", place);
      place();
    });
    group.on("remove", function () {
      map.off("moveend zoomend resize mm:filter mm:drawn overlayadd overlayremove", place);
      labels.forEach(function (label) { label.hide(); });
    });
    group.mmLabels = labels;
    MaliMap.layers.claims = group;
    return group;
  };

  /* The permanent label of a claim's line, shown only where it reads as the line's label: on
     the part of the line inside the map, when that part is longer on screen than the label, and
     when the label then lies inside the map, clear of the controls and of every incident marker
     and cluster. Otherwise the line keeps only its hover tooltip and its popup. Re-checked
     whenever the view or the markers change. */
  function claimLabel(map, line, node) {
    var tooltip = L.tooltip({ permanent: true, direction: "center", className: "mm-claim-label",
                              interactive: true, pane: "tooltipPane" }).setContent(node);
    var open = false;
    L.DomEvent.on(node, "click", function (e) {
      L.DomEvent.stop(e);
      line.openPopup(tooltip.getLatLng());
    });
    function hide() {
      if (!open) { return; }
      map.closeTooltip(tooltip);
      open = false;
      // at once, not after Leaflet's fade: a label that was only measured must never be seen
      // (nor kept as an obstacle by the base layer's names)
      L.DomUtil.remove(tooltip.getElement());
    }
    function place() {
      var ends = line.getLatLngs(), size = map.getSize();
      var part = clipSegment(map.latLngToContainerPoint(ends[0]), map.latLngToContainerPoint(ends[1]), size);
      if (!part) { hide(); return; }
      var mid = part[0].add(part[1]).divideBy(2);
      tooltip.setLatLng(map.containerPointToLatLng(mid));
      if (!open) { map.openTooltip(tooltip); open = true; }
      var container = map.getContainer(), origin = container.getBoundingClientRect();
      var box = boxOf(tooltip.getElement(), origin);
      var room = part[0].distanceTo(part[1]) - 2 * MARKER_MARGIN_PX;
      if (room < box.width || !inside(box, size) ||
          overlapsAny(box, MaliMap.controlBoxes(map)) || overlapsAny(box, markerBoxes(map, origin))) {
        hide();
      }
    }
    return { place: place, hide: hide, tooltip: tooltip, isShown: function () { return open; } };
  }

  /* A claim's label text as short lines (measured, claimed, verdict). */
  function labelLines(record) {
    var node = element("span");
    (record.label_lines || [record.label]).forEach(function (text) {
      if (present(text)) { element("span", "mm-claim-label-line", text, node); }
    });
    return node;
  }

  /* A tooltip kept inside the map: a hover label near an edge slides in instead of being cut off. */
  var InsideTooltip = L.Tooltip.extend({
    _setPosition: function (pos) {
      L.Tooltip.prototype._setPosition.call(this, pos);
      var map = this._map, node = this._container;
      if (!map || !node) { return; }
      var size = map.getSize(), at = map.layerPointToContainerPoint(L.DomUtil.getPosition(node));
      var x = Math.max(0, Math.min(at.x, size.x - node.offsetWidth));
      var y = Math.max(0, Math.min(at.y, size.y - node.offsetHeight));
      if (x !== at.x || y !== at.y) { L.DomUtil.setPosition(node, map.containerPointToLayerPoint([x, y])); }
    }
  });

  var MARKER_MARGIN_PX = 12;  // room left at each end of a labelled line for the markers there

  /* The part of the segment a-b (container pixels) inside the map of this size, or null. */
  function clipSegment(a, b, size) {
    var t0 = 0, t1 = 1, dx = b.x - a.x, dy = b.y - a.y;
    var p = [-dx, dx, -dy, dy], q = [a.x, size.x - a.x, a.y, size.y - a.y];
    for (var i = 0; i < 4; i++) {
      if (p[i] === 0) {
        if (q[i] < 0) { return null; }
      } else {
        var t = q[i] / p[i];
        if (p[i] < 0) { t0 = Math.max(t0, t); } else { t1 = Math.min(t1, t); }
      }
    }
    if (t0 > t1) { return null; }
    return [L.point(a.x + t0 * dx, a.y + t0 * dy), L.point(a.x + t1 * dx, a.y + t1 * dy)];
  }

  function inside(box, size) {
    return box.left >= 0 && box.top >= 0 && box.right <= size.x && box.bottom <= size.y;
  }

  function overlapsAny(box, boxes) {
    return boxes.some(function (b) {
      return box.left < b.right && b.left < box.right && box.top < b.bottom && b.top < box.bottom;
    });
  }

  /* The boxes (map pixels) of the incident markers and clusters drawn now. */
  function markerBoxes(map, origin) {
    var nodes = map.getContainer().querySelectorAll(".mm-cluster, path.mm-incident");
    return Array.prototype.filter.call(nodes, visible).map(function (node) { return boxOf(node, origin); });
  }

  // ---- controls -----------------------------------------------------------

  /* Small windows (phones, small embeds) get collapsed controls: toggles instead of panels. */
  function isSmall(map) {
    var size = map.getSize();
    return size.x < 700 || size.y < 500;
  }

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
    // the control rebuilds its labels whenever an overlay comes or goes, then says so with
    // overlayadd/overlayremove: the incidents' counts are written again after that (incidentsOf)
    return L.control.layers(baseLayers, overlayLayers, {
      collapsed: isSmall(map), position: "topright"
    }).addTo(map);
  };

  /* A panel with a heading that opens and closes it; closed at first on small windows. */
  function collapsible(box, heading, body, map) {
    var toggle = element("button", "mm-toggle", heading, box);
    toggle.type = "button";
    box.insertBefore(toggle, box.firstChild);
    function set(open) {
      L.DomUtil[open ? "removeClass" : "addClass"](box, "mm-collapsed");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      body.hidden = !open;
    }
    L.DomEvent.on(toggle, "click", function (e) {
      L.DomEvent.preventDefault(e);
      set(L.DomUtil.hasClass(box, "mm-collapsed"));
      if (map.mmRelayout) { map.mmRelayout(); }
    });
    set(!isSmall(map) || !!window.mmPrint);
    return toggle;
  }

  /* A box of ready-made, escaped HTML (the legend), that can be folded away. */
  MaliMap.htmlControl = function (map, html, position, className) {
    var control = L.control({ position: position });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", className);
      var body = element("div", "mm-panel-body", null, box);
      body.innerHTML = html;
      collapsible(box, "Legend", body, map);
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
     the whole span is chosen. Beside them, the same two days as typed dates, buttons that move
     the window of days by a day, a week or a month, and play/pause to step through time. The
     map's incidents (and so the heat map and every count) are refilled once the slider rests. */
  MaliMap.timeSlider = function (map, span) {
    var from, to, label, timer = null, playing = null;

    // a day whose incidents are dated only to the year or month reads "2011", not "2011-01-01"
    function dateText(day) {
      return (span.labels && span.labels[day]) || dayText(day);
    }

    function range() {
      return [Math.min(+from.value, +to.value), Math.max(+from.value, +to.value)];
    }
    function apply() {
      var days = range(), everything = days[0] <= span.min && days[1] >= span.max;
      fromDate.value = dayText(days[0]);
      toDate.value = dayText(days[1]);
      map.mmIncidents.setDays(everything ? null : days);
    }
    function describe() {
      var days = range(), shown = map.mmIncidents ? map.mmIncidents.shownCount : 0;
      label.textContent = dateText(days[0]) + " \u2192 " + dateText(days[1]) + " (" +
        shown.toLocaleString("en-US") + " shown)";
    }
    function later() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(apply, 120);
    }
    function clamp(day) { return Math.max(span.min, Math.min(span.max, day)); }
    /* Show days[0]..days[1] now (from a typed date, a step, the page's address). */
    function setRange(days) {
      from.value = clamp(days[0]);
      to.value = clamp(days[1]);
      apply();
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
    function dateInput(parent, day, title) {
      var input = element("input", "mm-date", null, parent);
      input.type = "date";
      input.min = dayText(span.min);
      input.max = dayText(span.max);
      input.value = dayText(day);
      input.title = title;
      input.setAttribute("aria-label", title);
      L.DomEvent.on(input, "change", function () {
        var day = Date.parse(fromDate.value), last = Date.parse(toDate.value);
        if (isNaN(day) || isNaN(last)) { return; }
        setRange([Math.round(day / DAY_MS), Math.round(last / DAY_MS)]);
      });
      return input;
    }
    /* The day `count` steps (day, week or month) after `day` (before, when count < 0). */
    function stepped(day, count) {
      var unit = stepBox.value;
      if (unit === "day") { return day + count; }
      if (unit === "week") { return day + 7 * count; }
      var date = new Date(day * DAY_MS);
      date.setUTCMonth(date.getUTCMonth() + count);
      return Math.round(date.getTime() / DAY_MS);
    }
    /* Move the window of days one step; from the whole span, the window becomes the first step. */
    function step(count) {
      var days = range();
      if (days[0] <= span.min && days[1] >= span.max) {
        days = count > 0 ? [span.min, stepped(span.min, 1) - 1] : [stepped(span.max, -1) + 1, span.max];
      } else {
        var width = days[1] - days[0];
        days = count > 0 ? [stepped(days[0], count), 0] : [stepped(days[0], count), 0];
        days[1] = days[0] + width;
      }
      if (days[0] > span.max || days[1] < span.min) { return false; }
      setRange(days);
      return range()[1] < span.max;
    }
    function play() {
      if (playing) {
        clearInterval(playing);
        playing = null;
        playButton.textContent = "\u25b6";
        playButton.title = "Play: step through the dates";
        return;
      }
      playButton.textContent = "\u23f8";
      playButton.title = "Pause";
      if (!step(1)) { play(); return; }
      playing = setInterval(function () { if (!step(1)) { play(); } }, 900);
    }
    function smallButton(parent, text, title, onClick) {
      var node = element("button", "mm-step", text, parent);
      node.type = "button";
      node.title = title;
      node.setAttribute("aria-label", title);
      L.DomEvent.on(node, "click", function (e) { L.DomEvent.preventDefault(e); onClick(); });
      return node;
    }
    // bottom of the map, between the corners that hold the other controls (see MaliMap.layout)
    var box = L.DomUtil.create("div", "mm-time", map.getContainer());
    var body = element("div", "mm-panel-body", null, box);
    from = slider(body, span.min, "first day shown");
    to = slider(body, span.max, "last day shown");
    label = element("div", "mm-time-label", dateText(span.min) + " \u2192 " + dateText(span.max), body);
    var typed = element("div", "mm-time-typed", null, body);
    var fromDate = dateInput(typed, span.min, "first day shown (type a date)");
    element("span", null, "\u2192", typed);
    var toDate = dateInput(typed, span.max, "last day shown (type a date)");
    var steps = element("div", "mm-time-steps", null, body);
    smallButton(steps, "\u25c0", "One step earlier", function () { step(-1); });
    var playButton = smallButton(steps, "\u25b6", "Play: step through the dates", play);
    smallButton(steps, "\u25b6|", "One step later", function () { step(1); });
    var stepBox = element("select", "mm-step-unit", null, steps);
    stepBox.title = "Step";
    stepBox.setAttribute("aria-label", "step of the buttons and of play");
    ["day", "week", "month"].forEach(function (unit) {
      var option = element("option", null, unit, stepBox);
      option.value = unit;
    });
    stepBox.value = span.max - span.min > 400 ? "month" : span.max - span.min > 60 ? "week" : "day";
    smallButton(steps, "All", "Show every date", function () { setRange([span.min, span.max]); });
    collapsible(box, "Dates", body, map);
    map.on("mm:filter", describe);  // after every change of dates or layers shown
    stopMapEvents(box);
    map.mmTime = box;
    MaliMap.time = { element: box, apply: apply, setRange: setRange, range: range, span: span, play: play };
    return MaliMap.time;
  };

  /* Filters besides the dates: a multi-select per --filter-by column and a range of fatalities,
     in a panel that folds (closed at first on small windows). */
  MaliMap.filterPanel = function (map, options) {
    var control = L.control({ position: "topright" });
    var selects = {}, low = null, high = null;
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "mm-filters");
      var body = element("div", "mm-panel-body", null, box);
      (options.columns || []).forEach(function (entry) {
        var column = entry[0], values = entry[1];
        element("label", "mm-filter-label", column.replace(/_/g, " "), body);
        var select = element("select", "mm-filter", null, body);
        select.multiple = true;
        select.size = Math.min(6, Math.max(2, values.length));
        select.setAttribute("data-mm-column", column);
        select.setAttribute("aria-label", "show only these values of " + column);
        values.forEach(function (pair) {
          var option = element("option", null, pair[0] + " (" + pair[1].toLocaleString("en-US") + ")", select);
          option.value = pair[0];
        });
        L.DomEvent.on(select, "change", function () {
          var picked = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
            .map(function (o) { return o.value; });
          map.mmIncidents.setValues(column, picked);
        });
        selects[column] = select;
      });
      if (options.maxFatalities) {
        element("label", "mm-filter-label", "fatalities", body);
        var row = element("div", "mm-fatal", null, body);
        function number(title, value) {
          var input = element("input", "mm-fatal-input", null, row);
          input.type = "number";
          input.min = 0;
          input.max = options.maxFatalities;
          input.value = value;
          input.title = title;
          input.setAttribute("aria-label", title);
          input.inputMode = "numeric";
          L.DomEvent.on(input, "change", applyFatal);
          return input;
        }
        low = number("fewest fatalities shown", 0);
        element("span", null, "to", row);
        high = number("most fatalities shown", options.maxFatalities);
      }
      var clear = element("button", "mm-step", "Clear filters", body);
      clear.type = "button";
      L.DomEvent.on(clear, "click", function (e) { L.DomEvent.preventDefault(e); panel.reset(); });
      collapsible(box, "Filters", body, map);
      stopMapEvents(box);
      return box;
    };
    function applyFatal() {
      var a = Math.max(0, +low.value || 0), b = high.value === "" ? Infinity : +high.value;
      var any = a <= 0 && b >= options.maxFatalities;
      map.mmIncidents.setFatalities(any ? null : [Math.min(a, b), Math.max(a, b)]);
    }
    var panel = {
      control: control,
      /* Set the inputs to `filters` ({fatalities, columns}) and apply them (the page's address). */
      set: function (filters) {
        for (var column in selects) {
          var keep = new Set(((filters.columns || {})[column]) || []);
          Array.prototype.forEach.call(selects[column].options, function (o) { o.selected = keep.has(o.value); });
          map.mmIncidents.setValues(column, Array.from(keep));
        }
        if (low && filters.fatalities) {
          low.value = filters.fatalities[0];
          high.value = filters.fatalities[1];
          applyFatal();
        }
      },
      reset: function () {
        for (var column in selects) {
          Array.prototype.forEach.call(selects[column].options, function (o) { o.selected = false; });
          map.mmIncidents.setValues(column, []);
        }
        if (low) { low.value = 0; high.value = options.maxFatalities; applyFatal(); }
      }
    };
    control.addTo(map);
    MaliMap.filters = panel;
    return panel;
  };

  // ---- search -------------------------------------------------------------

  var MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december"];

  /* Lower case, accents off, punctuation to spaces: "Ménaka (Gao)" -> " menaka gao ". */
  function fold(text) {
    return " " + String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim() + " ";
  }

  /* A date also as words, so "1 January 2019" and "2019-01-01" both find it. */
  function dateWords(value) {
    var m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(String(value));
    if (!m) { return ""; }
    return " " + (m[3] ? +m[3] + " " : "") + MONTHS[+m[2] - 1] + " " + m[1];
  }

  /* Search over the incidents shown: place, actors, notes, type and date. Every word of the
     query must appear (a number as a whole word, other words as the start of one). Built from
     the page's own data, so it works offline; the text of each incident is put together on
     first use. Choosing a result flies to the incident, opens its cluster and its popup. */
  MaliMap.searchControl = function (map, options) {
    var columns = options.columns, limit = options.limit || 30;
    var control = L.control({ position: "topleft" });
    var box, input, list, status;
    control.onAdd = function () {
      box = L.DomUtil.create("div", "mm-search");
      input = element("input", "mm-search-input", null, box);
      input.type = "search";
      input.placeholder = "Search place, actor, notes, date";
      input.setAttribute("aria-label", "search incidents by place, actor, notes or date");
      input.autocomplete = "off";
      input.spellcheck = false;
      status = element("div", "mm-search-status", null, box);
      list = element("ul", "mm-search-results", null, box);
      list.setAttribute("role", "listbox");
      L.DomEvent.on(input, "focus", function () { haystack(); });
      L.DomEvent.on(input, "input", function () { show(find(input.value)); });
      L.DomEvent.on(input, "keydown", function (e) {
        if (e.key === "Enter" && list.firstChild) { L.DomEvent.preventDefault(e); list.firstChild.click(); }
        if (e.key === "Escape") { clearResults(); }
      });
      stopMapEvents(box);
      return box;
    };
    /* One column's value for a row, folded; a column of repeated strings is folded once per string. */
    function folded(column, row) {
      if (!column) { return ""; }
      if (column.codes) {
        if (!column.mmFolded) { column.mmFolded = column.dict.map(fold); }
        var code = column.codes[row];
        return code < 0 ? "" : column.mmFolded[code];
      }
      var value = column[row];
      return present(value) ? fold(value) : "";
    }
    function text(marker) {
      if (marker.mmText === undefined) {
        var parts = "", props = marker.mmBlob.props;
        columns.forEach(function (key) { parts += folded(props[key], marker.mmRow); });
        var date = cell(props[options.dateColumn], marker.mmRow);
        marker.mmText = parts.replace(/  +/g, " ") + (present(date) ? dateWords(date).toLowerCase() + " " : "");
        marker.mmPlace = folded(props.location, marker.mmRow);
      }
      return marker.mmText;
    }
    function haystack() {
      var state = map.mmIncidents;
      if (!state) { return; }
      state.categories.forEach(function (category) { category.mmAll.forEach(text); });
    }
    /* Put the search text together a few thousand incidents at a time once the page is idle,
       so the first search does not wait for it. */
    function prepare() {
      var state = map.mmIncidents;
      if (!state) { return; }
      var all = [];
      state.categories.forEach(function (category) { all = all.concat(category.mmAll); });
      var at = 0;
      function chunk() {
        var end = Math.min(all.length, at + 3000);
        for (; at < end; at++) { text(all[at]); }
        if (at < all.length) { setTimeout(chunk, 15); }
      }
      setTimeout(chunk, 200);
    }
    map.once("mm:ready", prepare);
    /* The markers shown that match every word of `query`, places named first, then by date. */
    function find(query) {
      var words = fold(query).trim().split(" ").filter(Boolean);
      if (!words.length || !map.mmIncidents) { return { words: words, found: [], total: 0 }; }
      var needles = words.map(function (w) { return /^\d+$/.test(w) ? " " + w + " " : " " + w; });
      var found = [], total = 0;
      map.mmIncidents.shownMarkers().forEach(function (marker) {
        var hay = text(marker);
        for (var i = 0; i < needles.length; i++) { if (hay.indexOf(needles[i]) < 0) { return; } }
        total += 1;
        if (found.length < 500) { found.push(marker); }
      });
      function rank(marker) {
        var score = 0;
        needles.forEach(function (n) { if (marker.mmPlace.indexOf(n) >= 0) { score -= 1; } });
        return score;
      }
      found.sort(function (a, b) { return rank(a) - rank(b) || (b.mmDay || 0) - (a.mmDay || 0); });
      return { words: words, found: found.slice(0, limit), total: total };
    }
    function clearResults() {
      list.textContent = "";
      status.textContent = "";
    }
    function show(result) {
      clearResults();
      if (!result.words.length) { return; }
      status.textContent = result.total ? result.total.toLocaleString("en-US") + " found" +
        (result.total > result.found.length ? ", first " + result.found.length + " listed" : "")
        : "No incident shown matches";
      result.found.forEach(function (marker) {
        var props = MaliMap.properties(marker);
        var item = element("li", "mm-search-result", null, list);
        item.setAttribute("role", "option");
        item.tabIndex = 0;
        var swatch = element("span", "mm-swatch", null, item);
        swatch.style.background = marker.mmCategory.mmColour;
        element("b", null, [props[options.dateColumn], props.location].filter(present).join(" \u00b7 ") ||
          marker.mmCategory.mmName, item);
        var more = [props.event_type || marker.mmCategory.mmName, props.actor1,
                    present(props.fatalities) ? props.fatalities + " killed" : null].filter(present);
        element("span", "mm-search-more", more.join(" \u00b7 "), item);
        L.DomEvent.on(item, "click", function (e) {
          L.DomEvent.stop(e);  // the item leaves the page now: the map must not take it for a click on it
          clearResults();
          input.blur();
          MaliMap.reveal(marker);
        });
      });
    }
    control.addTo(map);
    // first in its corner, above the zoom buttons
    var corner = control.getContainer().parentNode;
    corner.insertBefore(control.getContainer(), corner.firstChild);
    MaliMap.search = { control: control, find: find, show: show, input: function () { return input; } };
    return MaliMap.search;
  };

  /* Fly to one incident, open its cluster (fanning out incidents at one point) and its popup.
     A promise of the popup. */
  MaliMap.reveal = function (marker) {
    var map = MaliMap.map, state = map.mmIncidents, group = state.group;
    // what shows the marker now: itself (a circle on the map) or the cluster icon holding it
    function shownAs() {
      if (map.hasLayer(marker)) { return marker; }
      var v = marker.__parent;
      while (v && !v._icon) { v = v.__parent; }
      return v || null;
    }
    // no cluster animations on the way (a search answers at once): Leaflet.markercluster's
    // own non-animated steps, put back when the popup is open
    var animated = group._withAnimation && group.options.animate && L.DomUtil.TRANSITION;
    function still(on) {
      if (animated) { L.extend(group, on ? group._noAnimation : group._withAnimation); }
    }
    return state.drawn().then(function () {
      return new Promise(function (resolve) {
        function done() {
          still(false);
          resolve(state.openPopup(marker));
        }
        function open() {
          var seen = shownAs();
          if (seen && seen !== marker && seen.spiderfy) {
            group.once("spiderfied", done);
            if (L.MarkerClusterNonAnimated) { seen._animationSpiderfy = L.MarkerClusterNonAnimated.prototype._animationSpiderfy; }
            seen.spiderfy();
            delete seen._animationSpiderfy;
            if (group._spiderfied !== seen) { group.off("spiderfied", done); done(); }
            return;
          }
          done();
        }
        var at = marker.getLatLng(), parent = marker.__parent;
        if (shownAs() === marker && map.getBounds().contains(at)) { open(); return; }
        var zoom = map.getZoom();
        if (parent && parent._zoom !== undefined && parent._zoom >= zoom) {
          // the zoom at which its cluster splits; incidents at one point stay together to the last zoom
          zoom = Math.min(map.getMaxZoom(), parent._zoom + 1);
        }
        map.closePopup();
        still(true);
        map.setView(at, zoom, { animate: false });
        open();
      });
    });
  };

  /* The page's address keeps what is on screen: the view, the layers switched off, the dates,
     the filters and the incident whose popup is open, so a link shows someone else the same:
     #map=ZOOM/LAT/LON&off=1,3&days=FIRST..LAST&fatal=MIN..MAX&f.COLUMN=A|B&open=CATEGORY.ROW */
  MaliMap.hashState = function (map) {
    var state = map.mmIncidents, timer = null, opened = null;
    function write() {
      var parts = [], c = map.getCenter();
      parts.push("map=" + map.getZoom() + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5));
      if (state) {
        var off = state.categories.filter(function (cat) { return !cat.mmOn; }).map(function (cat) { return cat.mmIndex; });
        if (off.length) { parts.push("off=" + off.join(",")); }
        var f = state.filters();
        if (f.days) { parts.push("days=" + dayText(f.days[0]) + ".." + dayText(f.days[1])); }
        if (f.fatalities) { parts.push("fatal=" + f.fatalities[0] + ".." + f.fatalities[1]); }
        Object.keys(f.columns).sort().forEach(function (key) {
          parts.push("f." + encodeURIComponent(key) + "=" + f.columns[key].map(encodeURIComponent).join("|"));
        });
      }
      if (opened && opened.mmCategory) { parts.push("open=" + opened.mmCategory.mmIndex + "." + opened.mmRow); }
      var hash = "#" + parts.join("&");
      if (window.location.hash !== hash) { history.replaceState(null, "", hash); }
    }
    function later() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(write, 150);
    }
    map.on("moveend mm:filter overlayadd overlayremove", later);
    map.on("popupopen", function (e) { opened = e.popup.mmMarker || null; later(); });
    map.on("popupclose", function (e) { if (e.popup.mmMarker === opened) { opened = null; later(); } });
    return { write: write };
  };

  /* What the address asks for: {view: [zoom, lat, lon], off, days, fatalities, columns, open}. */
  MaliMap.readHash = function (hash) {
    var out = { columns: {} };
    String(hash || "").replace(/^#/, "").split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at < 0) { return; }
      var key = part.slice(0, at), value = part.slice(at + 1);
      try {
        if (key === "map") {
          var v = value.split("/").map(Number);
          if (v.length === 3 && v.every(isFinite)) { out.view = v; }
        } else if (key === "off") {
          out.off = value.split(",").filter(Boolean).map(Number);
        } else if (key === "days") {
          var d = value.split("..").map(function (t) { return Math.round(Date.parse(t) / DAY_MS); });
          if (d.length === 2 && d.every(isFinite)) { out.days = d; }
        } else if (key === "fatal") {
          var n = value.split("..").map(Number);
          if (n.length === 2 && n.every(isFinite)) { out.fatalities = n; }
        } else if (key.indexOf("f.") === 0) {
          out.columns[decodeURIComponent(key.slice(2))] = value.split("|").map(decodeURIComponent);
        } else if (key === "open") {
          var o = value.split(".").map(Number);
          if (o.length === 2 && o.every(isFinite)) { out.open = o; }
        }
      } catch (error) { /* a hand-edited address: what cannot be read is left out */ }
    });
    return out;
  };

  /* Apply what the address asks for, once the markers are in (layers, filters, dates, popup). */
  function restore(map, wanted) {
    var state = map.mmIncidents;
    if (!state) { return Promise.resolve(); }
    (wanted.off || []).forEach(function (index) {
      var category = state.categories[index];
      if (category && map.hasLayer(category)) { map.removeLayer(category); }
    });
    if (MaliMap.filters) { MaliMap.filters.set({ columns: wanted.columns, fatalities: wanted.fatalities }); }
    else { for (var key in wanted.columns) { state.setValues(key, wanted.columns[key]); } }
    if (wanted.days && MaliMap.time) { MaliMap.time.setRange(wanted.days); }
    return state.drawn().then(function () {
      if (!wanted.open) { return null; }
      var category = state.categories[wanted.open[0]];
      var marker = category && category.mmAll[wanted.open[1]];
      if (!marker || state.shownMarkers().indexOf(marker) < 0) { return null; }
      return MaliMap.reveal(marker);
    });
  }

  // ---- layout -------------------------------------------------------------

  function boxOf(node, origin) {
    var r = node.getBoundingClientRect();
    return { left: r.left - origin.left, top: r.top - origin.top, right: r.right - origin.left,
             bottom: r.bottom - origin.top, width: r.width, height: r.height };
  }

  function visible(node) {
    var r = node.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }

  function cornerBox(map, vertical, horizontal, origin) {
    // the map's own corner, not one of the minimap inside it
    var corner = map.getContainer().querySelector(
      ":scope > .leaflet-control-container > .leaflet-" + vertical + ".leaflet-" + horizontal);
    var out = { left: horizontal === "left" ? 0 : Infinity, right: horizontal === "left" ? 0 : Infinity,
                top: 0, bottom: 0, width: 0, height: 0 };
    if (!corner) { return out; }
    var first = true;
    Array.prototype.forEach.call(corner.children, function (child) {
      if (!visible(child)) { return; }
      var b = boxOf(child, origin);
      if (first) { out = b; first = false; return; }
      out = { left: Math.min(out.left, b.left), right: Math.max(out.right, b.right),
              top: Math.min(out.top, b.top), bottom: Math.max(out.bottom, b.bottom) };
    });
    return out;
  }

  /* Place the title and the date panel between the corner controls, then measure every
     control and find the part of the map none of them covers where the data shows largest.
     The first view and popups use its margins (MaliMap.padding). */
  MaliMap.layout = function (map) {
    var container = map.getContainer(), origin = container.getBoundingClientRect();
    var size = map.getSize(), gap = 10;
    L.DomUtil[isSmall(map) ? "addClass" : "removeClass"](container, "mm-small");

    var title = document.querySelector(".mm-title");
    if (title) {
      var topLeft = cornerBox(map, "top", "left", origin), topRight = cornerBox(map, "top", "right", origin);
      var left = topLeft.right + gap, right = Math.min(topRight.left, size.x) - gap;
      var room = Math.max(120, right - left);
      title.style.maxWidth = room + "px";
      title.style.transform = "none";
      title.style.left = (origin.left + left) + "px";  // first, so the width is measured with all the room
      var width = title.getBoundingClientRect().width;
      title.style.left = (origin.left + left + Math.max(0, (room - width) / 2)) + "px";
      title.style.top = (origin.top + gap) + "px";
    }
    var time = map.mmTime;
    if (time) {
      var bottomLeft = cornerBox(map, "bottom", "left", origin);
      var bottomRight = cornerBox(map, "bottom", "right", origin);
      var from = bottomLeft.right + gap, to = Math.min(bottomRight.left, size.x) - gap;
      time.style.transform = "none";
      time.style.left = gap + "px";
      time.style.maxWidth = Math.max(140, to - from) + "px";
      var timeWidth = time.getBoundingClientRect().width;
      if (to - from >= timeWidth) {
        time.style.left = (from + (to - from - timeWidth) / 2) + "px";
        time.style.bottom = gap + "px";
      } else {  // no room between the corners: above the taller of them, centred
        time.style.maxWidth = (size.x - 2 * gap) + "px";
        timeWidth = time.getBoundingClientRect().width;
        time.style.left = Math.max(gap, (size.x - timeWidth) / 2) + "px";
        time.style.bottom = (size.y - Math.min(bottomLeft.top, bottomRight.top) + gap) + "px";
      }
    }

    var pad = freeRectangle(MaliMap.controlBoxes(map), size, gap, dataSize(map, map.mmBounds));
    MaliMap.padding.topLeft.x = Math.round(pad.left);
    MaliMap.padding.topLeft.y = Math.round(pad.top);
    MaliMap.padding.bottomRight.x = Math.round(pad.right);
    MaliMap.padding.bottomRight.y = Math.round(pad.bottom);
    return MaliMap.padding;
  };

  /* The size in pixels at zoom 0 of the data's bounds (none: a point). */
  function dataSize(map, bounds) {
    if (!bounds) { return L.point(0, 0); }
    var a = map.project(bounds[0], 0), b = map.project(bounds[1], 0);
    return L.point(Math.abs(b.x - a.x), Math.abs(b.y - a.y));
  }

  /* The rectangle free of every control box in which the data can be drawn largest (ties: the
     larger rectangle), as margins {left, top, right, bottom}. Its sides can only lie on the
     window's edges or on a control's edge, so trying those few is enough. */
  function freeRectangle(boxes, size, gap, data) {
    var lefts = [gap], rights = [size.x - gap], tops = [gap], bottoms = [size.y - gap];
    boxes.forEach(function (b) {
      lefts.push(b.right + gap); rights.push(b.left - gap); tops.push(b.top === undefined ? gap : b.bottom + gap);
      bottoms.push(b.top - gap);
    });
    function clear(l, t, r, btm) {
      for (var i = 0; i < boxes.length; i++) {
        var b = boxes[i];
        if (l < b.right && b.left < r && t < b.bottom && b.top < btm) { return false; }
      }
      return true;
    }
    var best = null, bestZoom = -Infinity, bestArea = -1;
    lefts.forEach(function (l) {
      rights.forEach(function (r) {
        if (r - l < 60) { return; }
        tops.forEach(function (t) {
          bottoms.forEach(function (btm) {
            if (btm - t < 60 || !clear(l, t, r, btm)) { return; }
            var scale = Math.min(data.x ? (r - l) / data.x : Infinity, data.y ? (btm - t) / data.y : Infinity);
            var zoom = Math.min(Math.floor(Math.log2(scale)), 30), area = (r - l) * (btm - t);
            if (zoom > bestZoom || (zoom === bestZoom && area > bestArea)) {
              best = [l, t, r, btm];
              bestZoom = zoom;
              bestArea = area;
            }
          });
        });
      });
    });
    if (!best) { return { left: gap, top: gap, right: gap, bottom: gap }; }
    return { left: best[0], top: best[1], right: size.x - best[2], bottom: size.y - best[3] };
  }

  /* The boxes (relative to the map) of every control shown on the map, title and dates included. */
  MaliMap.controlBoxes = function (map) {
    var container = map.getContainer(), origin = container.getBoundingClientRect();
    var nodes = Array.prototype.slice.call(container.querySelectorAll(".leaflet-control, .mm-time"));
    var title = document.querySelector(".mm-title");
    if (title) { nodes.push(title); }
    return nodes.filter(visible).map(function (node) {
      var b = boxOf(node, origin);
      b.node = node;
      return b;
    });
  };

  /* Fit the view to the data, clear of the controls, and say so once the markers are drawn
     (tests and benchmarks wait for data-mm-ready). */
  MaliMap.fit = function (map, bounds) {
    MaliMap.map = map;
    map.mmBounds = bounds;
    // a figure to print (mali-map map --png): no controls, the whole legend (see mali_map.css)
    if (window.mmPrint) { L.DomUtil.addClass(document.body, "mm-print"); }
    MaliMap.layout(map);
    var wanted = window.mmPrint ? { columns: {} } : MaliMap.readHash(window.location.hash);
    if (wanted.view) {
      map.setView([wanted.view[1], wanted.view[2]], wanted.view[0], { animate: false });
    } else if (bounds) {
      map.fitBounds(bounds, {
        paddingTopLeft: MaliMap.padding.topLeft, paddingBottomRight: MaliMap.padding.bottomRight,
        maxZoom: 11, animate: false
      });
    }
    var timer = null;
    map.mmRelayout = function () { MaliMap.layout(map); };
    window.addEventListener("resize", function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(map.mmRelayout, 150);
    });
    Promise.all(MaliMap.pending).then(function () {
      var incidents = map.mmIncidents;
      if (!incidents) { return null; }
      incidents.show();
      return incidents.drawn();
    }).then(function () {
      document.body.setAttribute("data-mm-ready", "1");
      map.fire("mm:ready");
      return restore(map, wanted);
    }).then(function () {
      if (!window.mmPrint) { MaliMap.hashState(map); }
      document.body.setAttribute("data-mm-restored", "1");
    });
  };

  window.MaliMap = MaliMap;
})(window, window.L);
