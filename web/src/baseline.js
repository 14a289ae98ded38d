// The benchmark's baseline: the same Leaflet canvas drawing the same grid polygons from a
// static GeoJSON file (grids.json beside this page), with nothing else — no sign-in, no
// GraphQL, no subscriptions, no panels. `gridcenter bench page` times it beside the page.
import L from "leaflet";
import "leaflet/dist/leaflet.css";

const started = performance.now();
const response = await fetch(new URL("grids.json", location.href));
const geojson = await response.json();
const map = L.map("map", { renderer: L.canvas({ padding: 0.3 }), preferCanvas: true, zoomSnap: 0.25 });
const layer = L.geoJSON(geojson, {
  style: (f) => ({ color: "#0b1220", weight: 1, fillColor: "#1f9d6a", fillOpacity: 0.42 }),
}).addTo(map);
map.fitBounds(layer.getBounds(), { padding: [10, 10] });
requestAnimationFrame(() => {
  // ms: from navigation, as the page's timings.coloured; script: from this script's start
  window.baseline = { drawn: layer.getLayers().length, ms: performance.now(), script: performance.now() - started };
});
