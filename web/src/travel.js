// Time travel, for auditors: the page as of an instant (map, markers, panels and the feed
// as they stood), a replay of a period frame by frame at a speed, a pause that holds the
// replay's moment still, and the way back to the live page. The bar is travelbar.js.

import { showEvent, showMarker, showMarkers } from "./cases.js";
import { showBanner, showConnection, showError } from "./header.js";
import { caseEvents, t } from "./i18n.js";
import { full } from "./format.js";
import { startLive, stopLive } from "./live.js";
import { renderHeadline } from "./panels.js";
import { BACKLOG, EVENTS, Q, REPLAY } from "./queries.js";

/** A replay refreshes the panels this often at most (each frame brings its headline). */
const REPLAY_PANELS_MS = 5000;

export class Travel {
  constructor(center) {
    this.center = center;
    this.replayStop = null;
    this.panelsAt = 0; // when a replay last refreshed the panels
  }

  async asOf(instant) {
    const { center } = this;
    const { api, map } = center;
    stopLive(center);
    this.stopReplay();
    center.mode = "asOf";
    center.asOf = { instant: instant.toISOString() };
    center.clock = instant;
    document.body.dataset.mode = "asOf";
    this.banner(t("asOfBanner", { t: full(instant) }));
    center.feed.clear();
    try {
      const [{ grids }, { caseMarkers }, { moment }] = await Promise.all([
        api.query(Q.grids, { asOf: center.asOf }),
        api.query(Q.markers, { asOf: center.asOf }),
        api.query(Q.moment, { asOf: center.asOf }),
      ]);
      if (center.mode !== "asOf") return;
      map.grids.setStatuses(grids);
      showMarkers(center, caseMarkers);
      center.position = moment.position;
      await center.refreshPanels();
      map.components.refresh();
      this.fillFeedUpTo(moment.position);
      document.body.dataset.asOf = center.asOf.instant;
      showError(null);
    } catch (error) {
      showError(error);
    }
  }

  /** The feed as it stood at `position`: the case events just before it. */
  fillFeedUpTo(position) {
    const { center } = this;
    const payload = { query: EVENTS, variables: { after: Math.max(0, position - BACKLOG), filter: { names: caseEvents } } };
    const stop = center.api.subscribe(payload, ({ events: e }) => {
      if (e.position > position || center.mode !== "asOf") {
        stop();
        return;
      }
      showEvent(center, e, false);
      if (e.position === position) stop();
    });
    center.live.push(stop);
  }

  replay({ start, end, speed }) {
    const { center } = this;
    const { map } = center;
    stopLive(center);
    this.stopReplay();
    center.mode = "replay";
    document.body.dataset.mode = "replay";
    center.feed.clear();
    let first = true;
    this.replayStop = center.api.subscribe(
      { query: REPLAY, variables: { start: start.toISOString(), end: end.toISOString(), speed, area: center.filter.area } },
      ({ replay: frame }) => {
        center.clock = new Date(frame.at);
        center.asOf = { position: frame.position };
        center.position = frame.position;
        if (first) {
          first = false;
          showMarkers(center, frame.markers);
        } else {
          for (const m of frame.markers) showMarker(center, m, true);
          for (const id of frame.ended) map.cases.remove(id);
        }
        map.grids.setStatuses(frame.grids);
        for (const e of frame.events) showEvent(center, e, false);
        if (center.panels) center.panels.headline = frame.headline;
        renderHeadline(document.querySelector("#headline"), frame.headline);
        center.renderLegend();
        this.banner(frame.done ? `${t("replayDone")} · ${full(frame.at)}` : t("replayBanner", { t: full(frame.at), s: speed }));
        document.body.dataset.replayAt = frame.at;
        center.travelBar.replayAt(new Date(frame.at), frame.done);
        if (frame.done || Date.now() - this.panelsAt > REPLAY_PANELS_MS) {
          this.panelsAt = Date.now();
          center.refreshPanels();
        }
      },
      { onError: showError },
    );
  }

  stopReplay() {
    this.replayStop?.();
    this.replayStop = null;
  }

  /** A paused replay holds still where it is: the map and panels as of its clock. */
  pause() {
    this.stopReplay();
    this.banner(t("asOfBanner", { t: full(this.center.clock) }));
  }

  async live() {
    this.stopReplay();
    stopLive(this.center);
    this.center.feed.clear();
    document.body.dataset.asOf = "";
    await startLive(this.center);
  }

  /** The banner names the moment shown; the pill then says which travel it is. */
  banner(text) {
    showBanner(text);
    showConnection(this.center.connection, this.center.mode);
  }
}
