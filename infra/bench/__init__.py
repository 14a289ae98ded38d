"""Benchmarks, each against a raw baseline measured in the same run: these machines are
noisy, so a figure means something only beside its baseline. `rebuild`: the views
rebuilt beside reading and decoding the same events; `fanout`: live views delivered to
websocket subscribers beside a plain websockets broadcast of the same payloads; `page`:
the command-center page drawn in Chromium beside an empty page and Leaflet drawing the
same grids from static GeoJSON."""

from infra.bench.rebuild import Rebuild, bench_rebuild

__all__ = ["Rebuild", "bench_rebuild"]
