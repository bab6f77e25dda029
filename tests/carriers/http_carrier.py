"""A carrier plug-in that talks HTTP to a carrier's API, and a small carrier server for tests.

It proves the plug-in interface with a real network round trip: ``ship`` POSTs the parcel as
JSON to ``{url}/ship`` and gets ``{"tracking", "master", "label_zpl"}`` back; ``void`` POSTs
``{"numbers": [...]}`` to ``{url}/void``; ``manifest`` GETs ``{url}/manifest``. The test registers
it under the entry-point group ``packdesk.carriers`` as ``httptest`` (a dist-info folder on
``sys.path``), as a third-party plug-in would be installed.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from app.carriers.base import CarrierError, CarrierLabel, ManifestParcel, ParcelRequest


class HttpCarrier:
    name = "httptest"

    def _post(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        req = urllib.request.Request(
            url,
            data=json.dumps(body, default=str).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=5) as answer:
                return dict(json.loads(answer.read()))
        except urllib.error.HTTPError as exc:
            raise CarrierError(carrier="HTTP test", detail=exc.read().decode() or str(exc)) from exc

    def ship(self, request: ParcelRequest) -> CarrierLabel:
        body = asdict(request)
        body.pop("take_pool_number")
        answer = self._post(request.config["url"] + "/ship", body)
        return CarrierLabel(
            answer["tracking"],
            master_tracking=answer.get("master", ""),
            label=answer["label_zpl"].encode(),
            label_format="zpl",
        )

    def void(self, tracking_numbers: Sequence[str], config: dict[str, Any]) -> None:
        self._post(config["url"] + "/void", {"numbers": list(tracking_numbers)})

    def manifest(self, parcels: Sequence[ManifestParcel], config: dict[str, Any]) -> bytes | None:
        body = {"parcels": [asdict(p) for p in parcels]}
        return json.dumps(self._post(config["url"] + "/manifest", body), default=str).encode()


class CarrierServer:
    """A carrier API on 127.0.0.1: hands out numbers ``HT000001``..., keeps what it was sent."""

    def __init__(self) -> None:
        self.shipped: list[dict[str, Any]] = []
        self.voided: list[str] = []
        self.fail_next = ""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if server.fail_next:
                    reason, server.fail_next = server.fail_next, ""
                    self._answer(422, reason.encode())
                    return
                if self.path == "/ship":
                    server.shipped.append(body)
                    number = f"HT{len(server.shipped):06d}"
                    zpl = f"^XA^FO40,40^BCN,120,Y,N,N^FD{number}^FS^XZ\n"
                    out = {"tracking": number, "master": body["master_tracking"], "label_zpl": zpl}
                elif self.path == "/void":
                    server.voided += body["numbers"]
                    out = {"voided": len(body["numbers"])}
                else:
                    out = {"parcels": len(body["parcels"])}
                self._answer(200, json.dumps(out).encode())

            def _answer(self, code: int, data: bytes) -> None:
                self.send_response(code)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> CarrierServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
