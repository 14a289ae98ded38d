// Leaflet as a global before its plugins load: leaflet.markercluster extends window.L.
import L from "leaflet";

window.L = L;
export default L;
