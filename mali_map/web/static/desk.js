// The desk page: talks to the JSON API of the same server, builds every element with textContent
// (never innerHTML), so text from a report or a table is shown as text, never run.
(function () {
  "use strict";
  var MAX_TEXT_BYTES = 2 * 1024 * 1024;

  function $(id) { return document.getElementById(id); }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function status(id, text, isError) {
    var node = $(id);
    node.textContent = text || "";
    node.classList.toggle("error", !!isError);
  }

  function answerOf(response) {
    return response.text().then(function (body) {
      var data;
      try { data = JSON.parse(body); } catch (e) { data = { error: "the server answered " + response.status }; }
      if (!response.ok) throw new Error(data.error || ("the server answered " + response.status));
      return data;
    });
  }

  function postJSON(path, body) {
    return fetch(path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      credentials: "same-origin"
    }).then(answerOf);
  }

  function counted(count, noun) { return count + " " + noun + (count === 1 ? "" : "s"); }

  function verdictBadge(verdict) { return el("span", verdict, "verdict " + verdict); }

  // A dropped or chosen .txt file as text: UTF-8, else Windows-1252; a NUL byte means it is not text.
  function readText(file) {
    if (file.size > MAX_TEXT_BYTES) return Promise.reject(new Error("file too large: at most 2 MB of text"));
    return file.arrayBuffer().then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (bytes.indexOf(0) >= 0) throw new Error(file.name + ": binary file, expected a text");
      try { return new TextDecoder("utf-8", { fatal: true }).decode(bytes); }
      catch (e) { return new TextDecoder("windows-1252").decode(bytes); }
    });
  }

  function onDrop(target, handle) {
    target.addEventListener("dragover", function (event) { event.preventDefault(); target.classList.add("over"); });
    target.addEventListener("dragleave", function () { target.classList.remove("over"); });
    target.addEventListener("drop", function (event) {
      event.preventDefault();
      target.classList.remove("over");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files.length) handle(files[0]);
    });
  }

  // ---- the report ---------------------------------------------------------------------------------------
  var report = { text: "", corrections: {}, originals: {} };

  function readReport(fresh) {
    if (fresh) {
      report.text = $("report-text").value;
      report.corrections = {};
      report.originals = {};
    }
    if (!report.text.trim()) { status("report-status", "Paste a report first.", true); return; }
    var corrections = Object.keys(report.corrections).map(function (text) {
      return { text: text, alternative: report.corrections[text] };
    });
    status("report-status", "Reading the report…");
    $("report-go").disabled = true;
    postJSON("/api/article", { text: report.text, corrections: corrections }).then(function (answer) {
      showReport(answer);
      status("report-status", "Read: " + counted(answer.places, "place mention") + ", " +
        counted(answer.incidents, "incident") + ", " + counted(answer.claims.length, "claim") + ".");
    }).catch(function (error) {
      status("report-status", error.message, true);
    }).finally(function () { $("report-go").disabled = false; });
  }

  function showReport(answer) {
    $("report-results").hidden = false;
    $("report-heading").textContent = answer.title;
    var claims = $("report-claims");
    claims.replaceChildren();
    if (!answer.claims.length) claims.appendChild(el("li", "No distance or direction claim found."));
    answer.claims.forEach(function (claim) {
      var item = el("li");
      item.appendChild(verdictBadge(claim.verdict));
      item.appendChild(document.createTextNode(" " + claim.text));
      item.appendChild(el("span", claim.explanation, "explanation"));
      claims.appendChild(item);
    });
    showPlaces(answer.mentions);
    var incidents = $("report-incidents");
    incidents.replaceChildren();
    var features = answer.incidents_geojson.features;
    if (!features.length) incidents.appendChild(el("li", "No incident found."));
    features.forEach(function (feature) {
      var p = feature.properties;
      incidents.appendChild(el("li", [p.date || "undated", p.place || "unplaced", p.category, p.description]
        .filter(Boolean).join(" · ")));
    });
    $("report-map").src = answer.map;
    $("report-zip").href = answer.zip;
  }

  function placeLabel(name, country) { return name + (country ? " (" + country + ")" : ""); }

  function showPlaces(mentions) {
    var list = $("report-places");
    list.replaceChildren();
    var seen = {};
    mentions.forEach(function (mention, index) {
      if (seen[mention.text]) return;
      seen[mention.text] = true;
      if (!(mention.text in report.originals)) {
        report.originals[mention.text] = { name: mention.name, country: mention.country_code,
          alternatives: mention.alternatives };
      }
      var original = report.originals[mention.text];
      var item = el("li");
      item.appendChild(el("strong", "“" + mention.text + "”"));
      var where = mention.name ? placeLabel(mention.name, mention.country_code) + ", confidence " +
        mention.confidence.toFixed(2) + (mention.source === "reader" ? " (your choice)" : "") : "unresolved";
      item.appendChild(el("span", "→ " + where, "where"));
      if (original.alternatives.length) {
        var id = "place-choice-" + index;
        var label = el("label", "Place for “" + mention.text + "”");
        label.htmlFor = id;
        var select = el("select");
        select.id = id;
        select.appendChild(new Option(placeLabel(original.name, original.country) + " (as read)", ""));
        original.alternatives.forEach(function (alt, number) {
          select.appendChild(new Option(placeLabel(alt.name, alt.country_code) + ", score " +
            alt.score.toFixed(2), String(number)));
        });
        var chosen = report.corrections[mention.text];
        select.value = chosen === undefined ? "" : String(chosen);
        select.addEventListener("change", function () {
          if (select.value === "") delete report.corrections[mention.text];
          else report.corrections[mention.text] = Number(select.value);
          readReport(false);
        });
        item.appendChild(label);
        item.appendChild(select);
      }
      list.appendChild(item);
    });
  }

  function loadReportFile(file) {
    readText(file).then(function (text) {
      $("report-text").value = text;
      readReport(true);
    }).catch(function (error) { status("report-status", error.message, true); });
  }

  $("report-go").addEventListener("click", function () { readReport(true); });
  $("report-file").addEventListener("change", function (event) {
    if (event.target.files.length) loadReportFile(event.target.files[0]);
  });
  onDrop($("report-text"), loadReportFile);

  // ---- one claim ------------------------------------------------------------------------------------------
  function checkClaim() {
    var text = $("claim-text").value;
    if (!text.trim()) { status("claim-status", "Type a claim first.", true); return; }
    status("claim-status", "Checking…");
    postJSON("/api/check", { text: text, map: true }).then(function (answer) {
      var claim = answer.claims[0];
      $("claim-results").hidden = false;
      var verdict = $("claim-verdict");
      verdict.textContent = claim.verdict;
      verdict.className = "verdict " + claim.verdict;
      $("claim-explanation").textContent = claim.explanation;
      $("claim-line").value = claim.line;
      $("claim-map").src = answer.map;
      status("claim-status", answer.claims.length > 1 ? answer.claims.length + " claims; the first is shown." : "");
    }).catch(function (error) {
      $("claim-results").hidden = true;
      status("claim-status", error.message, true);
    });
  }
  $("claim-go").addEventListener("click", checkClaim);
  $("claim-text").addEventListener("keydown", function (event) { if (event.key === "Enter") checkClaim(); });
  $("claim-copy").addEventListener("click", function () {
    var line = $("claim-line");
    line.select();
    var done = function () { status("claim-status", "Copied."); };
    if (navigator.clipboard) navigator.clipboard.writeText(line.value).then(done, function () { document.execCommand("copy"); done(); });
    else { document.execCommand("copy"); done(); }
  });

  // ---- the incident table ---------------------------------------------------------------------------------
  var table = { file: null, rows: [] };

  function chooseTable(file) {
    table.file = file;
    $("table-name").textContent = file.name + " (" + Math.ceil(file.size / 1024) + " KB)";
    mapTable();
  }

  function fillColumns(select, columns, keepEmpty) {
    var chosen = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
      .map(function (o) { return o.value; });
    select.replaceChildren();
    if (keepEmpty) select.appendChild(new Option("(default)", ""));
    columns.forEach(function (column) {
      var option = new Option(column, column);
      option.selected = chosen.indexOf(column) >= 0;
      select.appendChild(option);
    });
  }

  function mapTable() {
    if (!table.file) { status("table-status", "Choose a table first.", true); return; }
    var form = new FormData();
    form.append("file", table.file, table.file.name);
    if ($("table-layer").value) form.append("layer_by", $("table-layer").value);
    if ($("table-time").value) form.append("time", $("table-time").value);
    Array.prototype.forEach.call($("table-filter").selectedOptions, function (o) { form.append("filter_by", o.value); });
    if ($("table-title-input").value.trim()) form.append("title", $("table-title-input").value.trim());
    status("table-status", "Mapping the table…");
    $("table-go").disabled = true;
    fetch("/api/map", { method: "POST", body: form, credentials: "same-origin" }).then(answerOf).then(function (answer) {
      fillColumns($("table-layer"), answer.columns, true);
      fillColumns($("table-time"), answer.columns, true);
      fillColumns($("table-filter"), answer.columns, false);
      $("table-results").hidden = false;
      var reasons = Object.keys(answer.rejected_by_reason).map(function (k) { return answer.rejected_by_reason[k] + " " + k; });
      $("table-summary").textContent = counted(answer.incidents, "incident") + " on " + counted(answer.layers, "layer") + "; " +
        (answer.rejected ? counted(answer.rejected, "row") + " rejected (" + reasons.join(", ") + "), listed in the zip." : "no rows rejected.");
      $("table-map").src = answer.output;
      $("table-zip").href = answer.zip;
      table.rows = answer.rows || [];
      findIncidents();
      status("table-status", "Mapped.");
    }).catch(function (error) {
      status("table-status", error.message, true);
    }).finally(function () { $("table-go").disabled = false; });
  }

  function findIncidents() {
    var words = $("table-find").value.toLowerCase().split(/\s+/).filter(Boolean);
    var list = $("table-rows");
    list.replaceChildren();
    var found = table.rows.filter(function (row) {
      var text = Object.keys(row).map(function (k) { return row[k]; }).join(" ").toLowerCase();
      return words.every(function (w) { return text.indexOf(w) >= 0; });
    });
    found.slice(0, 50).forEach(function (row) {
      var parts = ["event_date", "location", "admin1", "event_type", "actor1", "fatalities", "notes"]
        .filter(function (k) { return row[k]; }).map(function (k) { return row[k]; });
      list.appendChild(el("li", parts.length ? parts.join(" · ") : JSON.stringify(row)));
    });
    var shown = found.length > 50 ? " (the first 50 shown)." : ".";
    $("table-found").textContent = words.length ? counted(found.length, "incident") + " match" + (found.length === 1 ? "es" : "") + shown :
      counted(table.rows.length, "incident") + shown;
  }

  $("table-file").addEventListener("change", function (event) {
    if (event.target.files.length) chooseTable(event.target.files[0]);
  });
  onDrop($("table-drop"), chooseTable);
  $("table-go").addEventListener("click", mapTable);
  $("table-find").addEventListener("input", findIncidents);
})();
