// The grids on the wall map: one polygon a grid, filled by its status level and
// recoloured live, faded outside the chosen area, with a tooltip of its figures; and
// where a pointer can rest on a grid, free of markers and controls.

import L from "../leaflet.js";

import { named, t } from "../i18n.js";
import { escape, short } from "../format.js";

export const LEVEL_COLOURS = { normal: "#1f9d6a", attention: "#e0a800", alarm: "#e5484d" };

export class GridLayer {
  constructor(map, renderer) {
    this.map = map;
    this.renderer = renderer;
    this.status = new Map(); // grid code -> status
    this.layers = new Map(); // grid code -> polygon layer
    this.workerNames = new Map();
    this.area = "";
    this.places = { streets: [], communities: [] }; // features named in the tooltip
    this.group = L.featureGroup().addTo(map);
    this.group.bindTooltip((layer) => this.tooltip(layer.feature.properties.code), {
      sticky: true,
      direction: "top",
      className: "grid-tip",
      opacity: 1,
    });
    this.group.on("mouseover", (e) => e.layer.setStyle({ weight: 3, color: "#ffffff" }));
    this.group.on("mouseout", (e) => e.layer.setStyle(this.style(e.layer.feature.properties.code)));
    this.zooming = false;
    map.on("zoomstart", () => (this.zooming = true)).on("zoomend", () => (this.zooming = false));
  }

  /** The grids of `gridMap`; `places` are the street and community features the tooltips name. */
  draw(gridMap, places) {
    this.group.clearLayers();
    this.layers.clear();
    this.places = places;
    L.geoJSON(gridMap, {
      renderer: this.renderer,
      style: (feature) => this.style(feature.properties.code),
      onEachFeature: (feature, layer) => {
        this.layers.set(feature.properties.code, layer);
        this.group.addLayer(layer);
      },
    });
    this.bounds = this.group.getBounds();
  }

  style(code) {
    const status = this.status.get(code);
    const level = status?.level ?? "normal";
    const inside = !this.area || code.startsWith(this.area);
    return {
      color: inside ? "#0b1220" : "#1b2436",
      weight: 1,
      opacity: 1,
      fillColor: LEVEL_COLOURS[level] ?? LEVEL_COLOURS.normal,
      fillOpacity: inside ? (level === "normal" ? 0.42 : 0.7) : 0.08,
    };
  }

  /** New statuses for some grids (all of them on the first answer). */
  setStatuses(statuses) {
    for (const status of statuses) {
      this.status.set(status.code, status);
      const layer = this.layers.get(status.code);
      if (layer) layer.setStyle(this.style(status.code));
    }
  }

  levels() {
    const counts = { normal: 0, attention: 0, alarm: 0 };
    for (const code of this.layers.keys()) counts[this.status.get(code)?.level ?? "normal"] += 1;
    return counts;
  }

  /** Fade the grids outside `area` ("" for none). */
  setArea(area) {
    this.area = area;
    for (const code of this.layers.keys()) this.layers.get(code).setStyle(this.style(code));
  }

  /** The bounds of the grids inside `area`; null when it has none. */
  boundsOf(area) {
    const inside = [...this.layers.entries()].filter(([c]) => c.startsWith(area));
    return inside.length ? L.featureGroup(inside.map(([, l]) => l)).getBounds() : null;
  }

  /** Where the pointer can rest on a grid: inside its outline and on the map's canvas,
   * not under a marker, a cluster or a control. When markers cover it all, the map zooms
   * to the grid, as an operator would, and looks again. */
  async openSpot(code) {
    const layer = this.layers.get(code);
    if (!layer) return null;
    const spot = await this.settledSpot(layer);
    if (spot) return spot;
    this.map.fitBounds(layer.getBounds(), { padding: [80, 80], animate: false });
    return this.settledSpot(layer);
  }

  /** A free spot once zooming and the clusters' own animations have had a second to end. */
  async settledSpot(layer) {
    const until = performance.now() + 1000;
    for (;;) {
      const spot = this.zooming ? null : this.freeSpot(layer);
      if (spot || performance.now() > until) return spot;
      await new Promise((done) => requestAnimationFrame(done));
    }
  }

  /** The centre first, then a widening scan of the grid's box. */
  freeSpot(layer) {
    let ring = layer.getLatLngs();
    while (!L.LineUtil.isFlat(ring)) ring = ring[0];
    const outline = ring.map((ll) => this.map.latLngToContainerPoint(ll));
    const box = this.map.getContainer().getBoundingClientRect();
    const bounds = L.bounds(outline);
    const centre = this.map.latLngToContainerPoint(layer.getCenter());
    const candidates = [centre];
    const steps = 12;
    for (let i = 1; i < steps; i++) {
      for (let j = 1; j < steps; j++) {
        candidates.push(L.point(
          bounds.min.x + ((bounds.max.x - bounds.min.x) * i) / steps,
          bounds.min.y + ((bounds.max.y - bounds.min.y) * j) / steps,
        ));
      }
    }
    candidates.sort((a, b) => a.distanceTo(centre) - b.distanceTo(centre));
    const pane = this.map.getPanes().overlayPane;
    for (const p of candidates) {
      const x = box.left + p.x;
      const y = box.top + p.y;
      const top = document.elementFromPoint(x, y);
      const clear = inside(p, outline) && clearOfEdges(p, outline, EDGE_CLEARANCE);
      if (clear && top?.tagName === "CANVAS" && pane.contains(top)) return { x, y };
    }
    return null;
  }

  tooltip(code) {
    const status = this.status.get(code);
    const layer = this.layers.get(code);
    const props = layer?.feature.properties ?? {};
    const worker = status?.worker ? this.workerNames.get(status.worker) ?? status.worker : t("unstaffed");
    const community = this.places.communities.find((f) => f.properties.code === code.slice(0, 12));
    const street = this.places.streets.find((f) => f.properties.code === code.slice(0, 9));
    const place = [street, community]
      .filter(Boolean)
      .map((f) => named({ nameZh: f.properties.name_zh, nameEn: f.properties.name_en }))
      .join(" · ");
    const level = status?.level ?? "normal";
    const rows = [
      [t("open"), status?.open ?? 0],
      [t("overdue"), status?.overdue ?? 0],
      [t("urgent"), status?.urgent ?? 0],
      [t("dueSoon"), status?.dueSoon ?? 0],
      [t("households"), props.households ?? "–"],
    ];
    return `<div class="tip">
      <div class="tip-head"><b>${escape(code)}</b> <span class="chip ${level}">${t(level)}</span></div>
      <div class="tip-sub">${escape(named({ nameZh: props.name_zh, nameEn: props.name_en }) || place)}</div>
      <div class="tip-sub">${t("worker")}: ${escape(worker)}</div>
      <table>${rows.map(([k, v]) => `<tr><td>${k}</td><td class="num">${v}</td></tr>`).join("")}</table>
      ${status?.lastReport ? `<div class="tip-sub">${t("lastReport")}: ${short(status.lastReport)}</div>` : ""}
    </div>`;
  }
}

/** Pixels a free spot keeps from its grid's edges: a neighbour drawn later takes the
 * pointer on its own stroke (hovered, three pixels wide). */
const EDGE_CLEARANCE = 4;

function clearOfEdges(p, outline, distance) {
  for (let i = 0, j = outline.length - 1; i < outline.length; j = i++) {
    if (L.LineUtil.pointToSegmentDistance(p, outline[i], outline[j]) < distance) return false;
  }
  return true;
}

/** Ray casting: whether a point lies inside a closed outline (screen pixels). */
function inside(p, outline) {
  let within = false;
  for (let i = 0, j = outline.length - 1; i < outline.length; j = i++) {
    const a = outline[i];
    const b = outline[j];
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) within = !within;
  }
  return within;
}
