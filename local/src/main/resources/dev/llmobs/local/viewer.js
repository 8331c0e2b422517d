"use strict";
/* The trace viewer: a model (pure functions over the spans, evaluations and invocations the intake received) and a
   view (three panes: traces, the chosen trace's waterfall, the chosen span's detail). No framework, nothing fetched
   except /data.json when served live by `llmobs-local intake`. */
var LlmobsModel = (function () {
  function tagsOf(span) {
    var out = {};
    (span.tags || []).forEach(function (t) {
      var i = String(t).indexOf(":");
      if (i > 0) out[t.slice(0, i)] = t.slice(i + 1);
    });
    return out;
  }
  function kindOf(span) { return ((span.meta || {}).span || {}).kind || "task"; }
  function num(x) { var n = Number(x); return isFinite(n) ? n : 0; }

  /* Spans grouped into traces, each with its tree in display order and the figures the list shows. */
  function buildTraces(data) {
    var byId = new Map();
    (data.spans || []).forEach(function (s) {
      var id = String(s.trace_id);
      if (!byId.has(id)) byId.set(id, []);
      byId.get(id).push(s);
    });
    var traces = [];
    byId.forEach(function (spans, id) { traces.push(trace(id, spans)); });
    var seen = new Set();
    traces.forEach(function (t) { if (t.requestId) seen.add(t.requestId); });
    (data.invocations || []).forEach(function (inv) {
      if (seen.has(inv.request_id)) {
        traces.forEach(function (t) { if (t.requestId === inv.request_id) t.invocation = inv; });
        return;
      }
      traces.push({ id: "invocation " + inv.request_id, spans: [], rows: [], root: null, name: inv.function_name || "invocation",
        start: num(inv.start_ns), duration: num(inv.duration_ns), error: inv.outcome !== "ok", tokens: 0,
        session: null, mlApp: null, kinds: new Set(), requestId: inv.request_id, invocation: inv });
    });
    traces.sort(function (a, b) { return a.start - b.start; });
    return traces;
  }

  function trace(id, spans) {
    var ids = new Set(spans.map(function (s) { return String(s.span_id); }));
    var children = new Map();
    var roots = [];
    spans.forEach(function (s) {
      var p = String(s.parent_id);
      if (!ids.has(p) || p === String(s.span_id)) roots.push(s);
      else {
        if (!children.has(p)) children.set(p, []);
        children.get(p).push(s);
      }
    });
    var byStart = function (a, b) { return num(a.start_ns) - num(b.start_ns); };
    if (!roots.length) roots.push(spans.slice().sort(byStart)[0]); /* every span has a parent here: a cycle */
    roots.sort(byStart);
    children.forEach(function (c) { c.sort(byStart); });
    var rows = [], placed = new Set();
    var stack = roots.slice().reverse().map(function (s) { return [s, 0]; });
    while (stack.length) { /* depth first without recursion: a deep trace cannot overflow the stack */
      var top = stack.pop(), s = top[0], sid = String(s.span_id);
      if (placed.has(s)) continue;
      placed.add(s);
      rows.push({ span: s, depth: top[1] });
      var c = children.get(sid) || [];
      for (var i = c.length - 1; i >= 0; i--) stack.push([c[i], top[1] + 1]);
    }
    spans.forEach(function (s) { if (!placed.has(s)) rows.push({ span: s, depth: 0 }); }); /* a cycle: still shown */
    var start = Infinity, end = -Infinity, tokens = 0, error = false, kinds = new Set(), session = null;
    spans.forEach(function (s) {
      start = Math.min(start, num(s.start_ns));
      end = Math.max(end, num(s.start_ns) + num(s.duration));
      var k = kindOf(s);
      kinds.add(k);
      if (k === "llm" || k === "embedding") tokens += num((s.metrics || {}).input_tokens) + num((s.metrics || {}).output_tokens);
      if (s.status === "error") error = true;
      if (!session && s.session_id) session = s.session_id;
    });
    var root = roots[0];
    var tags = tagsOf(root);
    return { id: id, spans: spans, rows: rows, root: root, name: root.name, start: start, duration: end - start,
      error: error, tokens: tokens, session: session, mlApp: tags.ml_app || null, kinds: kinds,
      requestId: tags.request_id || null };
  }

  /* The evaluations that name this span: by span id, by a tag the span carries, or the whole trace at its root. */
  function evaluationsFor(span, trace, evaluations) {
    var tags = tagsOf(span), isRoot = trace.root === span;
    return (evaluations || []).filter(function (e) {
      var j = e.join_on || {};
      if (j.span) return String(j.span.span_id) === String(span.span_id) && String(j.span.trace_id) === String(span.trace_id);
      if (j.tag) return tags[j.tag.key] === String(j.tag.value);
      if (j.trace) return isRoot && String(j.trace.trace_id) === String(span.trace_id);
      return false;
    });
  }

  function evaluationValue(e) {
    var v = e[e.metric_type + "_value"];
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  }

  function filterTraces(traces, f) {
    return traces.filter(function (t) {
      if (f.kind && !t.kinds.has(f.kind)) return false;
      if (f.error && !t.error) return false;
      if (f.session && t.session !== f.session) return false;
      if (f.text) {
        var q = f.text.toLowerCase();
        if (!t.spans.some(function (s) { return String(s.name).toLowerCase().indexOf(q) >= 0; })
            && String(t.name).toLowerCase().indexOf(q) < 0) return false;
      }
      return true;
    });
  }

  function formatDuration(ns) {
    ns = num(ns);
    if (ns >= 1e9) return (ns / 1e9).toFixed(2) + " s";
    if (ns >= 1e6) return (ns / 1e6).toFixed(2) + " ms";
    return (ns / 1e3).toFixed(0) + " µs";
  }

  return { buildTraces: buildTraces, evaluationsFor: evaluationsFor, evaluationValue: evaluationValue,
    filterTraces: filterTraces, formatDuration: formatDuration, tagsOf: tagsOf, kindOf: kindOf };
})();

(function () {
  var M = LlmobsModel;
  var data = JSON.parse(document.getElementById("llmobs-data").textContent || "{}");
  var traces = [], shown = [], current = null, currentRow = -1, received = -1;
  var $ = function (id) { return document.getElementById(id); };

  function esc(x) {
    return String(x == null ? "" : x).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function json(x) { return esc(typeof x === "string" ? x : JSON.stringify(x, null, 2)); }

  function load(d) {
    data = d;
    traces = M.buildTraces(d);
    var kinds = new Set(), sessions = new Set();
    traces.forEach(function (t) { t.kinds.forEach(function (k) { kinds.add(k); }); if (t.session) sessions.add(t.session); });
    fillSelect($("f-kind"), kinds);
    fillSelect($("f-session"), sessions);
    var n = (d.spans || []).length;
    $("summary").textContent = traces.length + " traces, " + n + " spans, " + (d.evaluations || []).length + " evaluations"
      + (window.LLMOBS_LIVE ? " (live)" : "");
    renderList();
  }

  function fillSelect(sel, values) {
    var keep = sel.value, html = '<option value="">any</option>';
    Array.from(values).sort().forEach(function (v) { html += '<option value="' + esc(v) + '">' + esc(v) + "</option>"; });
    sel.innerHTML = html;
    sel.value = keep;
  }

  function filters() {
    return { kind: $("f-kind").value, error: $("f-error").checked, session: $("f-session").value, text: $("f-text").value };
  }

  function renderList() {
    shown = M.filterTraces(traces, filters());
    var html = "";
    shown.forEach(function (t, i) {
      var when = t.start ? new Date(t.start / 1e6).toISOString().replace("T", " ").slice(0, 23) : "";
      var status = t.invocation && t.invocation.outcome !== "ok" && t.spans.length === 0
          ? '<span class="err">' + esc(t.invocation.outcome) + "</span>"
          : t.error ? '<span class="err">error</span>' : "ok";
      html += '<div class="row' + (current === t ? " sel" : "") + '" role="option" tabindex="' + (i === 0 ? 0 : -1)
        + '" data-i="' + i + '"><div><b>' + esc(t.name) + "</b> · " + M.formatDuration(t.duration) + " · " + status
        + '</div><div class="sub">' + esc(when) + " · " + t.spans.length + " spans"
        + (t.tokens ? " · " + t.tokens + " tokens" : "") + (t.session ? " · session " + esc(t.session) : "")
        + (t.mlApp ? " · " + esc(t.mlApp) : "") + "</div></div>";
    });
    $("traces").innerHTML = html || '<div class="empty">No traces' + (traces.length ? " match the filters." : " yet.") + "</div>";
    if (current && shown.indexOf(current) < 0) { current = null; $("waterfall").innerHTML = ""; }
  }

  function openTrace(i, focus) {
    current = shown[i];
    if (!current) return;
    Array.from($("traces").children).forEach(function (r, j) { r.classList.toggle("sel", j === i); r.tabIndex = j === i ? 0 : -1; });
    var t = current, f = filters(), html = "";
    if (t.invocation && t.spans.length === 0) {
      html = '<div class="empty"><span class="err">' + esc(t.invocation.outcome) + "</span>: " + esc(t.invocation.error || "")
        + "<br>No span of this invocation arrived: the function was stopped before its spans were flushed, as Lambda"
        + " stops it.</div>";
    }
    var span = t.duration || 1;
    t.rows.forEach(function (r, j) {
      var s = r.span, k = M.kindOf(s);
      var left = (Number(s.start_ns) - t.start) / span * 100, width = Number(s.duration) / span * 100;
      var dim = (f.kind && k !== f.kind) || (f.error && s.status !== "error")
          || (f.text && String(s.name).toLowerCase().indexOf(f.text.toLowerCase()) < 0);
      html += '<div class="row' + (dim ? " dim" : "") + '" role="option" tabindex="' + (j === 0 ? 0 : -1) + '" data-j="' + j
        + '"><div class="name" style="padding-left:' + (r.depth * 14) + 'px"><span class="kind k-' + esc(k) + '">' + esc(k)
        + "</span> " + esc(s.name) + (s.status === "error" ? ' <span class="err">!</span>' : "")
        + '</div><div class="track"><div class="bar ' + (s.status === "error" ? "b-error" : "b-" + esc(k))
        + '" style="left:' + left.toFixed(3) + "%;width:" + width.toFixed(3) + '%"></div></div><div class="dur">'
        + M.formatDuration(s.duration) + "</div></div>";
    });
    $("waterfall").innerHTML = html;
    currentRow = -1;
    if (t.rows.length) openSpan(0, focus);
    else $("detail").innerHTML = "";
  }

  function openSpan(j, focus) {
    var rows = $("waterfall").querySelectorAll(".row");
    if (!current || !current.rows[j]) return;
    if (rows[currentRow]) { rows[currentRow].classList.remove("sel"); rows[currentRow].tabIndex = -1; }
    currentRow = j;
    rows[j].classList.add("sel");
    rows[j].tabIndex = 0;
    if (focus) rows[j].focus();
    $("detail").innerHTML = detail(current.rows[j].span, current);
  }

  function messages(list) {
    return list.map(function (m) {
      var role = m.role || "message", html = '<div class="msg ' + esc(role) + '"><span class="role">' + esc(role) + "</span>";
      if (m.content) html += esc(m.content);
      (m.tool_calls || []).forEach(function (c) {
        html += '<div class="call">→ ' + esc(c.name) + (c.tool_id ? " [" + esc(c.tool_id) + "]" : "") + " "
          + json(c.arguments == null ? {} : c.arguments) + "</div>";
      });
      (m.tool_results || []).forEach(function (r) {
        html += '<div class="call">← ' + (r.name ? esc(r.name) + " " : "") + (r.tool_id ? "[" + esc(r.tool_id) + "] " : "")
          + esc(r.result) + "</div>";
      });
      return html + "</div>";
    }).join("");
  }

  function documents(list) {
    return list.map(function (d) {
      return '<div class="doc">' + (d.score != null ? '<span class="score">score ' + esc(d.score) + "</span>" : "")
        + "<b>" + esc(d.name || d.id || "document") + "</b>" + (d.id && d.name ? " · " + esc(d.id) : "")
        + (d.text ? "<div>" + esc(d.text) + "</div>" : "") + "</div>";
    }).join("");
  }

  function io(title, x) {
    if (!x) return "";
    var html = "";
    if (x.messages) html += messages(x.messages);
    if (x.documents) html += documents(x.documents);
    if (x.value != null) html += "<pre>" + json(x.value) + "</pre>";
    if (x.prompt) html += "<h3>prompt</h3><pre>" + json(x.prompt) + "</pre>";
    return html ? "<h3>" + title + "</h3>" + html : "";
  }

  function detail(s, t) {
    var meta = s.meta || {}, k = M.kindOf(s), html = "";
    html += '<h2><span class="kind k-' + esc(k) + '">' + esc(k) + "</span> " + esc(s.name) + "</h2>";
    html += '<div class="note">' + M.formatDuration(s.duration) + " · " + (s.status === "error" ? '<span class="err">error</span>' : "ok")
      + (meta.model_name ? " · " + esc(meta.model_provider || "") + " " + esc(meta.model_name) : "")
      + (s.session_id ? " · session " + esc(s.session_id) : "") + " · span " + esc(s.span_id) + "</div>";
    if (meta.error) {
      html += '<h3>error</h3><div class="err">' + esc(meta.error.type) + ": " + esc(meta.error.message) + "</div>";
      if (meta.error.stack) html += '<pre class="stack">' + esc(meta.error.stack) + "</pre>";
    }
    html += io("input", meta.input) + io("output", meta.output);
    if (meta.tool_definitions) html += "<h3>tools offered</h3><pre>" + json(meta.tool_definitions) + "</pre>";
    var metrics = s.metrics || {};
    if (Object.keys(metrics).length) {
      html += "<h3>metrics</h3><table>" + Object.keys(metrics).map(function (m) {
        return "<tr><td>" + esc(m) + "</td><td>" + esc(metrics[m]) + "</td></tr>";
      }).join("") + "</table>";
    }
    if (meta.metadata && Object.keys(meta.metadata).length) html += "<h3>metadata</h3><pre>" + json(meta.metadata) + "</pre>";
    var evals = M.evaluationsFor(s, t, data.evaluations);
    if (evals.length) {
      html += "<h3>evaluations</h3><table>" + evals.map(function (e) {
        return "<tr><td><b>" + esc(e.label) + "</b></td><td>" + esc(M.evaluationValue(e)) + "</td><td>"
          + esc(e.assessment || "") + (e.reasoning ? " — " + esc(e.reasoning) : "") + "</td></tr>";
      }).join("") + "</table>";
    }
    if ((s.tags || []).length) html += "<h3>tags</h3>" + s.tags.map(function (x) { return '<span class="chip">' + esc(x) + "</span>"; }).join("");
    return html;
  }

  function rowIndex(el, attr) {
    var row = el.closest ? el.closest(".row") : null;
    return row ? Number(row.getAttribute(attr)) : -1;
  }

  $("traces").addEventListener("click", function (e) { var i = rowIndex(e.target, "data-i"); if (i >= 0) openTrace(i, false); });
  $("waterfall").addEventListener("click", function (e) { var j = rowIndex(e.target, "data-j"); if (j >= 0) openSpan(j, false); });
  $("traces").addEventListener("keydown", function (e) {
    var i = rowIndex(document.activeElement, "data-i"), rows = $("traces").querySelectorAll(".row");
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      var n = Math.max(0, Math.min(rows.length - 1, i + (e.key === "ArrowDown" ? 1 : -1)));
      if (rows[n]) { rows[n].focus(); openTrace(n, false); rows[n].focus(); }
      e.preventDefault();
    } else if (e.key === "Enter" || e.key === "ArrowRight") {
      if (i >= 0) openTrace(i, true);
      e.preventDefault();
    }
  });
  $("waterfall").addEventListener("keydown", function (e) {
    var j = rowIndex(document.activeElement, "data-j");
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      openSpan(Math.max(0, Math.min(current.rows.length - 1, j + (e.key === "ArrowDown" ? 1 : -1))), true);
      e.preventDefault();
    } else if (e.key === "Escape" || e.key === "ArrowLeft") {
      var sel = $("traces").querySelector(".row.sel");
      if (sel) sel.focus();
      e.preventDefault();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && document.activeElement !== $("f-text")) { $("f-text").focus(); e.preventDefault(); }
  });
  ["f-kind", "f-error", "f-session"].forEach(function (id) { $(id).addEventListener("change", function () { renderList(); if (current) openTrace(shown.indexOf(current), false); }); });
  $("f-text").addEventListener("input", renderList);

  load(data);
  if (shown.length) openTrace(0, false); // a page opens on its first trace, not on empty panes
  if (window.LLMOBS_LIVE) {
    setInterval(function () {
      fetch("data.json").then(function (r) { return r.json(); }).then(function (d) {
        var n = (d.spans || []).length + (d.evaluations || []).length + (d.invocations || []).length;
        if (n !== received) { received = n; var keep = current && current.id; load(d);
          var i = keep ? shown.findIndex(function (t) { return t.id === keep; }) : shown.length - 1;
          if (i >= 0) openTrace(i, false); }
      }).catch(function () { /* the intake stopped: the page keeps what it has */ });
    }, 1500);
  }
})();
