// window.gridcenter: a little of the page's state for the browser tests
// (tests/e2e/test_page.py) and the benchmarks; their names are what those call.

import { LEVEL_COLOURS } from "./map.js";

/** The hooks on `center`; startup sets `ready`, `drawnGrids` and `timings` as it goes. */
export function testHooks(center) {
  const grids = () => center.map?.grids;
  return (window.gridcenter = {
    ready: false,
    drawnGrids: 0,
    mode: () => center.mode,
    connection: () => center.connection,
    position: () => center.position,
    fillOf: (code) => grids()?.layers.get(code)?.options.fillColor ?? null,
    levelOf: (code) => grids()?.status.get(code)?.level ?? null,
    levels: () => Object.fromEntries([...(grids()?.layers.keys() ?? [])].map((c) => [c, grids().status.get(c)?.level ?? null])),
    replayAt: () => (center.mode === "replay" && center.clock ? center.clock.getTime() : null),
    colours: LEVEL_COLOURS,
    markers: () => center.map?.cases.markers.size ?? 0,
    components: () => center.map?.components.count ?? 0,
    /** A spot of a grid on the screen (page pixels) that no marker or panel covers, for hovering it;
     * zooms to the grid when it has none at the current zoom. */
    pointOf: async (code) => (center.map ? await center.map.grids.openSpot(code) : null),
    feedSize: () => center.feed?.items.length ?? 0,
    timings: {},
  });
}
