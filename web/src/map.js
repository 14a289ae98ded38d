// The wall map: Leaflet on its canvas renderer (no GPU needed), with no tile server —
// the grids, communities and streets are the base map (an optional tile layer comes from
// the settings). Its layers are parts of their own: the grids coloured by status
// (map/grids.js), the open cases' markers (map/markers.js) and the components layer
// (map/components.js), which can be switched on; this module puts them together with
// the outlines and street names, and applies the filter to all of them.

import L from "./leaflet.js";
import "leaflet/dist/leaflet.css";

import { named, t } from "./i18n.js";
import { escape } from "./format.js";
import { ComponentLayer } from "./map/components.js";
import { GridLayer } from "./map/grids.js";
import { CaseMarkers } from "./map/markers.js";

export { LEVEL_COLOURS } from "./map/grids.js";

export class GridMap {
  /** `onCase(number)` when a case's marker is clicked; `loadComponents` see ComponentLayer. */
  constructor(element, { onCase, loadComponents }) {
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
    this.drawnGrids = 0;
    this.tiles = null;
    this.streetFeatures = [];

    this.communities = L.layerGroup().addTo(this.map);
    this.grids = new GridLayer(this.map, this.renderer);
    this.streets = L.layerGroup().addTo(this.map);
    this.labels = L.layerGroup().addTo(this.map);
    this.cases = new CaseMarkers(this.map, onCase);
    this.components = new ComponentLayer(this.map, this.renderer, loadComponents);

    L.control
      .layers(
        {},
        {
          [`<span data-layer="cases">${t("cases")}</span>`]: this.cases.cluster,
          [`<span data-layer="components">${t("components")}</span>`]: this.components.group,
          [`<span data-layer="streets">${t("streetsLayer")}</span>`]: this.streets,
        },
        { collapsed: false, position: "topright" },
      )
      .addTo(this.map);
  }

  /** Draw the base map: grids, community and street outlines, street names. */
  drawBase(gridMap, streets, communities) {
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
    this.drawLabels();
    this.grids.draw(gridMap, { streets: streets.features, communities: communities.features });
    this.drawnGrids = this.grids.layers.size;
    this.map.fitBounds(this.grids.bounds, { padding: [10, 10] });
  }

  drawLabels() {
    this.labels.clearLayers();
    for (const feature of this.streetFeatures) {
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

  /** The area, category and department chosen: grids faded, markers hidden, the map fitted. */
  setFilter(filter) {
    const { area } = filter;
    this.grids.setArea(area);
    this.cases.setFilter(filter);
    if (area) {
      const bounds = this.grids.boundsOf(area);
      if (bounds) this.map.fitBounds(bounds, { padding: [30, 30] });
    } else if (this.grids.bounds) {
      this.map.fitBounds(this.grids.bounds, { padding: [10, 10] });
    }
    this.components.setArea(area);
  }

  relabel() {
    this.drawLabels();
    const container = this.map.getContainer();
    for (const span of container.querySelectorAll("[data-layer]")) {
      span.textContent = t({ cases: "cases", components: "components", streets: "streetsLayer" }[span.dataset.layer]);
    }
  }
}
