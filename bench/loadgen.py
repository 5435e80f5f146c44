"""A small closed-loop load generator: N virtual case workers, each logged in, 1–3 s between pages.

Standard library only (threads + http.client) so the measure does not depend on an extra tool.
Each virtual user keeps its own cookies; latency is measured from request sent to body read.
"""

from __future__ import annotations

import http.client
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class PageStats:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0

    def summary(self, duration_s: float) -> dict:
        lat = sorted(self.latencies_ms)
        if not lat:
            return {"p50_ms": None, "p95_ms": None, "rps": 0.0, "errors": self.errors, "requests": 0}
        p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
        return {"p50_ms": round(statistics.median(lat), 1), "p95_ms": round(p95, 1),
                "rps": round(len(lat) / duration_s, 2), "errors": self.errors, "requests": len(lat)}


class Browser:
    """One virtual user's connection and cookies."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(host, port, timeout=30)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def login(self, login_path: str, email: str, password: str) -> None:
        status, page = self.request("GET", login_path)
        token = CSRF_INPUT.search(page)
        if status != 200 or not token:
            raise RuntimeError(f"login page answered {status}")
        status, _ = self.request("POST", login_path, {"csrfmiddlewaretoken": token.group(1),
                                                        "username": email, "password": password})
        if status != 302:
            raise RuntimeError(f"login refused for {email} ({status})")


def run_load(*, host: str, port: int, users: list[dict], login_path: str, password: str,
             duration_s: float, think_s: tuple[float, float] = (1.0, 3.0), seed: int = 1) -> dict:
    """users: [{"email":…, "pages": [(page_name, path), …]}]; returns per-page stats."""
    stats: dict[str, PageStats] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + duration_s
    start_barrier = threading.Barrier(len(users) + 1)

    def worker(index: int, user: dict) -> None:
        rng = random.Random(seed + index)
        browser = Browser(host, port)
        try:
            browser.login(login_path, user["email"], password)
        finally:
            start_barrier.wait()
        time.sleep(rng.uniform(*think_s))
        while time.monotonic() < stop_at:
            name, path = rng.choice(user["pages"])
            began = time.perf_counter()
            try:
                status, _ = browser.request("GET", path)
                ok = status == 200
            except Exception:
                ok = False
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                page = stats.setdefault(name, PageStats())
                if ok:
                    page.latencies_ms.append(elapsed)
                else:
                    page.errors += 1
            time.sleep(rng.uniform(*think_s))

    threads = [threading.Thread(target=worker, args=(i, u), daemon=True) for i, u in enumerate(users)]
    for thread in threads:
        thread.start()
    start_barrier.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join(timeout=duration_s + 60)
    elapsed = time.monotonic() - began
    return {name: page.summary(elapsed) for name, page in sorted(stats.items())}
