// The components layer (部件) of the wall map, off until switched on: the components in
// view, asked again after each move; zoomed out, only the faulty and removed ones.

import L from "../leaflet.js";

import { t } from "../i18n.js";
import { escape } from "../format.js";

const STATE_COLOURS = { intact: "#3fb6ff", faulty: "#ff6b2c", removed: "#7d8796" };
/** From this zoom on every component in view is drawn; below it, only the faulty and removed. */
const COMPONENT_ZOOM = 15;
/** A move waits this long for the next before the components are asked for. */
const SETTLE_MS = 250;

export class ComponentLayer {
  /** `load({ box, states, area })` answers the components to draw. */
  constructor(map, renderer, load) {
    this.map = map;
    this.renderer = renderer;
    this.load = load;
    this.area = "";
    this.count = 0;
    this.group = L.layerGroup();
    map.on("overlayadd overlayremove", (e) => {
      if (e.layer === this.group) this.refresh();
    });
    let waiting = null;
    map.on("moveend", () => {
      clearTimeout(waiting);
      waiting = setTimeout(() => this.refresh(), SETTLE_MS);
    });
  }

  setArea(area) {
    this.area = area;
    this.refresh();
  }

  async refresh() {
    if (!this.map.hasLayer(this.group) || !this.load) return;
    const zoom = this.map.getZoom();
    const b = this.map.getBounds();
    const box = { west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() };
    const everything = zoom >= COMPONENT_ZOOM;
    const asked = (this.asked = {});
    let found;
    try {
      found = await this.load({ box, states: everything ? null : ["faulty", "removed"], area: this.area });
    } catch {
      return;
    }
    if (asked !== this.asked) return; // a later move asked again meanwhile
    this.group.clearLayers();
    for (const c of found) {
      L.circleMarker([c.lat, c.lon], {
        renderer: this.renderer,
        radius: c.state === "intact" ? 3 : 5,
        weight: 1,
        color: "#0b1220",
        fillColor: STATE_COLOURS[c.state],
        fillOpacity: 0.95,
      })
        .bindTooltip(`${escape(c.code)} · ${t(c.state)}${c.openCase ? ` · #${c.openCase}` : ""}`, { className: "grid-tip" })
        .addTo(this.group);
    }
    this.count = found.length;
  }
}
