// The wall map: Leaflet on its canvas renderer (no GPU needed), with no tile server —
// the grids, communities and streets are the base map (an optional tile layer comes from
// the settings). Grids are coloured by their status level and recoloured live; open cases
// are markers, clustered when zoomed out, new reports pulse; the components layer
// (部件) can be switched on.

import L from "./leaflet.js";
import "leaflet.markercluster";
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";

import { channelName, named, stageName, t } from "./i18n.js";
import { escape, short } from "./format.js";

export const LEVEL_COLOURS = { normal: "#1f9d6a", attention: "#e0a800", alarm: "#e5484d" };
const STATE_COLOURS = { intact: "#3fb6ff", faulty: "#ff6b2c", removed: "#7d8796" };
const PULSE_MS = 6000;
const COMPONENT_ZOOM = 15;
/** From this zoom on every component in view is drawn; below it, only the faulty and removed. */

export class GridMap {
  constructor(element, { onCase, loadComponents }) {
    this.onCase = onCase;
    this.loadComponents = loadComponents;
    this.renderer = L.canvas({ padding: 0.3 });
    this.map = L.map(element, {
      renderer: this.renderer,
      preferCanvas: true,
      zoomSnap: 0.25,
      zoomControl: true,
      attributionControl: false,
      minZoom: 11,
      maxZoom: 19,
    });
    this.status = new Map(); // grid code -> status
    this.layers = new Map(); // grid code -> polygon layer
    this.markers = new Map(); // case id -> marker
    this.workerNames = new Map();
    this.filter = { area: "", category: "" };
    this.drawnGrids = 0;
    this.tiles = null;

    this.communities = L.layerGroup().addTo(this.map);
    this.grids = L.featureGroup().addTo(this.map);
    this.streets = L.layerGroup().addTo(this.map);
    this.labels = L.layerGroup().addTo(this.map);
    this.cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 60,
      disableClusteringAtZoom: 17,
      chunkedLoading: true,
      iconCreateFunction: (cluster) => clusterIcon(cluster),
    }).addTo(this.map);
    this.pulses = L.layerGroup().addTo(this.map);
    this.components = L.layerGroup();

    this.grids.bindTooltip((layer) => this.tooltip(layer.feature.properties.code), {
      sticky: true,
      direction: "top",
      className: "grid-tip",
      opacity: 1,
    });
    this.grids.on("mouseover", (e) => e.layer.setStyle({ weight: 3, color: "#ffffff" }));
    this.grids.on("mouseout", (e) => e.layer.setStyle(this.style(e.layer.feature.properties.code)));

    L.control
      .layers(
        {},
        {
          [`<span data-layer="cases">${t("cases")}</span>`]: this.cluster,
          [`<span data-layer="components">${t("components")}</span>`]: this.components,
          [`<span data-layer="streets">${t("streetsLayer")}</span>`]: this.streets,
        },
        { collapsed: false, position: "topright" },
      )
      .addTo(this.map);
    this.map.on("overlayadd overlayremove", (e) => {
      if (e.layer === this.components) this.refreshComponents();
    });
    this.zooming = false;
    this.map.on("zoomstart", () => (this.zooming = true)).on("zoomend", () => (this.zooming = false));
    let waiting = null;
    this.map.on("moveend", () => {
      clearTimeout(waiting);
      waiting = setTimeout(() => this.refreshComponents(), 250);
    });
  }

  /** Draw the base map: grids, community and street outlines, street names. */
  drawBase(gridMap, streets, communities) {
    this.grids.clearLayers();
    this.layers.clear();
    L.geoJSON(communities, {
      renderer: this.renderer,
      interactive: false,
      style: { color: "#5d738f", weight: 1.5, fill: false, opacity: 0.9 },
    }).addTo(this.communities);
    L.geoJSON(streets, {
      renderer: this.renderer,
      interactive: false,
      style: { color: "#cfe3ff", weight: 3, fill: false, opacity: 0.95 },
    }).addTo(this.streets);
    this.streetFeatures = streets.features;
    this.communityFeatures = communities.features;
    this.drawLabels();
    L.geoJSON(gridMap, {
      renderer: this.renderer,
      style: (feature) => this.style(feature.properties.code),
      onEachFeature: (feature, layer) => {
        this.layers.set(feature.properties.code, layer);
        this.grids.addLayer(layer);
      },
    });
    this.drawnGrids = this.layers.size;
    this.bounds = this.grids.getBounds();
    this.map.fitBounds(this.bounds, { padding: [10, 10] });
  }

  drawLabels() {
    this.labels.clearLayers();
    for (const feature of this.streetFeatures || []) {
      const [lon, lat] = feature.properties.label;
      L.marker([lat, lon], {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({
          className: "area-label",
          html: `<span>${escape(named({ nameZh: feature.properties.name_zh, nameEn: feature.properties.name_en.replace(/ Subdistrict$/, "") }))}</span>`,
          iconSize: null,
        }),
      }).addTo(this.labels);
    }
  }

  setTiles(url) {
    if (this.tiles) this.tiles.remove();
    this.tiles = url ? L.tileLayer(url, { maxZoom: 19, opacity: 0.55 }).addTo(this.map) : null;
    this.tiles?.bringToBack();
  }

  style(code) {
    const status = this.status.get(code);
    const level = status?.level ?? "normal";
    const inside = !this.filter.area || code.startsWith(this.filter.area);
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

  setFilter(filter) {
    this.filter = filter;
    for (const code of this.layers.keys()) this.layers.get(code).setStyle(this.style(code));
    for (const marker of this.markers.values()) this.placeMarker(marker);
    const area = filter.area;
    if (area) {
      const inside = [...this.layers.entries()].filter(([c]) => c.startsWith(area));
      if (inside.length) this.map.fitBounds(L.featureGroup(inside.map(([, l]) => l)).getBounds(), { padding: [30, 30] });
    } else if (this.bounds) {
      this.map.fitBounds(this.bounds, { padding: [10, 10] });
    }
    this.refreshComponents();
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
      if (inside(p, outline) && top?.tagName === "CANVAS" && pane.contains(top)) return { x, y };
    }
    return null;
  }

  tooltip(code) {
    const status = this.status.get(code);
    const layer = this.layers.get(code);
    const props = layer?.feature.properties ?? {};
    const worker = status?.worker ? this.workerNames.get(status.worker) ?? status.worker : t("unstaffed");
    const community = this.communityFeatures?.find((f) => f.properties.code === code.slice(0, 12));
    const street = this.streetFeatures?.find((f) => f.properties.code === code.slice(0, 9));
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

  // Markers --------------------------------------------------------------------------------

  setMarkers(list) {
    this.cluster.clearLayers();
    this.markers.clear();
    this.pulses.clearLayers();
    const layers = list.map((m) => this.makeMarker(m));
    this.cluster.addLayers(layers.filter((l) => this.shown(l.caseData)));
  }

  shown(data) {
    const { area, category } = this.filter;
    return (!area || data.grid.startsWith(area)) && (!category || data.category === category);
  }

  makeMarker(data) {
    const marker = L.marker([data.lat, data.lon], { icon: caseIcon(data), keyboard: false });
    marker.caseData = data;
    marker.on("click", () => this.onCase(data.number));
    marker.bindTooltip(() => markerTip(marker.caseData), { direction: "top", className: "grid-tip", opacity: 1 });
    this.markers.set(data.id, marker);
    return marker;
  }

  placeMarker(marker) {
    const wanted = this.shown(marker.caseData);
    const present = this.cluster.hasLayer(marker);
    if (wanted && !present) this.cluster.addLayer(marker);
    if (!wanted && present) this.cluster.removeLayer(marker);
  }

  /** A case reported or changed; `pulse` for a new report. */
  upsertMarker(data, pulse = false) {
    const known = this.markers.get(data.id);
    if (known) {
      known.caseData = { ...known.caseData, ...data };
      known.setIcon(caseIcon(known.caseData));
      return;
    }
    if (data.lat == null) return;
    const marker = this.makeMarker(data);
    this.placeMarker(marker);
    if (pulse && this.shown(data)) this.pulse(data);
  }

  markerOf(id) {
    return this.markers.get(id)?.caseData;
  }

  removeMarker(id) {
    const marker = this.markers.get(id);
    if (!marker) return;
    this.cluster.removeLayer(marker);
    this.markers.delete(id);
  }

  pulse(data) {
    const ring = L.marker([data.lat, data.lon], {
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: "pulse", iconSize: [28, 28], html: "<span></span>" }),
    }).addTo(this.pulses);
    setTimeout(() => this.pulses.removeLayer(ring), PULSE_MS);
  }

  focus(number) {
    for (const marker of this.markers.values()) {
      if (marker.caseData.number === number) {
        this.cluster.zoomToShowLayer(marker, () => {});
        return;
      }
    }
  }

  // Components -----------------------------------------------------------------------------

  async refreshComponents() {
    if (!this.map.hasLayer(this.components) || !this.loadComponents) return;
    const zoom = this.map.getZoom();
    const b = this.map.getBounds();
    const box = { west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() };
    const everything = zoom >= COMPONENT_ZOOM;
    const asked = (this.componentsAsked = {});
    let found;
    try {
      found = await this.loadComponents({ box, states: everything ? null : ["faulty", "removed"], area: this.filter.area });
    } catch {
      return;
    }
    if (asked !== this.componentsAsked) return; // a later move asked again meanwhile
    this.components.clearLayers();
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
        .addTo(this.components);
    }
    this.componentCount = found.length;
  }

  relabel() {
    this.drawLabels();
    const container = this.map.getContainer();
    for (const span of container.querySelectorAll("[data-layer]")) {
      span.textContent = t({ cases: "cases", components: "components", streets: "streetsLayer" }[span.dataset.layer]);
    }
  }
}

function caseIcon(data) {
  const kind = data.overdue ? "overdue" : data.urgent ? "urgent" : "open";
  return L.divIcon({ className: `case-marker ${kind}`, iconSize: [16, 16], html: "" });
}

function clusterIcon(cluster) {
  const children = cluster.getAllChildMarkers();
  const overdue = children.filter((m) => m.caseData?.overdue).length;
  const count = cluster.getChildCount();
  const share = overdue / count;
  const tone = share >= 0.5 ? " overdue" : share > 0 ? " some-overdue" : "";
  const size = count < 10 ? 26 : count < 100 ? 32 : 38;
  return L.divIcon({
    className: `case-cluster${tone}`,
    html: `<span>${count}</span>`,
    iconSize: [size, size],
  });
}

function markerTip(data) {
  const flags = [data.overdue ? t("overdue") : "", data.urgent ? t("urgent") : ""].filter(Boolean).join(" · ");
  return `<div class="tip"><div class="tip-head"><b>#${data.number}</b> ${escape(stageName(data.stage))}</div>
    <div class="tip-sub">${escape(data.categoryName ?? data.category)} · ${escape(channelName(data.channel))}</div>
    ${flags ? `<div class="tip-sub alarm-text">${flags}</div>` : ""}</div>`;
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
