/* fieldreport desk: the map, the timeline, the table and the event page, over /api. Plain JS. */
"use strict";

const TYPE_COLOURS = {
  "Battles": "#c0392b",
  "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad",
  "Protests": "#2471a3",
  "Riots": "#138d75",
  "Strategic developments": "#6c7a89",
};
// evidence highlight colours by the part of the record a field belongs to
const FIELD_GROUPS = [
  ["type", "#f7b2ad", ["event_type", "sub_event_type"]],
  ["date", "#fcd59b", ["event_date", "time_precision"]],
  ["actor1", "#a9cdf3", ["actor1", "assoc_actor_1", "inter1"]],
  ["actor2", "#d3b8ee", ["actor2", "assoc_actor_2", "inter2"]],
  ["place", "#b5e3b9", ["location", "admin1", "admin2", "country", "iso3", "latitude", "longitude", "geo_precision", "geonameid"]],
  ["figures", "#f59fc6", ["fatalities", "fatalities_low", "fatalities_best", "fatalities_high", "injured"]],
  ["materiel", "#d9c3a5", ["materiel"]],
  ["claims", "#d6dbe0", ["claims"]],
];
const FIELD_COLOUR = {};
for (const [, colour, fields] of FIELD_GROUPS) for (const f of fields) FIELD_COLOUR[f] = colour;
const TOKEN_KEY = "fieldreport-desk-token";
const ANALYST_KEY = "fieldreport-desk-analyst";

const state = { events: [], offset: 0, total: 0, meta: null, map: null, cluster: null, fitted: false, filterKey: "" };

// ------------------------------------------------------------------------------------------------
// small helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "style" && typeof v === "object") Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const $ = (sel) => document.querySelector(sel);

function toast(message, bad) {
  const t = $("#toast");
  t.textContent = message;
  t.className = bad ? "bad" : "";
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.textContent = ""; }, bad ? 8000 : 3500);
}

function token() { return localStorage.getItem(TOKEN_KEY) || ""; }

async function api(path, options) {
  const opts = Object.assign({ headers: {} }, options || {});
  if (opts.body && typeof opts.body !== "string") {
    opts.body = JSON.stringify(opts.body);
    opts.headers["Content-Type"] = "application/json";
  }
  if (opts.method && opts.method !== "GET" && token()) opts.headers["Authorization"] = "Bearer " + token();
  const res = await fetch(path, opts);
  const busy = res.headers.get("X-Fieldreport-Store-Busy");
  const snap = res.headers.get("X-Fieldreport-Snapshot");
  if (snap) $("#store-state").textContent = busy ? `store busy (an ingest?): showing it as of ${snap}` : "";
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) {
    const err = new Error((data && data.error) || `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

function filterParams(withDates = true) {
  const p = new URLSearchParams();
  for (const el of $("#filters").elements) {
    if (!el.name || !el.value) continue;
    if (!withDates && (el.name === "date_from" || el.name === "date_to")) continue;
    p.set(el.name, el.value);
  }
  return p;
}

function typeColour(t) { return TYPE_COLOURS[t] || "#34495e"; }
function fmtNum(v) { return v === null || v === undefined ? "" : String(v); }
function where(e) { return [e.location, e.admin1 !== e.location ? e.admin1 : null, e.country].filter(Boolean).join(", "); }

// ------------------------------------------------------------------------------------------------
// token (review needs it)

function readTokenFromHash() {
  const m = location.hash.match(/token=([^&]+)/);
  if (m) {
    localStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname + location.search + "#/");
  }
}

function renderTokenState() {
  const el = $("#token-state");
  el.textContent = "";
  el.append(h("input", { id: "analyst", size: 9, placeholder: "your name", title: "Your name, kept with every review you make",
    value: localStorage.getItem(ANALYST_KEY) || "", onchange: (ev) => localStorage.setItem(ANALYST_KEY, ev.target.value.trim()) }), " ");
  if (token()) {
    el.append("review: on ", h("button", { type: "button", onclick: () => { localStorage.removeItem(TOKEN_KEY); renderTokenState(); } }, "forget token"));
  } else {
    el.append("review: read-only ", h("button", { type: "button", id: "enter-token", onclick: askToken }, "enter token"));
  }
}

function askToken() {
  const t = prompt("The desk's review token (printed by `fieldreport serve`, or the one given with --token):");
  if (t && t.trim()) localStorage.setItem(TOKEN_KEY, t.trim());
  renderTokenState();
  return !!token();
}

async function write(path, body) {
  if (!token() && !askToken()) throw new Error("reviews need the desk's token");
  try {
    state.dirty = true;
    return await api(path, { method: "POST", body });
  } catch (e) {
    if (e.status === 401) { localStorage.removeItem(TOKEN_KEY); renderTokenState(); }
    throw e;
  }
}

// ------------------------------------------------------------------------------------------------
// the list view: map, timeline, table

function initMap() {
  const map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: 12, zoomSnap: 0.5 }).setView([15, 20], 2.5);
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution("Country outlines: Natural Earth");
  state.map = map;
  if (window.topojson) {
    fetch("/vendor/basemap.json").then((r) => (r.ok ? r.json() : Promise.reject(r))).then((topo) => {
      const countries = topojson.feature(topo, topo.objects.countries);
      // Antarctica holds no events and, like the rings that cross the 180th meridian, would draw as a
      // band across a flat map: drop it, and unwrap the crossing rings so they run on past 180°.
      countries.features = countries.features.filter((f) => f.id !== "010");
      for (const f of countries.features) unwrapRings(f.geometry);
      L.geoJSON(countries, {
        interactive: false,
        style: { color: "#7d8b99", weight: 0.7, fillColor: "#f4f1ea", fillOpacity: 1 },
      }).addTo(map).bringToBack();
      $("#map").dataset.basemap = "loaded";
    }).catch(() => { $("#map-note").textContent = "country outlines not installed (run scripts/setup.sh)"; });
  } else {
    $("#map-note").textContent = "country outlines not installed (run scripts/setup.sh)";
  }
  state.cluster = L.markerClusterGroup({ maxClusterRadius: 35, showCoverageOnHover: false, spiderfyOnMaxZoom: true });
  map.addLayer(state.cluster);
  const legend = $("#legend");
  for (const [t, c] of Object.entries(TYPE_COLOURS)) legend.append(h("div", {}, h("span", { class: "dot", style: { background: c } }), t));
  legend.append(h("div", { class: "muted" }, "size: fatalities"));
}

function unwrapRings(geometry) {
  if (!geometry) return;
  const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  for (const poly of polys) {
    for (const ring of poly) {
      let shift = 0;
      for (let i = 1; i < ring.length; i++) {
        const step = ring[i][0] + shift - ring[i - 1][0];
        if (step > 180) shift -= 360; else if (step < -180) shift += 360;
        ring[i] = [ring[i][0] + shift, ring[i][1]];
      }
    }
  }
}

function drawMarkers(features) {
  state.cluster.clearLayers();
  const markers = [];
  for (const f of features) {
    const p = f.properties;
    const [lon, lat] = f.geometry.coordinates;
    const m = L.circleMarker([lat, lon], {
      radius: 5 + 2.2 * Math.sqrt(p.fatalities || 0),
      fillColor: typeColour(p.event_type), color: "#222", weight: 1, fillOpacity: 0.8,
      className: "event-marker",
    });
    // an element, not a string: Leaflet would read a string as HTML, and place names can come from the text
    m.bindTooltip(h("span", {}, `${p.event_date || "undated"} · ${p.sub_event_type} · ${p.location || p.country || ""} · ${p.fatalities} killed`));
    m.on("click", () => { location.hash = "#/event/" + p.event_id; });
    markers.push(m);
  }
  state.cluster.addLayers(markers);
  $("#map").dataset.events = String(features.length);
  if (markers.length && !state.fitted) {
    const b = L.featureGroup(markers).getBounds();
    if (b.isValid()) state.map.fitBounds(b.pad(0.3), { maxZoom: 6 });
    state.fitted = true;
  }
}

async function loadTimeline() {
  const data = await api("/api/timeline?" + filterParams(false));
  drawTimeline(data);
}

function drawTimeline(data) {
  const svg = $("#timeline");
  svg.textContent = "";
  const W = svg.clientWidth || 600, H = svg.clientHeight || 120, pad = 18;
  const NS = "http://www.w3.org/2000/svg";
  const el = (tag, attrs) => { const e = document.createElementNS(NS, tag); for (const k in attrs) e.setAttribute(k, attrs[k]); return e; };
  if (!data.days.length) {
    const t = el("text", { x: 10, y: 20 }); t.textContent = "no dated events"; svg.append(t); return;
  }
  const day0 = Date.parse(data.date_from), day1 = Date.parse(data.date_to);
  const n = Math.round((day1 - day0) / 864e5) + 1;
  const bw = (W - 2 * pad) / n, gap = bw > 6 ? Math.min(bw * 0.25, bw - 14 > 0 ? bw - 14 : bw * 0.25) : 1;
  const max = Math.max(...data.days.map((d) => Object.values(d.counts).reduce((a, b) => a + b, 0)));
  const top = 14, y = (v) => (H - pad - top) * v / max;
  const dayAt = (x) => new Date(day0 + Math.max(0, Math.min(n - 1, Math.floor((x - pad) / bw))) * 864e5).toISOString().slice(0, 10);
  const xOf = (iso) => pad + Math.round((Date.parse(iso) - day0) / 864e5) * bw;
  const from = $("#f-date_from").value, to = $("#f-date_to").value;
  if (from || to) {
    const a = xOf(from || data.date_from), b = xOf(to || data.date_to) + bw;
    svg.append(el("rect", { class: "sel", x: a, y: 0, width: Math.max(2, b - a), height: H - pad }));
  }
  for (const d of data.days) {
    let base = H - pad;
    for (const [t, c] of Object.entries(d.counts)) {
      const hgt = Math.max(1, y(c));
      const r = el("rect", { class: "bar", x: xOf(d.day) + gap / 2, y: base - hgt, width: Math.max(1, bw - gap), height: hgt,
        fill: typeColour(t), "data-day": d.day, "data-type": t });
      const tip = el("title", {}); tip.textContent = `${d.day}: ${c} ${t}`; r.append(tip);
      svg.append(r);
      base -= hgt;
    }
  }
  for (const [x, label, anchor] of [[pad, data.date_from, "start"], [W - pad, data.date_to, "end"]]) {
    const t = el("text", { x, y: H - 4, "text-anchor": anchor }); t.textContent = label; svg.append(t);
  }
  const t = el("text", { x: W - pad, y: 10, "text-anchor": "end" }); t.textContent = `highest: ${max} a day`; svg.append(t);
  // drag (or click) to choose days
  let start = null, sel = null;
  svg.onmousedown = (ev) => {
    start = ev.offsetX;
    sel = el("rect", { class: "sel", x: start, y: 0, width: 1, height: H - pad }); svg.append(sel);
  };
  svg.onmousemove = (ev) => {
    if (start === null) return;
    sel.setAttribute("x", Math.min(start, ev.offsetX)); sel.setAttribute("width", Math.abs(ev.offsetX - start) + 1);
  };
  svg.onmouseup = (ev) => {
    if (start === null) return;
    const a = dayAt(Math.min(start, ev.offsetX)), b = dayAt(Math.max(start, ev.offsetX));
    start = null;
    $("#f-date_from").value = a; $("#f-date_to").value = b;
    refresh();
  };
}

function renderTable(append) {
  const body = $("#events-table tbody");
  if (!append) body.textContent = "";
  for (const e of state.events.slice(append ? state.offset : 0)) {
    const reviewed = e.reviewed_fields && e.reviewed_fields.length;
    const statuses = Object.values(e.review_status || {});
    body.append(h("tr", { "data-event": e.event_id, "data-type": e.event_type, onclick: () => { location.hash = "#/event/" + e.event_id; } },
      h("td", { class: "when" }, e.event_date || "?"),
      h("td", {}, h("span", { class: "dot", style: { background: typeColour(e.event_type) } }), " ", e.sub_event_type),
      h("td", {}, where(e)),
      h("td", { class: "actors", title: [e.actor1, e.actor2].filter(Boolean).join(" — ") }, [e.actor1, e.actor2].filter(Boolean).join(" — ")),
      h("td", { class: "num" }, e.fatalities),
      h("td", {}, h("span", { class: "badge " + corrClass(e.corroboration), title: e.corroboration }, `${e.number_of_sources} · ${shortCorr(e.corroboration)}`),
        reviewed ? [" ", h("span", { class: "badge reviewed", title: e.reviewed_fields.join(", ") }, "reviewed")] : null,
        statuses.includes("confirmed") ? [" ", h("span", { class: "badge confirmed" }, "confirmed")] : null),
    ));
  }
  $("#table-count").textContent = `${state.total} event${state.total === 1 ? "" : "s"}`;
  $("#more").hidden = state.events.length >= state.total;
}

function shortCorr(c) {
  return { "independent sources": "independent", "single source": "single", "claimed only by a side": "a side's claim", "sides disagree": "sides disagree" }[c] || c || "";
}

function corrClass(c) {
  if (!c) return "";
  if (c.startsWith("independent")) return "independent";
  if (c.includes("side")) return "side";
  return "";
}

async function loadTable(more) {
  const p = filterParams();
  p.set("limit", "200");
  p.set("offset", more ? String(state.events.length) : "0");
  const page = await api("/api/events?" + p);
  state.offset = more ? state.events.length : 0;
  state.events = more ? state.events.concat(page.items) : page.items;
  state.total = page.total;
  renderTable(more);
}

async function refresh() {
  const p = filterParams();
  $("#timeline-clear").hidden = !($("#f-date_from").value || $("#f-date_to").value);
  for (const a of document.querySelectorAll("#exports a")) a.href = `/api/export?format=${a.dataset.format}&${p}`;
  try {
    const [geo] = await Promise.all([api("/api/events.geojson?" + p), loadTable(false), loadTimeline()]);
    drawMarkers(geo.features);
    const missing = state.total - geo.features.length;
    $("#map-note").textContent = missing > 0 ? `${missing} event(s) without coordinates are in the table only` : ($("#map-note").textContent.startsWith("country") ? $("#map-note").textContent : "");
    document.body.dataset.loaded = String(Date.now());
  } catch (e) {
    toast(e.message, true);
  }
}

async function loadFilters() {
  const f = await api("/api/filters");
  state.meta = f;
  const types = [...new Set(f.event_types.map((t) => t.event_type))];
  const allTypes = state.about ? Object.keys(state.about.event_types) : types;
  for (const t of allTypes) $("#f-event_type").append(h("option", { value: t }, t + (types.includes(t) ? "" : " (none)")));
  fillSubTypes();
  for (const c of f.countries) $("#f-country").append(h("option", { value: c.country }, `${c.country} (${c.records})`));
  for (const a of f.actors) $("#actor-list").append(h("option", { value: a.actor }));
}

function fillSubTypes() {
  const sel = $("#f-sub_event_type"), keep = sel.value, t = $("#f-event_type").value;
  sel.textContent = "";
  sel.append(h("option", { value: "" }, "all sub-event types"));
  const et = state.about ? state.about.event_types : {};
  for (const [type, subs] of Object.entries(et)) {
    if (t && type !== t) continue;
    for (const s of subs) sel.append(h("option", { value: s }, s));
  }
  sel.value = [...sel.options].some((o) => o.value === keep) ? keep : "";
}

// ------------------------------------------------------------------------------------------------
// the event page

function spansToMarks(text, spans) {
  // cut the text at every span boundary; each piece is marked with the fields whose spans cover it
  const cuts = new Set([0, text.length]);
  for (const s of spans) { if (s.start >= 0 && s.end <= text.length && s.end > s.start) { cuts.add(s.start); cuts.add(s.end); } }
  const points = [...cuts].sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i], b = points[i + 1];
    const piece = text.slice(a, b);
    const fields = spans.filter((s) => s.start <= a && s.end >= b).map((s) => s.field);
    if (!fields.length) { frag.append(piece); continue; }
    const uniq = [...new Set(fields.map((f) => (f.startsWith("claim:") ? "claims" : f)))];
    const colour = FIELD_COLOUR[uniq.find((f) => f !== "claims") || uniq[0]] || "#ddd";
    frag.append(h("mark", { "data-fields": uniq.join(" "), title: uniq.join(", "), style: { background: colour } }, piece));
  }
  return frag;
}

function focusField(card, field, row) {
  const same = card.dataset.focus === field;
  card.dataset.focus = same ? "" : field;
  for (const tr of card.querySelectorAll(".fields tr")) tr.classList.toggle("focused", !same && tr === row);
  for (const m of card.querySelectorAll(".article mark")) {
    const has = m.dataset.fields.split(" ").includes(field);
    m.classList.toggle("dim", !same && !has);
    m.classList.toggle("hot", !same && has);
  }
}

function valueText(v) {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function editor(card, rec, field, row) {
  const cell = row.querySelector(".fval");
  const old = rec[field];
  cell.textContent = "";
  let input;
  const types = state.about.event_types;
  if (field === "sub_event_type") {
    input = h("select", { name: "value" });
    for (const [t, subs] of Object.entries(types)) {
      const g = h("optgroup", { label: t });
      for (const s of subs) g.append(h("option", { value: s, selected: s === old }, s));
      input.append(g);
    }
  } else if (field === "event_type") {
    input = h("select", { name: "value" }, Object.keys(types).map((t) => h("option", { value: t, selected: t === old }, t)));
  } else {
    const numeric = typeof old === "number" || /fatalities|injured|inter|precision|latitude|longitude|geonameid/.test(field);
    input = h("input", { name: "value", value: old === null || old === undefined ? "" : String(old), type: field === "event_date" ? "date" : numeric ? "number" : "text", step: numeric ? "any" : null });
  }
  const note = h("input", { name: "note", placeholder: "why (optional)", size: 14 });
  const save = h("button", { type: "button", class: "save" }, "save");
  const cancel = h("button", { type: "button", onclick: () => showEvent(currentEventId()) }, "cancel");
  save.onclick = async () => {
    let value = input.value;
    if (input.type === "number") value = value === "" ? null : Number(value);
    save.disabled = true;
    try {
      await write(`/api/records/${encodeURIComponent(rec.record_id)}/review`, { field, value, note: note.value, analyst: analyst() });
      toast(`${field} corrected; it will win over the machine's value on every re-ingest`);
      const moved = await api(`/api/records/${encodeURIComponent(rec.record_id)}`);
      const evId = moved.record.event_id || currentEventId();
      if (evId !== currentEventId()) location.hash = "#/event/" + evId; else showEvent(evId);
    } catch (e) { toast(e.message, true); save.disabled = false; }
  };
  input.addEventListener("keydown", (ev) => { if (ev.key === "Enter") save.click(); if (ev.key === "Escape") cancel.click(); });
  cell.append(input, " ", note, " ", save, " ", cancel);
  input.focus();
}

function analyst() {
  return localStorage.getItem(ANALYST_KEY) || "analyst";
}

function currentEventId() {
  const m = location.hash.match(/^#\/event\/([^/?&]+)/);
  return m ? decodeURIComponent(m[1]) : null;
}

async function setStatus(rec, status) {
  try {
    await write(`/api/records/${encodeURIComponent(rec.record_id)}/review`, { status, analyst: analyst() });
    toast(`record ${status}`);
    showEvent(currentEventId());
  } catch (e) { toast(e.message, true); }
}

async function decide(action, recordIds) {
  const res = await write("/api/decisions", { action, record_ids: recordIds, analyst: analyst() });
  toast(`${action} kept: it holds on every re-ingest (${res.counts.events} events in the store)`);
  return res;
}

function reportCard(rec, detail, evidence, history) {
  const art = detail.article;
  const card = h("section", { class: "report" + (rec.review_status === "rejected" ? " rejected" : ""), "data-record": rec.record_id });
  const reviewed = new Set(rec.reviewed_fields || []);
  card.append(h("header", {},
    h("input", { type: "checkbox", class: "pick", value: rec.record_id, title: "select for split/merge" }),
    h("span", { class: "title" }, (art && art.title) || rec.article_id),
    h("span", { class: "muted" }, [rec.source || (art && art.outlet) || "unknown outlet", art && art.published ? art.published : null].filter(Boolean).join(" · ")),
    art && art.url ? h("a", { href: art.url, target: "_blank", rel: "noopener" }, "original") : null,
    h("span", { class: "muted" }, rec.record_id),
    rec.review_status ? h("span", { class: "badge " + rec.review_status }, rec.review_status) : null,
    h("span", { style: { marginLeft: "auto" } },
      h("button", { type: "button", class: "confirm", onclick: () => setStatus(rec, "confirmed") }, "confirm"), " ",
      h("button", { type: "button", class: "reject", onclick: () => setStatus(rec, "rejected") }, "reject")),
  ));
  const fields = h("table", { class: "fields" });
  const shown = state.about.reviewable_fields;
  const hasEvidence = new Set(evidence.map((s) => (s.field.startsWith("claim:") ? "claims" : s.field)));
  for (const f of shown) {
    if (f === "notes") continue;
    const row = h("tr", { "data-field": f, class: reviewed.has(f) ? "reviewed" : null });
    row.append(
      h("td", { class: "fname", title: hasEvidence.has(f) ? "show this field's evidence" : "no evidence in the text", onclick: () => focusField(card, f, row) },
        h("span", { class: "chip", style: { background: hasEvidence.has(f) ? FIELD_COLOUR[f] || "#ddd" : "transparent" } }), f),
      h("td", { class: "fval" }, valueText(rec[f]), reviewed.has(f) ? h("span", { class: "badge reviewed", style: { marginLeft: "4px" } }, "reviewed") : null),
      h("td", {}, h("button", { type: "button", class: "edit", onclick: () => editor(card, rec, f, row) }, "edit")),
    );
    fields.append(row);
  }
  const text = art ? spansToMarks(art.text, evidence) : h("p", { class: "muted" }, "the article's text is not in the store");
  card.append(h("div", { class: "report-body" },
    h("div", {}, fields, h("p", { class: "muted" }, rec.notes)),
    h("div", {}, h("div", { class: "muted" }, "Evidence: click a field's name to see only its words."), h("div", { class: "article" }, text)),
  ));
  if (history.length) {
    card.append(h("ul", { class: "history" }, history.map((r) => h("li", {},
      `${r.made_at.replace("T", " ").slice(0, 19)} — ${r.analyst || "?"}: `,
      r.kind === "status" ? `${r.value} (was ${valueText(r.value_before)})` : `${r.field}: ${valueText(r.value_before)} → ${valueText(r.value)}`,
      r.note ? ` — “${r.note}”` : ""))));
  }
  return card;
}

async function showEvent(eventId) {
  const view = $("#event-view");
  $("#list-view").hidden = true;
  view.hidden = false;
  view.textContent = "";
  view.append(h("p", { class: "muted" }, "loading…"));
  let d;
  try { d = await api("/api/events/" + encodeURIComponent(eventId)); } catch (e) {
    view.textContent = "";
    view.append(h("p", {}, h("a", { href: "#/" }, "← all events")), h("p", {}, e.message));
    return;
  }
  const details = await Promise.all(d.records.map((r) => api("/api/records/" + encodeURIComponent(r.record_id))));
  const e = d.event;
  view.textContent = "";
  const kv = (rows) => h("table", { class: "kv" }, rows.filter((r) => r[1] !== null && r[1] !== undefined && r[1] !== "").map(([k, v]) => h("tr", {}, h("td", {}, k), h("td", {}, v))));
  const fatal = e.fatalities_low !== null && e.fatalities_low !== undefined && e.fatalities_high !== e.fatalities_low
    ? `${e.fatalities} (reports: ${e.fatalities_low}–${e.fatalities_high}, best ${e.fatalities_best})` : String(e.fatalities);
  const corr = d.corroboration;
  view.append(
    h("p", {}, h("a", { href: "#/" }, "← all events"), h("span", { class: "muted" }, "  event " + e.event_id)),
    h("h2", { id: "event-title" }, h("span", { class: "dot", style: { background: typeColour(e.event_type) } }), " ",
      `${e.sub_event_type} · ${where(e) || "place unknown"} · ${e.event_date || "undated"}`),
    h("div", { class: "ev-grid" },
      h("div", { class: "box" }, h("h3", {}, "The event"), kv([
        ["event type", `${e.event_type} / ${e.sub_event_type}`], ["date", e.event_date + (e.date_start && e.date_start !== e.date_end ? ` (reports: ${e.date_start} to ${e.date_end})` : "")],
        ["actor 1", e.actor1], ["actor 2", e.actor2], ["where", where(e)],
        ["coordinates", e.latitude !== null && e.latitude !== undefined ? `${e.latitude}, ${e.longitude} (precision ${e.geo_precision})` : null],
        ["fatalities", fatal], ["injured", e.injured], ["notes", e.notes],
        ["reviewed fields", (e.reviewed_fields || []).join(", ")],
      ])),
      h("div", { class: "box", id: "corroboration" }, h("h3", {}, "Corroboration"),
        h("p", {}, h("span", { class: "badge " + corrClass(corr.status) }, corr.status), ` — ${corr.number_of_sources} source(s)`,
          corr.independent_sources !== null && corr.independent_sources !== undefined ? `, ${corr.independent_sources} independent` : ""),
        h("div", {}, d.sources.map((s) => h("div", {}, `${s.outlet || "unknown outlet"}: `, s.url ? h("a", { href: s.url, target: "_blank", rel: "noopener" }, s.title || s.article_id) : (s.title || s.article_id),
          h("span", { class: "muted" }, ` (${[s.published, s.fatalities + " killed"].filter(Boolean).join(", ")})`)))),
        h("h3", { style: { marginTop: "8px" } }, "Claims"),
        d.claims.length ? d.claims.map((c) => h("div", { class: "claim" }, h("strong", {}, c.claimant), c.claimant_party ? h("span", { class: "badge side" }, "a side") : h("span", { class: "badge" }, "not a side"),
          ` on ${(c.fields || []).join(", ") || "the event"}: `, h("q", {}, c.text || ""), h("span", { class: "muted" }, ` (${c.outlet || ""})`)))
          : h("p", { class: "muted" }, "no attributed claims")),
    ),
    h("div", { class: "box toolbar" },
      h("strong", {}, "Reports"), h("span", { class: "muted" }, `${d.records.length} report(s) tell this event.`),
      h("button", { type: "button", id: "split", onclick: async () => {
        const picked = [...view.querySelectorAll(".pick:checked")].map((c) => c.value);
        if (picked.length < 2) { toast("tick two or more reports that are not the same event", true); return; }
        try { await decide("split", picked); location.hash = "#/"; } catch (err) { toast(err.message, true); }
      } }, "split ticked reports"),
      h("input", { id: "merge-with", placeholder: "event id to merge with", size: 22 }),
      h("button", { type: "button", id: "merge", onclick: async () => {
        const other = $("#merge-with").value.trim();
        if (!other) { toast("give the id of the event to merge with", true); return; }
        try {
          const o = await api("/api/events/" + encodeURIComponent(other));
          const ids = [...new Set([...e.record_ids, ...o.event.record_ids])];
          const res = await decide("merge", ids);
          const merged = res.event_of[ids[0]];
          if (merged === currentEventId()) showEvent(merged); else location.hash = "#/event/" + merged;
        } catch (err) { toast(err.message, true); }
      } }, "merge"),
    ),
  );
  for (const [i, r] of d.records.entries()) view.append(reportCard(r, details[i], details[i].evidence, details[i].reviews));
  document.body.dataset.loaded = String(Date.now());
}

// ------------------------------------------------------------------------------------------------
// routing and start

function route() {
  readTokenFromHash();
  const id = currentEventId();
  if (id) { showEvent(id); return; }
  $("#event-view").hidden = true;
  $("#list-view").hidden = false;
  if (state.map) state.map.invalidateSize();
  if (state.dirty) { state.dirty = false; refresh(); }
}

async function start() {
  readTokenFromHash();
  renderTokenState();
  try { state.about = await api("/api"); } catch (e) { toast(e.message, true); return; }
  initMap();
  await loadFilters();
  const form = $("#filters");
  form.addEventListener("change", (ev) => {
    if (ev.target.id === "f-event_type") fillSubTypes();
    if (currentEventId()) location.hash = "#/";
    refresh();
  });
  form.addEventListener("submit", (ev) => { ev.preventDefault(); refresh(); });
  $("#f-q").addEventListener("search", refresh);
  form.addEventListener("reset", () => setTimeout(() => { fillSubTypes(); state.fitted = false; refresh(); }, 0));
  $("#timeline-clear").onclick = () => { $("#f-date_from").value = ""; $("#f-date_to").value = ""; refresh(); };
  $("#more").onclick = () => loadTable(true);
  window.addEventListener("hashchange", route);
  window.addEventListener("resize", () => loadTimeline().catch(() => {}));
  await refresh();
  route();
}

start();
