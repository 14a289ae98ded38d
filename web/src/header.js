// The top of the page and the bars that speak for it: the sign-in dialog and the token
// it keeps, the signed-in viewer, the clock, the connection pill, the language and
// settings buttons; the error bar and the mode banner under the map.

import { language, setLanguage, t } from "./i18n.js";
import { full } from "./format.js";

const $ = (selector) => document.querySelector(selector);

/** The token given in the address (then kept, and taken out of the address bar) or kept before. */
export function takeToken() {
  const url = new URL(location.href);
  const given = url.searchParams.get("token");
  if (given) {
    localStorage.setItem("gridcenter.token", given);
    url.searchParams.delete("token");
    history.replaceState(null, "", url.pathname + url.search + url.hash); // not left in the address bar
  }
  return localStorage.getItem("gridcenter.token");
}

export function showSignIn(rejected = false) {
  const dialog = $("#sign-in");
  $("#sign-in-error").textContent = rejected ? t("tokenRejected") : "";
  dialog.hidden = false;
  $("#token-input").focus();
}

/** The header's buttons and dialogs; `onTiles(url)` when the settings name another tile server,
 * `shown()` the time the clock shows (null for none). */
export function wireHeader({ onTiles, shown }) {
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
    onTiles(url);
    $("#settings").hidden = true;
  });
  $("#settings-cancel").addEventListener("click", () => ($("#settings").hidden = true));

  setInterval(() => {
    const at = shown();
    $("#clock").textContent = at ? full(at) : "";
  }, 1000);
  addEventListener("resize", measureChrome);
  measureChrome();
}

export function showViewer(viewer) {
  $("#viewer").textContent = `${viewer.name} · ${t(viewer.role)}`;
}

/** The connection pill: the socket's status, or the travel mode once connected. */
export function showConnection(status, mode) {
  const pill = $("#connection");
  pill.dataset.status = status;
  const travelling = status === "live" && mode !== "live";
  pill.textContent = travelling
    ? t(mode === "replay" ? "replaying" : "asOf")
    : t({ live: "live", connecting: "connecting", reconnecting: "reconnecting", refused: "tokenRejected" }[status] ?? "offline");
  document.body.dataset.connection = status;
  if (status === "refused") showSignIn(true);
}

export function showError(error) {
  const bar = $("#error-bar");
  bar.textContent = error ? t("error", { m: error.message ?? String(error) }) : "";
  bar.hidden = !error;
}

/** The banner over the map that says which moment a travelling page shows; null hides it. */
export function showBanner(text) {
  const banner = $("#mode-banner");
  banner.textContent = text ?? "";
  banner.hidden = text == null;
}

/** The height of the top and filter bars, for the layout under them (it changes with the language). */
export function measureChrome() {
  const height = $(".top").offsetHeight + $(".filters-bar").offsetHeight;
  document.documentElement.style.setProperty("--chrome", `${height}px`);
}
