// The command center's state — who is signed in, the catalog, the filter, the mode (live,
// as of an instant, replaying) and the position reached — with the page's parts that show
// it, and the panels refreshed from it. Startup (main.js), live.js, travel.js, cases.js and
// the test hooks share one Center instead of loose variables each.

import { QueryFailed, SignInNeeded } from "./api.js";
import { showError, showSignIn } from "./header.js";
import { t } from "./i18n.js";
import { LEVEL_COLOURS } from "./map.js";
import { renderDepartments, renderHeadline, renderOverdue, renderWorkers } from "./panels.js";
import { Q } from "./queries.js";

const $ = (selector) => document.querySelector(selector);

export class Center {
  constructor() {
    this.viewer = null;
    this.catalog = { categories: [], departments: [] };
    this.areas = [];
    this.filter = { area: "", category: "", department: "" };
    this.mode = "live"; // live | asOf | replay
    this.asOf = null; // { instant } or { position } while travelling
    this.clock = null; // the instant shown while travelling
    this.connection = "connecting";
    this.position = 0;
    this.numbers = new Map(); // case id -> number, for events that name only the case id
    this.live = []; // stops of the subscriptions that follow the present
    this.panelTimer = null;
    this.earlyStatuses = []; // grid statuses that came before the map was drawn
    this.panels = null;
    this.panelsDue = false;
    // The page's parts, made at startup.
    this.api = null;
    this.map = null;
    this.feed = null;
    this.drawer = null;
    this.filters = null;
    this.travelBar = null;
  }

  /** The time the page shows, in milliseconds: now when live, the travelled clock otherwise. */
  now() {
    return this.mode === "live" ? Date.now() : +this.clock;
  }

  filterBy(filter) {
    this.filter = filter;
    this.map.setFilter(filter);
    this.schedulePanels(0);
  }

  /** Refresh the panels after `delay` ms; a refresh already due absorbs a later one. */
  schedulePanels(delay) {
    if (this.panelsDue && delay > 0) return;
    this.panelsDue = true;
    setTimeout(() => {
      this.panelsDue = false;
      this.refreshPanels();
    }, delay);
  }

  async refreshPanels() {
    const f = this.filter;
    const filter = { overdue: true, area: f.area || null, category: f.category || null, department: f.department || null };
    try {
      this.panels = await this.api.query(Q.panels, { area: f.area, filter, asOf: this.asOf });
      for (const w of this.panels.workerWorkload) this.map.grids.workerNames.set(w.id, w.name ?? w.id);
      showError(null);
    } catch (error) {
      if (error instanceof SignInNeeded) showSignIn(true);
      else if (error instanceof QueryFailed) showError(error);
      return;
    }
    this.renderAll();
  }

  renderAll() {
    const p = this.panels;
    this.renderLegend();
    if (!p) return;
    renderHeadline($("#headline"), p.headline);
    renderDepartments($("#departments"), p.departmentWorkload, this.catalog.departments, this.filter);
    renderWorkers($("#workers"), p.workerWorkload, this.filter);
    renderOverdue($("#overdue"), p.overdue.cases, this.catalog.categories, this.catalog.departments, this.now());
  }

  renderLegend() {
    if (!this.map) return;
    const counts = this.map.grids.levels();
    $("#legend").innerHTML = ["normal", "attention", "alarm"]
      .map((level) => `<span class="legend-item"><i style="background:${LEVEL_COLOURS[level]}"></i>${t(level)} <b>${counts[level]}</b></span>`)
      .join("") +
      `<span class="legend-item"><i class="dot open"></i>${t("open")}</span><span class="legend-item"><i class="dot urgent"></i>${t("urgent")}</span><span class="legend-item"><i class="dot overdue"></i>${t("overdue")}</span>`;
  }
}
