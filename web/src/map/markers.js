// The open cases on the wall map: a marker a case, coloured open, urgent or overdue,
// clustered when zoomed out (a cluster turns red with its overdue share); a new report
// pulses for a few seconds. Markers outside the filter stay known but are not shown.

import L from "../leaflet.js";
import "leaflet.markercluster";
import "leaflet.markercluster/dist/MarkerCluster.css";

import { channelName, stageName, t } from "../i18n.js";
import { escape } from "../format.js";

const PULSE_MS = 6000;

export class CaseMarkers {
  constructor(map, onCase) {
    this.onCase = onCase;
    this.markers = new Map(); // case id -> marker
    this.filter = { area: "", category: "" };
    this.cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 60,
      disableClusteringAtZoom: 17,
      chunkedLoading: true,
      iconCreateFunction: (cluster) => clusterIcon(cluster),
    }).addTo(map);
    this.pulses = L.layerGroup().addTo(map);
  }

  /** All the markers at once, in place of those there were. */
  set(list) {
    this.cluster.clearLayers();
    this.markers.clear();
    this.pulses.clearLayers();
    const layers = list.map((m) => this.make(m));
    this.cluster.addLayers(layers.filter((l) => this.shown(l.caseData)));
  }

  setFilter(filter) {
    this.filter = filter;
    for (const marker of this.markers.values()) this.place(marker);
  }

  shown(data) {
    const { area, category } = this.filter;
    return (!area || data.grid.startsWith(area)) && (!category || data.category === category);
  }

  make(data) {
    const marker = L.marker([data.lat, data.lon], { icon: caseIcon(data), keyboard: false });
    marker.caseData = data;
    marker.on("click", () => this.onCase(data.number));
    marker.bindTooltip(() => markerTip(marker.caseData), { direction: "top", className: "grid-tip", opacity: 1 });
    this.markers.set(data.id, marker);
    return marker;
  }

  place(marker) {
    const wanted = this.shown(marker.caseData);
    const present = this.cluster.hasLayer(marker);
    if (wanted && !present) this.cluster.addLayer(marker);
    if (!wanted && present) this.cluster.removeLayer(marker);
  }

  /** A case reported or changed; `pulse` for a new report. */
  upsert(data, pulse = false) {
    const known = this.markers.get(data.id);
    if (known) {
      known.caseData = { ...known.caseData, ...data };
      known.setIcon(caseIcon(known.caseData));
      return;
    }
    if (data.lat == null) return;
    const marker = this.make(data);
    this.place(marker);
    if (pulse && this.shown(data)) this.pulse(data);
  }

  /** What the map knows of an open case, by case id; undefined for a case it has no marker of. */
  of(id) {
    return this.markers.get(id)?.caseData;
  }

  remove(id) {
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

  /** Zoom until the case's marker is out of its cluster. */
  focus(number) {
    for (const marker of this.markers.values()) {
      if (marker.caseData.number === number) {
        this.cluster.zoomToShowLayer(marker, () => {});
        return;
      }
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
