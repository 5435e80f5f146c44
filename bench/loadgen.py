"""A small closed-loop load generator: N virtual case workers, each logged in, 1–3 s between pages.

Standard library only (threads + http.client) so the measure does not depend on an extra tool.
Each virtual user keeps its own cookies; latency is measured from request sent to body read.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The RFC 6238 code of a TOTP device (django-otp's defaults: SHA-1, 30 s, 6 digits, t0 = 0)."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(key_hex), counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (int.from_bytes(digest[offset:offset + 4], "big") & 0x7FFFFFFF) % 10 ** digits
    return str(code).zfill(digits)


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
        self.location = ""
        self.conn = http.client.HTTPConnection(host, port, timeout=60)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        # As behind the TLS-terminating proxy of a deployment (docs/deployment.md): the app sees HTTPS.
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "X-Forwarded-Proto": "https"}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{self.host}:{self.port}{path}"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        self.location = response.getheader("Location", "")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def post_form(self, path: str, fields: dict) -> int:
        """GET the form for its CSRF token, POST it; the status of the POST."""
        status, page = self.request("GET", path)
        token = CSRF_INPUT.search(page)
        if status != 200 or not token:
            raise RuntimeError(f"{path} answered {status} without a form")
        status, _ = self.request("POST", path, {"csrfmiddlewaretoken": token.group(1), **fields})
        return status

    def login(self, login_path: str, email: str, password: str, totp_key: str | None = None) -> None:
        """The real sign-in: password form, then, for the roles that need it, the second-factor form."""
        if self.post_form(login_path, {"username": email, "password": password}) != 302:
            raise RuntimeError(f"login refused for {email}")
        if totp_key is None:
            return
        if self.post_form(urlsplit(self.location).path, {"token": totp(totp_key)}) != 302:
            raise RuntimeError(f"second factor refused for {email}")


def run_load(*, host: str, port: int, users: list[dict], login_path: str, password: str,
             duration_s: float, think_s: tuple[float, float] = (1.0, 3.0), seed: int = 1) -> dict:
    """users: [{"email":…, "pages": [(page_name, path), …]}]; returns per-page stats."""
    stats: dict[str, PageStats] = {}
    failures: list[str] = []
    lock = threading.Lock()
    signing_in = threading.Semaphore(4)
    stop_at = [0.0]   # set once every virtual user has signed in: sign-ins are not part of the measure
    start_barrier = threading.Barrier(len(users) + 1)

    def worker(index: int, user: dict) -> None:
        rng = random.Random(seed + index)
        browser = Browser(host, port)
        try:
            with signing_in:   # a sign-in hashes a password: a few at a time, not 50 at once on 2 cores
                browser.login(login_path, user["email"], password, user.get("totp_key"))
        except Exception as error:   # counted: a virtual user who cannot sign in is an error of the run
            with lock:
                stats.setdefault("login", PageStats()).errors += 1
                failures.append(f"{user['email']}: {error}")
            return
        finally:
            start_barrier.wait()
        time.sleep(rng.uniform(*think_s))
        while time.monotonic() < stop_at[0]:
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
    stop_at[0] = time.monotonic() + 3600   # until the barrier opens
    start_barrier.wait()
    began = time.monotonic()
    stop_at[0] = began + duration_s
    for thread in threads:
        thread.join(timeout=duration_s + 60)
    elapsed = time.monotonic() - began
    for failure in failures[:5]:
        print(f"[loadgen] {failure}", flush=True)
    return {name: page.summary(elapsed) for name, page in sorted(stats.items())}


def run_unloaded(*, host: str, port: int, user: dict, login_path: str, password: str, repeat: int = 10,
                 budget_s: float = 20.0) -> dict:
    """One signed-in user alone, no think time: each page `repeat` times in a row (its service time, no queue);
    a slow page is repeated only while it has taken less than `budget_s`."""
    browser = Browser(host, port)
    browser.login(login_path, user["email"], password, user.get("totp_key"))
    stats: dict[str, PageStats] = {}
    began = time.monotonic()
    for name, path in dict(user["pages"]).items():   # one path per page name
        try:
            browser.request("GET", path)             # warm this worker's caches
        except (http.client.HTTPException, OSError):
            pass
        page_began = time.monotonic()
        for _ in range(repeat):
            if time.monotonic() - page_began > budget_s:
                break
            start = time.perf_counter()
            try:
                status, _ = browser.request("GET", path)
            except (http.client.HTTPException, OSError):   # a timeout is an error of that page, not of the run
                status = 0
            page = stats.setdefault(name, PageStats())
            if status == 200:
                page.latencies_ms.append((time.perf_counter() - start) * 1000)
            else:
                page.errors += 1
    elapsed = time.monotonic() - began
    return {name: page.summary(elapsed) for name, page in sorted(stats.items())}
