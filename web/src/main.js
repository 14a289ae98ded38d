// The command-center page: signs in, draws the district, follows it live (gridStatus
// and the event stream over graphql-ws, live.js), keeps the panels current, and travels
// in time for auditors (travel.js). This module starts it: it makes the page's parts and
// joins them through one Center (center.js). window.gridcenter (hooks.js) exposes a
// little of its state for tests and benchmarks.

import "./style.css";

import { Api, SignInNeeded } from "./api.js";
import { Center } from "./center.js";
import { Drawer } from "./drawer.js";
import { measureChrome, showConnection, showError, showSignIn, showViewer, takeToken, wireHeader } from "./header.js";
import { testHooks } from "./hooks.js";
import { apply, onLanguage } from "./i18n.js";
import { connectionOf, followGrids, startLive } from "./live.js";
import { GridMap } from "./map.js";
import { Feed, Filters } from "./panels.js";
import { Q } from "./queries.js";
import { Travel } from "./travel.js";
import { TravelBar } from "./travelbar.js";

const $ = (selector) => document.querySelector(selector);

const center = new Center();
const hooks = testHooks(center);
const travel = new Travel(center);

wireHeader({
  onTiles: (url) => center.map?.setTiles(url),
  shown: () => (center.mode === "live" ? new Date() : center.clock),
});

async function boot() {
  apply(document);
  const token = takeToken();
  if (!token) {
    showSignIn();
    return;
  }
  const api = (center.api = new Api(token, connectionOf(center)));
  const started = performance.now();
  const coloured = followGrids(center); // over the socket while the map's data comes over HTTP
  let base;
  let maps;
  try {
    let who;
    [who, base, maps] = await Promise.all([api.query(Q.viewer), api.query(Q.base), api.query(Q.maps)]);
    center.viewer = { ...who.viewer, may: who.permissions };
  } catch (error) {
    if (error instanceof SignInNeeded) showSignIn(true);
    else showError(error);
    return;
  }
  showViewer(center.viewer);
  hooks.timings.fetched = performance.now() - started;
  center.catalog = base.catalog;
  center.areas = base.areas;

  const map = (center.map = new GridMap($("#map"), {
    onCase: (number) => center.drawer.open(number),
    loadComponents: async ({ box, states, area }) => {
      const data = await api.query(Q.components, { box, states, area, asOf: center.asOf });
      return data.components;
    },
  }));
  map.drawBase(maps.gridMap, maps.streets, maps.communities);
  hooks.timings.drawn = performance.now();
  if (center.earlyStatuses.length) map.grids.setStatuses(center.earlyStatuses.splice(0));
  coloured.then(() =>
    requestAnimationFrame(() => {
      hooks.timings.coloured ??= performance.now(); // from navigation: the map fully drawn
    }),
  );
  map.setTiles(localStorage.getItem("gridcenter.tiles"));
  hooks.drawnGrids = map.drawnGrids;
  $("#map").dataset.grids = String(map.drawnGrids);

  const feed = (center.feed = new Feed($("#feed"), { onCase: (n) => drawer.open(n) }));
  const drawer = (center.drawer = new Drawer($("#drawer"), {
    api,
    context: () => ({ viewer: center.viewer, catalog: center.catalog, asOf: center.asOf, now: () => center.now() }),
    onChanged: () => center.schedulePanels(500),
  }));
  const filters = (center.filters = new Filters($("#filters"), (filter) => center.filterBy(filter)));
  filters.set({ areas: center.areas, categories: center.catalog.categories, departments: center.catalog.departments });
  measureChrome();
  const bar = (center.travelBar = new TravelBar($("#travel"), {
    allowed: center.viewer.role === "auditor",
    onAsOf: (instant) => travel.asOf(instant),
    onReplay: (options) => travel.replay(options),
    onPause: () => travel.pause(),
    onLive: () => travel.live(),
  }));

  $("#overdue").addEventListener("click", (e) => {
    const row = e.target.closest("[data-case]");
    if (row) {
      map.cases.focus(Number(row.dataset.case));
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
    bar.render();
    center.renderAll();
    showViewer(center.viewer);
    showConnection(center.connection, center.mode);
    measureChrome();
  });

  await coloured;
  await startLive(center, false);
  hooks.timings.ready = performance.now() - started;
  hooks.ready = true;
  document.body.dataset.ready = "true";
}

boot().catch((error) => showError(error));
