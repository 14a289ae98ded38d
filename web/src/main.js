// The command-center page: signs in, draws the district, follows it live (gridStatus
// and the event stream over graphql-ws), keeps the panels current, and travels in time
// for auditors. window.gridcenter exposes a little of its state for tests and benchmarks.

import "./style.css";

import { Api, QueryFailed, SignInNeeded } from "./api.js";
import { Drawer, detail } from "./drawer.js";
import { apply, caseEvents, language, named, onLanguage, setLanguage, t } from "./i18n.js";
import { GridMap, LEVEL_COLOURS } from "./map.js";
import { Feed, Filters, renderDepartments, renderHeadline, renderOverdue, renderWorkers } from "./panels.js";
import { Travel } from "./travel.js";
import { full } from "./format.js";

const Q = {
  viewer: `{ viewer { code name role area department } permissions }`,
  base: `{ catalog { version categories { code family major { code name { zh en } } name { zh en } department limit }
      departments { code name { zh en } } }
    areas { code kind nameZh nameEn } }`,
  maps: `{ gridMap streets: areaMap(kind: STREET) communities: areaMap(kind: COMMUNITY) }`,
  grids: `query Grids($asOf: AsOf) { grids(asOf: $asOf) { code level open overdue urgent dueSoon worker lastReport reasons } }`,
  markers: `query Markers($asOf: AsOf) { caseMarkers(asOf: $asOf) { id number lon lat grid category channel stage urgent overdue reportedAt } }`,
  panels: `query Panels($area: String!, $filter: CaseFilter!, $asOf: AsOf) {
    headline(area: $area, asOf: $asOf) { day at reported filed dispatched closed overdueNow openNow onTimeClosingRate rateFormula rateVersion }
    departmentWorkload(asOf: $asOf) { code queue overdue onTimeRate handled }
    workerWorkload(asOf: $asOf) { id name active grids reports visits checks { case late } verifications { case late } }
    overdue: caseBoard(filter: $filter, sort: DUE, descending: false, first: 40, asOf: $asOf) {
      cases { number stage category department deadline urgent grid } }
  }`,
  components: `query Components($area: String!, $states: [String!], $box: Box, $asOf: AsOf) {
    components(area: $area, states: $states, box: $box, first: 20000, asOf: $asOf) { code lon lat state openCase } }`,
  moment: `query Moment($asOf: AsOf) { moment(asOf: $asOf) { position at head } }`,
};
const GRID_STATUS = `subscription { gridStatus { code level open overdue urgent dueSoon worker lastReport reasons } }`;
const EVENTS = `subscription Events($after: Int!, $filter: EventFilter) {
  events(after: $after, filter: $filter) { position name originator version at by { id name role } data } }`;
const BACKLOG = 600;
/** Positions back from the head whose case events fill the feed at start. */
const ENDS = new Set(["CaseClosed", "CaseRejected", "CaseMerged", "CaseResolvedOnSpot"]);
const STAGE_OF = {
  CaseConfirmed: "confirmed", CaseFiled: "filed", CaseDispatched: "dispatched", CaseAccepted: "accepted",
  CaseReturned: "returned", CaseHandled: "handled", CaseVerified: "verified", ReworkOrdered: "rework",
};
const NUMBERS_KEPT = 20_000;

const $ = (selector) => document.querySelector(selector);

const state = {
  viewer: null,
  catalog: { categories: [], departments: [] },
  areas: [],
  filter: { area: "", category: "", department: "" },
  mode: "live", // live | asOf | replay
  asOf: null, // { instant } or { position } while travelling
  clock: null, // the instant shown while travelling
  connection: "connecting",
  position: 0,
  numbers: new Map(), // case id -> number, for events that name only the case id
  live: [],
  panels: null,
};

const hooks = (window.gridcenter = {
  ready: false,
  drawnGrids: 0,
  mode: () => state.mode,
  connection: () => state.connection,
  position: () => state.position,
  fillOf: (code) => map?.layers.get(code)?.options.fillColor ?? null,
  levelOf: (code) => map?.status.get(code)?.level ?? null,
  levels: () => Object.fromEntries([...(map?.layers.keys() ?? [])].map((c) => [c, map.status.get(c)?.level ?? null])),
  replayAt: () => (state.mode === "replay" && state.clock ? state.clock.getTime() : null),
  colours: LEVEL_COLOURS,
  markers: () => map?.markers.size ?? 0,
  components: () => map?.componentCount ?? 0,
  /** A spot of a grid on the screen (page pixels) that no marker or panel covers, for hovering it;
   * zooms to the grid when it has none at the current zoom. */
  pointOf: async (code) => (map ? await map.openSpot(code) : null),
  feedSize: () => feed?.items.length ?? 0,
  timings: {},
});

let api = null;
let map = null;
let feed = null;
let drawer = null;
let filters = null;
let travel = null;
let panelTimer = null;
let panelsDue = false;

// Sign-in ------------------------------------------------------------------------------------

function takeToken() {
  const url = new URL(location.href);
  const given = url.searchParams.get("token");
  if (given) {
    localStorage.setItem("gridcenter.token", given);
    url.searchParams.delete("token");
    history.replaceState(null, "", url.pathname + url.search + url.hash); // not left in the address bar
  }
  return localStorage.getItem("gridcenter.token");
}

function showSignIn(rejected = false) {
  const dialog = $("#sign-in");
  $("#sign-in-error").textContent = rejected ? t("tokenRejected") : "";
  dialog.hidden = false;
  $("#token-input").focus();
}

$("#sign-in-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const token = $("#token-input").value.trim();
  if (!token) return;
  localStorage.setItem("gridcenter.token", token);
  location.reload();
});

$("#sign-out").addEventListener("click", () => {
  localStorage.removeItem("gridcenter.token");
  location.reload();
});

$("#language").addEventListener("click", () => setLanguage(language() === "zh" ? "en" : "zh"));

$("#settings-button").addEventListener("click", () => {
  $("#tile-url").value = localStorage.getItem("gridcenter.tiles") ?? "";
  $("#settings").hidden = false;
});
$("#settings-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const url = $("#tile-url").value.trim();
  if (url) localStorage.setItem("gridcenter.tiles", url);
  else localStorage.removeItem("gridcenter.tiles");
  map?.setTiles(url);
  $("#settings").hidden = true;
});
$("#settings-cancel").addEventListener("click", () => ($("#settings").hidden = true));

// Status -------------------------------------------------------------------------------------

function setConnection(status, again = false) {
  state.connection = status;
  const pill = $("#connection");
  pill.dataset.status = status;
  const travelling = status === "live" && state.mode !== "live";
  pill.textContent = travelling
    ? t(state.mode === "replay" ? "replaying" : "asOf")
    : t({ live: "live", connecting: "connecting", reconnecting: "reconnecting", refused: "tokenRejected" }[status] ?? "offline");
  document.body.dataset.connection = status;
  if (status === "refused") showSignIn(true);
  if (status === "live" && again && state.mode === "live") schedulePanels(0); // caught up: refresh
}

function showError(error) {
  const bar = $("#error-bar");
  bar.textContent = error ? t("error", { m: error.message ?? String(error) }) : "";
  bar.hidden = !error;
}

function clock() {
  const shown = state.mode === "live" ? new Date() : state.clock;
  $("#clock").textContent = shown ? full(shown) : "";
}
setInterval(clock, 1000);

// Start --------------------------------------------------------------------------------------

async function boot() {
  apply(document);
  const token = takeToken();
  if (!token) {
    showSignIn();
    return;
  }
  api = new Api(token, setConnection);
  const started = performance.now();
  const coloured = followGrids(); // over the socket while the map's data comes over HTTP
  let base;
  let maps;
  try {
    let who;
    [who, base, maps] = await Promise.all([api.query(Q.viewer), api.query(Q.base), api.query(Q.maps)]);
    state.viewer = { ...who.viewer, may: who.permissions };
  } catch (error) {
    if (error instanceof SignInNeeded) showSignIn(true);
    else showError(error);
    return;
  }
  $("#viewer").textContent = `${state.viewer.name} · ${t(state.viewer.role)}`;
  hooks.timings.fetched = performance.now() - started;
  state.catalog = base.catalog;
  state.areas = base.areas;

  map = new GridMap($("#map"), {
    onCase: (number) => drawer.open(number),
    loadComponents: async ({ box, states, area }) => {
      const data = await api.query(Q.components, { box, states, area, asOf: state.asOf });
      return data.components;
    },
  });
  map.drawBase(maps.gridMap, maps.streets, maps.communities);
  hooks.timings.drawn = performance.now();
  if (pendingStatuses.length) map.setStatuses(pendingStatuses.splice(0));
  coloured.then(() =>
    requestAnimationFrame(() => {
      hooks.timings.coloured ??= performance.now(); // from navigation: the map fully drawn
    }),
  );
  map.setTiles(localStorage.getItem("gridcenter.tiles"));
  hooks.drawnGrids = map.drawnGrids;
  $("#map").dataset.grids = String(map.drawnGrids);

  feed = new Feed($("#feed"), { onCase: (n) => drawer.open(n) });
  drawer = new Drawer($("#drawer"), {
    api,
    context: () => ({ viewer: state.viewer, catalog: state.catalog, asOf: state.asOf, now: () => (state.mode === "live" ? Date.now() : +state.clock) }),
    onChanged: () => schedulePanels(500),
  });
  filters = new Filters($("#filters"), (filter) => {
    state.filter = filter;
    map.setFilter(filter);
    schedulePanels(0);
  });
  filters.set({ areas: state.areas, categories: state.catalog.categories, departments: state.catalog.departments });
  measureChrome();
  travel = new Travel($("#travel"), {
    allowed: state.viewer.role === "auditor",
    onAsOf: (instant) => enterAsOf(instant),
    onReplay: (options) => startReplay(options),
    onPause: () => pauseReplay(),
    onLive: () => backToLive(),
  });

  $("#overdue").addEventListener("click", (e) => {
    const row = e.target.closest("[data-case]");
    if (row) {
      map.focus(Number(row.dataset.case));
      drawer.open(Number(row.dataset.case));
    }
  });
  $("#departments").addEventListener("click", (e) => {
    const row = e.target.closest("[data-department]");
    if (row) filters.setDepartment(row.dataset.department);
  });
  onLanguage(() => {
    map.relabel();
    filters.render();
    feed.render();
    drawer.render();
    travel.render();
    renderAll();
    $("#viewer").textContent = `${state.viewer.name} · ${t(state.viewer.role)}`;
    setConnection(state.connection);
    measureChrome();
  });

  await coloured;
  await startLive(false);
  hooks.timings.ready = performance.now() - started;
  hooks.ready = true;
  document.body.dataset.ready = "true";
}

// Live ---------------------------------------------------------------------------------------

let pendingStatuses = [];

/** Follow the grids' status; resolves on the first answer (every grid). Statuses that
 * arrive before the map is drawn wait for it. */
function followGrids() {
  let first = true;
  return new Promise((resolve) => {
    state.live.push(
      api.subscribe(
        { query: GRID_STATUS },
        ({ gridStatus }) => {
          if (!map) pendingStatuses.push(...gridStatus);
          else {
            map.setStatuses(gridStatus);
            renderLegend();
          }
          if (first) {
            first = false;
            resolve();
          }
        },
        { onError: showError },
      ),
    );
  });
}

async function startLive(grids = true) {
  state.mode = "live";
  state.asOf = null;
  state.clock = null;
  document.body.dataset.mode = "live";
  $("#mode-banner").hidden = true;
  setConnection(state.connection);
  const following = grids ? followGrids() : Promise.resolve();
  const [{ caseMarkers }, head] = await Promise.all([api.query(Q.markers, { asOf: null }), fetch("/healthz").then((r) => r.json())]);
  loadMarkers(caseMarkers);
  await following;
  renderLegend();
  state.position = Math.max(0, head.position - BACKLOG);
  const payload = { query: EVENTS, variables: { after: state.position, filter: { names: caseEvents } } };
  const backlogUntil = head.position;
  state.live.push(
    api.subscribe(payload, ({ events: e }) => {
      payload.variables.after = e.position; // a reconnect resumes after the last one seen
      state.position = e.position;
      onEvent(e, e.position > backlogUntil);
    }, { onError: showError }),
  );
  await refreshPanels();
  panelTimer = setInterval(() => schedulePanels(0), 30_000);
}

function stopLive() {
  for (const stop of state.live) stop();
  state.live = [];
  clearInterval(panelTimer);
  panelTimer = null;
}

function loadMarkers(list) {
  for (const m of list) remember(m.id, m.number);
  map.setMarkers(list.map(withName));
}

function withName(marker) {
  const category = state.catalog.categories.find((c) => c.code === marker.category);
  return { ...marker, categoryName: category ? named(category.name) : marker.category };
}

function remember(id, number) {
  state.numbers.delete(id);
  state.numbers.set(id, number);
  if (state.numbers.size > NUMBERS_KEPT) state.numbers.delete(state.numbers.keys().next().value);
}

/** One case event: the feed, the markers, the drawer, and the panels a little later. */
function onEvent(e, fresh) {
  const d = e.data || {};
  if (e.name === "CaseReported") {
    remember(e.originator, d.number);
    const [lon, lat] = d.location ?? [];
    map.upsertMarker(withName({ id: e.originator, number: d.number, lon, lat, grid: d.grid, category: d.category, channel: d.channel, stage: "reported", urgent: false, overdue: false, reportedAt: e.at }), fresh);
  } else if (ENDS.has(e.name)) {
    map.removeMarker(e.originator);
  } else if (map.markerOf(e.originator)) {
    const change = {};
    if (STAGE_OF[e.name]) change.stage = STAGE_OF[e.name];
    if (e.name === "CaseFiled") change.urgent = Boolean(d.urgent);
    if (e.name === "CaseOverdue") change.overdue = true;
    if (["CaseDispatched", "ExtensionGranted", "CaseResumed", "CaseReturned"].includes(e.name)) change.overdue = false;
    if (Object.keys(change).length) map.upsertMarker({ id: e.originator, ...change });
  }
  const number = state.numbers.get(e.originator);
  const marker = map.markerOf(e.originator);
  if (state.filter.area && marker && !marker.grid.startsWith(state.filter.area)) return;
  feed.add({ position: e.position, name: e.name, at: e.at, by: e.by, number, detail: detail(e, state.catalog) });
  if (number != null) drawer.changed(number, e.position);
  if (fresh) schedulePanels(3000);
}

// Panels -------------------------------------------------------------------------------------

function schedulePanels(delay) {
  if (panelsDue && delay > 0) return;
  panelsDue = true;
  setTimeout(() => {
    panelsDue = false;
    refreshPanels();
  }, delay);
}

async function refreshPanels() {
  const f = state.filter;
  const filter = { overdue: true, area: f.area || null, category: f.category || null, department: f.department || null };
  try {
    state.panels = await api.query(Q.panels, { area: f.area, filter, asOf: state.asOf });
    for (const w of state.panels.workerWorkload) map.workerNames.set(w.id, w.name ?? w.id);
    showError(null);
  } catch (error) {
    if (error instanceof SignInNeeded) showSignIn(true);
    else if (error instanceof QueryFailed) showError(error);
    return;
  }
  renderAll();
}

function renderAll() {
  const p = state.panels;
  renderLegend();
  if (!p) return;
  renderHeadline($("#headline"), p.headline);
  renderDepartments($("#departments"), p.departmentWorkload, state.catalog.departments, state.filter);
  renderWorkers($("#workers"), p.workerWorkload, state.filter);
  const now = state.mode === "live" ? Date.now() : +state.clock;
  renderOverdue($("#overdue"), p.overdue.cases, state.catalog.categories, state.catalog.departments, now);
}

function renderLegend() {
  if (!map) return;
  const counts = map.levels();
  $("#legend").innerHTML = ["normal", "attention", "alarm"]
    .map((level) => `<span class="legend-item"><i style="background:${LEVEL_COLOURS[level]}"></i>${t(level)} <b>${counts[level]}</b></span>`)
    .join("") +
    `<span class="legend-item"><i class="dot open"></i>${t("open")}</span><span class="legend-item"><i class="dot urgent"></i>${t("urgent")}</span><span class="legend-item"><i class="dot overdue"></i>${t("overdue")}</span>`;
}

// Time travel --------------------------------------------------------------------------------

async function enterAsOf(instant) {
  stopLive();
  stopReplay();
  state.mode = "asOf";
  state.asOf = { instant: instant.toISOString() };
  state.clock = instant;
  document.body.dataset.mode = "asOf";
  showBanner(t("asOfBanner", { t: full(instant) }));
  feed.clear();
  try {
    const [{ grids }, { caseMarkers }, { moment }] = await Promise.all([
      api.query(Q.grids, { asOf: state.asOf }),
      api.query(Q.markers, { asOf: state.asOf }),
      api.query(Q.moment, { asOf: state.asOf }),
    ]);
    if (state.mode !== "asOf") return;
    map.setStatuses(grids);
    loadMarkers(caseMarkers);
    state.position = moment.position;
    await refreshPanels();
    map.refreshComponents();
    fillFeedUpTo(moment.position);
    document.body.dataset.asOf = state.asOf.instant;
    showError(null);
  } catch (error) {
    showError(error);
  }
}

/** The feed as it stood at `position`: the case events just before it. */
function fillFeedUpTo(position) {
  const payload = { query: EVENTS, variables: { after: Math.max(0, position - BACKLOG), filter: { names: caseEvents } } };
  const stop = api.subscribe(payload, ({ events: e }) => {
    if (e.position > position || state.mode !== "asOf") {
      stop();
      return;
    }
    onEvent(e, false);
    if (e.position === position) stop();
  });
  state.live.push(stop);
}

const REPLAY = `subscription Replay($start: DateTime!, $end: DateTime!, $speed: Float!, $area: String!) {
  replay(start: $start, end: $end, speed: $speed, area: $area) {
    at position done ended
    grids { code level open overdue urgent dueSoon worker lastReport reasons }
    markers { id number lon lat grid category channel stage urgent overdue reportedAt }
    events { position name originator version at by { id name role } data }
    headline { day at reported filed dispatched closed overdueNow openNow onTimeClosingRate rateFormula rateVersion }
  } }`;
let replayStop = null;

function startReplay({ start, end, speed }) {
  stopLive();
  stopReplay();
  state.mode = "replay";
  document.body.dataset.mode = "replay";
  feed.clear();
  let first = true;
  replayStop = api.subscribe(
    { query: REPLAY, variables: { start: start.toISOString(), end: end.toISOString(), speed, area: state.filter.area } },
    ({ replay: frame }) => {
      state.clock = new Date(frame.at);
      state.asOf = { position: frame.position };
      state.position = frame.position;
      if (first) {
        first = false;
        loadMarkers(frame.markers);
      } else {
        for (const m of frame.markers) {
          remember(m.id, m.number);
          map.upsertMarker(withName(m), true);
        }
        for (const id of frame.ended) map.removeMarker(id);
      }
      map.setStatuses(frame.grids);
      for (const e of frame.events) onEvent(e, false);
      if (state.panels) state.panels.headline = frame.headline;
      renderHeadline($("#headline"), frame.headline);
      renderLegend();
      showBanner(frame.done ? `${t("replayDone")} · ${full(frame.at)}` : t("replayBanner", { t: full(frame.at), s: speed }));
      document.body.dataset.replayAt = frame.at;
      travel.replayAt(new Date(frame.at), frame.done);
      if (frame.done || Date.now() - (startReplay.panelsAt ?? 0) > 5000) {
        startReplay.panelsAt = Date.now();
        refreshPanels();
      }
    },
    { onError: showError },
  );
}

function stopReplay() {
  replayStop?.();
  replayStop = null;
}

/** A paused replay holds still where it is: the map and panels as of its clock. */
function pauseReplay() {
  stopReplay();
  showBanner(t("asOfBanner", { t: full(state.clock) }));
}

async function backToLive() {
  stopReplay();
  stopLive();
  feed.clear();
  document.body.dataset.asOf = "";
  await startLive();
}

function showBanner(text) {
  const banner = $("#mode-banner");
  banner.textContent = text;
  banner.hidden = false;
  setConnection(state.connection);
}

function measureChrome() {
  const height = $(".top").offsetHeight + $(".filters-bar").offsetHeight;
  document.documentElement.style.setProperty("--chrome", `${height}px`);
}
addEventListener("resize", measureChrome);
measureChrome();

boot().catch((error) => showError(error));
