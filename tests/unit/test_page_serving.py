"""The page at `/`: what web/dist holds, with a content security policy and no caching of
the shell (its assets have hashed names); a clear answer when it has not been built."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware

from api.limits import RequestLimits
from api.page import routes


class Client:
    """GET requests straight into the ASGI application, no server."""

    def __init__(self, dist: Path) -> None:
        # the limits as the server has them: a file must stream through them whole
        self.app = Starlette(routes=routes(dist), middleware=[Middleware(RequestLimits)])

    def get(self, path: str) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://wall") as http:
                return await http.get(path)

        return asyncio.run(send())


def client(dist: Path) -> Client:
    return Client(dist)


def test_the_page_and_its_assets_are_served_from_the_build(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>wall</title>", encoding="utf-8")
    (tmp_path / "assets" / "main-ABC.js").write_text("console.log(1)", encoding="utf-8")
    page = client(tmp_path).get("/")
    assert page.status_code == 200 and "<title>wall</title>" in page.text
    assert page.headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    asset = client(tmp_path).get("/assets/main-ABC.js")
    assert asset.status_code == 200 and asset.text == "console.log(1)"
    assert client(tmp_path).get("/assets/nothing.js").status_code == 404


def test_a_page_not_built_says_how_to_build_it(tmp_path: Path) -> None:
    answer = client(tmp_path / "missing").get("/")
    assert answer.status_code == 503
    assert "npm ci" in answer.text and "bash infra/run.sh demo" in answer.text
