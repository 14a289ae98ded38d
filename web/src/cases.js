// The cases as the page shows them: the open cases' markers, and each case event put
// onto the markers, the feed and the open drawer (then the panels a little later). Live,
// as-of and replay pages all show cases this way.

import { detail } from "./drawer.js";
import { named } from "./i18n.js";

const ENDS = new Set(["CaseClosed", "CaseRejected", "CaseMerged", "CaseResolvedOnSpot"]);
const STAGE_OF = {
  CaseConfirmed: "confirmed", CaseFiled: "filed", CaseDispatched: "dispatched", CaseAccepted: "accepted",
  CaseReturned: "returned", CaseHandled: "handled", CaseVerified: "verified", ReworkOrdered: "rework",
};
/** Case numbers remembered by case id; the oldest are forgotten past this. */
const NUMBERS_KEPT = 20_000;

/** All the open cases at once (a new page, a new moment). */
export function showMarkers(center, list) {
  for (const m of list) remember(center, m.id, m.number);
  center.map.cases.set(list.map((m) => withName(center, m)));
}

/** One open case as it is now; `pulse` for a new report. */
export function showMarker(center, marker, pulse = false) {
  remember(center, marker.id, marker.number);
  center.map.cases.upsert(withName(center, marker), pulse);
}

/** One case event: the feed, the markers, the drawer, and the panels a little later. */
export function showEvent(center, e, fresh) {
  const { map } = center;
  const d = e.data || {};
  if (e.name === "CaseReported") {
    const [lon, lat] = d.location ?? [];
    showMarker(center, { id: e.originator, number: d.number, lon, lat, grid: d.grid, category: d.category, channel: d.channel, stage: "reported", urgent: false, overdue: false, reportedAt: e.at }, fresh);
  } else if (ENDS.has(e.name)) {
    map.cases.remove(e.originator);
  } else if (map.cases.of(e.originator)) {
    const change = {};
    if (STAGE_OF[e.name]) change.stage = STAGE_OF[e.name];
    if (e.name === "CaseFiled") change.urgent = Boolean(d.urgent);
    if (e.name === "CaseOverdue") change.overdue = true;
    if (["CaseDispatched", "ExtensionGranted", "CaseResumed", "CaseReturned"].includes(e.name)) change.overdue = false;
    if (Object.keys(change).length) map.cases.upsert({ id: e.originator, ...change });
  }
  const number = center.numbers.get(e.originator);
  const marker = map.cases.of(e.originator);
  if (center.filter.area && marker && !marker.grid.startsWith(center.filter.area)) return;
  center.feed.add({ position: e.position, name: e.name, at: e.at, by: e.by, number, detail: detail(e, center.catalog) });
  if (number != null) center.drawer.changed(number, e.position);
  if (fresh) center.schedulePanels(3000);
}

function withName(center, marker) {
  const category = center.catalog.categories.find((c) => c.code === marker.category);
  return { ...marker, categoryName: category ? named(category.name) : marker.category };
}

function remember(center, id, number) {
  const { numbers } = center;
  numbers.delete(id);
  numbers.set(id, number);
  if (numbers.size > NUMBERS_KEPT) numbers.delete(numbers.keys().next().value);
}
