// The page following the present: the grids' status over gridStatus, the case events
// from a backlog on over the event stream (a reconnect resumes after the last one seen),
// the panels refreshed every half minute and once the socket is back and caught up.

import { showMarkers, showEvent } from "./cases.js";
import { showBanner, showConnection, showError } from "./header.js";
import { caseEvents } from "./i18n.js";
import { BACKLOG, EVENTS, GRID_STATUS, Q } from "./queries.js";

const PANELS_EVERY_MS = 30_000;

/** The socket's status, for Api: shown in the pill; back live, the panels catch up. */
export function connectionOf(center) {
  return (status, again = false) => {
    center.connection = status;
    showConnection(status, center.mode);
    if (status === "live" && again && center.mode === "live") center.schedulePanels(0); // caught up: refresh
  };
}

/** Follow the grids' status; resolves on the first answer (every grid). Statuses that
 * arrive before the map is drawn wait in `center.earlyStatuses`. */
export function followGrids(center) {
  let first = true;
  return new Promise((resolve) => {
    center.live.push(
      center.api.subscribe(
        { query: GRID_STATUS },
        ({ gridStatus }) => {
          if (!center.map) center.earlyStatuses.push(...gridStatus);
          else {
            center.map.grids.setStatuses(gridStatus);
            center.renderLegend();
          }
          if (first) {
            first = false;
            resolve();
          }
        },
        { onError: showError },
      ),
    );
  });
}

/** Back to the present: the open cases now, the feed from the backlog, and the stream on. */
export async function startLive(center, grids = true) {
  const { api } = center;
  center.mode = "live";
  center.asOf = null;
  center.clock = null;
  document.body.dataset.mode = "live";
  showBanner(null);
  showConnection(center.connection, center.mode);
  const following = grids ? followGrids(center) : Promise.resolve();
  const [{ caseMarkers }, head] = await Promise.all([api.query(Q.markers, { asOf: null }), fetch("/healthz").then((r) => r.json())]);
  showMarkers(center, caseMarkers);
  await following;
  center.renderLegend();
  center.position = Math.max(0, head.position - BACKLOG);
  const payload = { query: EVENTS, variables: { after: center.position, filter: { names: caseEvents } } };
  const backlogUntil = head.position;
  center.live.push(
    api.subscribe(payload, ({ events: e }) => {
      payload.variables.after = e.position; // a reconnect resumes after the last one seen
      center.position = e.position;
      showEvent(center, e, e.position > backlogUntil);
    }, { onError: showError }),
  );
  await center.refreshPanels();
  center.panelTimer = setInterval(() => center.schedulePanels(0), PANELS_EVERY_MS);
}

export function stopLive(center) {
  for (const stop of center.live) stop();
  center.live = [];
  clearInterval(center.panelTimer);
  center.panelTimer = null;
}
