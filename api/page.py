"""The command-center page at `/` and its assets at `/assets/…`: what `npm run build`
wrote into web/dist (bash infra/run.sh demo and test build it). The page is a static
shell; everything it shows comes from /graphql with the caller's token."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

import web

DIST = Path(web.__file__).resolve().parent / "dist"
POLICY = (
    "default-src 'self'; connect-src 'self' ws: wss:; img-src * data: blob:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'"
)
"""Scripts and connections only from this server; map tiles (an optional setting of the
page) may come from anywhere."""
NOT_BUILT = """<!doctype html><meta charset="utf-8"><title>gridcenter</title>
<body style="background:#0b1220;color:#e6edf3;font:20px sans-serif;padding:2em">
<h1>The page is not built / 页面尚未构建</h1>
<p>Run <code>bash infra/run.sh demo</code>, or <code>npm ci &amp;&amp; npm run build</code>
in <code>web/</code>, then reload.</p></body>"""


def routes(dist: Path = DIST) -> list[BaseRoute]:
    async def page(request: Request) -> Response:
        index = dist / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503)
        headers = {"Cache-Control": "no-cache", "Content-Security-Policy": POLICY}
        return FileResponse(index, headers=headers)

    assets = StaticFiles(directory=dist / "assets", check_dir=False)
    return [Route("/", page), Mount("/assets", app=assets, name="assets")]
