// The time-travel bar (auditors): an instant picked with a slider over the last days or
// a date and time, or a period and a speed to replay; travel.js takes the page there.

import { t } from "./i18n.js";
import { fromLocalInput, localInput } from "./format.js";

const DAYS = 7;
const SPEEDS = [60, 300, 900, 3600, 14400];

export class TravelBar {
  constructor(element, { allowed, onAsOf, onReplay, onPause, onLive }) {
    Object.assign(this, { element, allowed, onAsOf, onReplay, onPause, onLive });
    this.open = false;
    this.playing = false;
    this.at = null; // the replay clock reached
    const now = Date.now();
    this.instant = new Date(now - 3600_000);
    this.start = new Date(now - 6 * 3600_000);
    this.end = new Date(now);
    this.speed = 900;
    element.addEventListener("click", (e) => this.clicked(e));
    element.addEventListener("input", (e) => this.changed(e));
    element.addEventListener("change", (e) => this.changed(e));
    this.render();
  }

  render() {
    const toggle = `<button type="button" class="ghost travel-toggle" data-travel="toggle" ${this.allowed ? "" : "disabled"}
      title="${this.allowed ? t("travel") : t("travelAuditors")}">${t("travel")}</button>`;
    if (!this.open) {
      this.element.innerHTML = toggle;
      return;
    }
    const now = Date.now();
    const low = now - DAYS * 86400_000;
    const slider = Math.round((+this.instant - low) / 60_000);
    this.element.innerHTML = `${toggle}
      <div class="travel-panel">
        <div class="travel-row">
          <b>${t("asOf")}</b>
          <input type="range" data-travel="slider" min="0" max="${DAYS * 1440}" step="5" value="${slider}" aria-label="${t("asOf")}">
          <input type="datetime-local" data-travel="instant" value="${localInput(this.instant)}">
          <button type="button" class="primary" data-travel="show">${t("showAsOf")}</button>
        </div>
        <div class="travel-row">
          <b>${t("replay")}</b>
          <label>${t("from")} <input type="datetime-local" data-travel="start" value="${localInput(this.start)}"></label>
          <label>${t("to")} <input type="datetime-local" data-travel="end" value="${localInput(this.end)}"></label>
          <label>${t("speed")} <select data-travel="speed">${SPEEDS.map((s) => `<option value="${s}"${s === this.speed ? " selected" : ""}>×${s}</option>`).join("")}</select></label>
          <button type="button" class="primary" data-travel="play">${this.playing ? t("pause") : t("play")}</button>
          <button type="button" class="ghost" data-travel="live">${t("backToLive")}</button>
        </div>
      </div>`;
    this.low = low;
  }

  changed(e) {
    const which = e.target.dataset.travel;
    if (which === "slider") {
      this.instant = new Date(this.low + Number(e.target.value) * 60_000);
      this.element.querySelector('[data-travel="instant"]').value = localInput(this.instant);
    } else if (which === "instant") {
      this.instant = fromLocalInput(e.target.value) ?? this.instant;
    } else if (which === "start") {
      this.start = fromLocalInput(e.target.value) ?? this.start;
      this.at = null;
    } else if (which === "end") {
      this.end = fromLocalInput(e.target.value) ?? this.end;
    } else if (which === "speed") {
      this.speed = Number(e.target.value);
    }
  }

  clicked(e) {
    const which = e.target.closest("[data-travel]")?.dataset.travel;
    if (which === "toggle") {
      this.open = !this.open;
      this.render();
    } else if (which === "show") {
      this.playing = false;
      this.render();
      this.onAsOf(this.instant);
    } else if (which === "play") {
      if (this.playing) {
        this.playing = false;
        this.onPause();
      } else {
        this.playing = true;
        const from = this.at && this.at < this.end ? this.at : this.start; // a paused replay goes on
        this.onReplay({ start: from, end: this.end, speed: this.speed });
      }
      this.render();
    } else if (which === "live") {
      this.playing = false;
      this.at = null;
      this.render();
      this.onLive();
    }
  }

  /** The replay clock reached `at`; `done` at the end of the period. */
  replayAt(at, done) {
    this.at = done ? null : at;
    if (done && this.playing) {
      this.playing = false;
      this.render();
    }
  }
}
