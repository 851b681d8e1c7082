"""The script and style of the hexagon page (:mod:`.hexbin`): Leaflet on a canvas, no other library.

The script reads ``HEX_DATA`` and, on every move or filter change, sums the
records of the resolution that suits the zoom over the ticked event types and
the months inside the time range, then draws the cells in view (colour: count on
a log scale; tooltip: count, fatalities, event types). From ``pointZoom`` the
sparse cells of the finest resolution show their points instead. Names coming
from the data reach the page as text nodes only, never as HTML.
"""

PAGE_STYLE = """
html, body { margin: 0; height: 100%; font: 13px/1.4 system-ui, sans-serif; }
#map { position: absolute; inset: 0; background: #cfe3ef; }
#panel { position: absolute; top: 10px; right: 10px; z-index: 1000; background: #fff; padding: 8px 10px;
  border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 260px; max-height: 80vh; overflow: auto; }
#panel h1 { font-size: 14px; margin: 0 0 6px; }
#layers label { display: block; }
#time input { width: 100%; }
#status { margin-top: 6px; color: #444; }
"""

PAGE_SCRIPT = r"""
(function () {
  const D = HEX_DATA, S = D.scale;
  const map = L.map('map', { preferCanvas: true });
  const canvas = L.canvas({ padding: 0.2 });
  L.geoJSON(D.outlines, { interactive: false,
    style: { color: '#888', weight: 1, fillColor: '#f4f1ea', fillOpacity: 1 } }).addTo(map);
  if (D.bounds) map.fitBounds(D.bounds); else map.setView([17, -4], 5);
  const on = D.layers.map(() => true);
  const layersDiv = document.getElementById('layers');
  D.layers.forEach((name, i) => {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox'; box.checked = true; box.dataset.layer = String(i);
    box.addEventListener('change', () => { on[i] = box.checked; draw(); });
    label.append(box, ' ' + (name || '(no type)'));
    layersDiv.append(label);
  });
  const timeDiv = document.getElementById('time');
  let lo = 0, hi = Math.max(0, D.months.length - 1);
  const slider = (value, name) => {
    const r = document.createElement('input');
    r.type = 'range'; r.min = 0; r.max = hi; r.value = value; r.name = name;
    r.addEventListener('input', () => {
      lo = Math.min(+from.value, +to.value); hi = Math.max(+from.value, +to.value); showTime(); draw();
    });
    timeDiv.append(r);
    return r;
  };
  const from = slider(0, 'from'), to = slider(hi, 'to');
  const timeLabel = document.createElement('div');
  timeDiv.append(timeLabel);
  const showTime = () => {
    timeLabel.textContent = (D.months[lo] || 'undated') + ' to ' + (D.months[hi] || 'undated');
  };
  showTime();
  const status = document.getElementById('status');
  const group = L.layerGroup().addTo(map);
  const colour = (t) => 'hsl(' + Math.round(50 - 50 * t) + ',90%,' + Math.round(70 - 35 * t) + '%)';
  const levelFor = (zoom) => {
    let best = D.levels[0];
    for (const level of D.levels) if (zoom >= level.zoom) best = level;
    return best;
  };
  const tip = (count, fatalities, types) => {
    const div = document.createElement('div');
    const lines = [count + ' incidents, ' + fatalities + ' fatalities'];
    Object.entries(types || {}).sort((a, b) => b[1] - a[1]).slice(0, 6)
      .forEach(([layer, n]) => lines.push((D.layers[layer] || '(no type)') + ': ' + n));
    lines.forEach((line) => { const p = document.createElement('div'); p.textContent = line; div.append(p); });
    return div;
  };
  function draw() {
    group.clearLayers();
    if (!D.levels.length) { document.body.dataset.ready = '1'; return; }
    const zoom = map.getZoom(), level = levelFor(zoom), view = map.getBounds().pad(0.1);
    const size = level.cells.length, counts = new Float64Array(size), dead = new Float64Array(size), types = {};
    for (const [c, layer, month, n, f] of level.records) {
      if (!on[layer] || month < lo || month > hi) continue;
      counts[c] += n; dead[c] += f;
      const t = types[c] || (types[c] = {}); t[layer] = (t[layer] || 0) + n;
    }
    const finest = level === D.levels[D.levels.length - 1];
    const pointsShown = finest && zoom >= D.pointZoom && D.points.length > 0;
    const pointCells = new Set(pointsShown ? D.points.map((p) => p[5]) : []);
    let top = 1;
    for (const v of counts) if (v > top) top = v;
    let cells = 0, points = 0, shown = 0;
    for (let c = 0; c < size; c++) {
      if (!counts[c] || pointCells.has(c)) continue;
      const ring = level.outlines[c], latlngs = [];
      for (let i = 0; i < ring.length; i += 2) latlngs.push([ring[i] / S, ring[i + 1] / S]);
      if (!view.intersects(L.latLngBounds(latlngs))) continue;
      const t = Math.log1p(counts[c]) / Math.log1p(top);
      const n = counts[c], f = dead[c], ty = types[c];
      L.polygon(latlngs, { renderer: canvas, weight: 0.6, color: '#6b2a10', fillColor: colour(t), fillOpacity: 0.8 })
        .bindTooltip(() => tip(n, f, ty)).addTo(group);
      cells++; shown += n;
    }
    if (pointsShown) {
      for (const p of D.points) {
        if (!on[p[2]] || p[3] < lo || p[3] > hi) continue;
        const latlng = [p[0] / S, p[1] / S];
        if (!view.contains(latlng)) continue;
        const label = (D.layers[p[2]] || '(no type)') + ', ' + (D.months[p[3]] || 'undated') + ', '
          + p[4] + ' fatalities';
        L.circleMarker(latlng, { renderer: canvas, radius: 4, weight: 1, color: '#222', fillColor: '#d7301f',
          fillOpacity: 0.9 })
          .bindTooltip(() => { const d = document.createElement('div'); d.textContent = label; return d; })
          .addTo(group);
        points++; shown++;
      }
    }
    status.textContent = shown.toLocaleString() + ' incidents in view: ' + cells + ' hexagons (H3 resolution '
      + level.resolution + ')' + (points ? ', ' + points + ' points' : '') + '. '
      + D.rows.toLocaleString() + ' in all.';
    Object.assign(document.body.dataset, { ready: '1', cells: String(cells), points: String(points),
      resolution: String(level.resolution), shown: String(shown) });
  }
  map.on('moveend', draw);
  window.hexMap = map;  // for scripts driving the page (and the tests)
  draw();
})();
"""
