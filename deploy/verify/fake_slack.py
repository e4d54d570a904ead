#!/usr/bin/env python3
"""A fake Slack Web API for deploy/verify.sh, answering as tests/api/fake_slack.rs does.

POST (or GET) /api/<method>: chat.postMessage answers {"ok": true, "channel", "ts", "message"}
with a fresh ts; the file upload methods answer as Slack does; anything else unknown_method.
A request without `Authorization: Bearer $FAKE_SLACK_TOKEN` gets {"ok": false, "error":
"invalid_auth"}, as from Slack. Every call is recorded; GET /calls returns them as JSON.
"""

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = os.environ.get("FAKE_SLACK_TOKEN", "")
CALLS = []
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        path, _, query = self.path.partition("?")
        if path == "/calls":
            with LOCK:
                return self.answer(200, CALLS)
        if path == "/healthz":
            return self.answer(200, {"ok": True})
        if path.startswith("/upload/"):
            with LOCK:
                CALLS.append({"method": "upload", "query": query, "body": body, "authorized": True})
            return self.answer(200, {"ok": True})
        if not path.startswith("/api/"):
            return self.answer(404, {"ok": False, "error": "not_found"})
        method = path[len("/api/"):]
        authorized = bool(TOKEN) and self.headers.get("Authorization") == f"Bearer {TOKEN}"
        with LOCK:
            n = len(CALLS)
            CALLS.append({"method": method, "query": query, "body": body, "authorized": authorized})
        if not authorized:
            return self.answer(200, {"ok": False, "error": "invalid_auth"})
        if method == "chat.postMessage":
            ts = f"1700000000.{n:06d}"
            try:
                channel = json.loads(body).get("channel", "C0VERIFY")
            except ValueError:
                channel = "C0VERIFY"
            return self.answer(200, {"ok": True, "channel": channel, "ts": ts, "message": {"ts": ts, "text": "ok"}})
        if method == "files.getUploadURLExternal":
            host = self.headers.get("Host", "fake-slack:8000")
            return self.answer(200, {"ok": True, "upload_url": f"http://{host}/upload/F{n}", "file_id": f"F{n}"})
        if method == "files.completeUploadExternal":
            return self.answer(200, {"ok": True, "files": [{"id": "F1"}]})
        return self.answer(200, {"ok": False, "error": "unknown_method"})

    do_GET = handle_any
    do_POST = handle_any

    def log_message(self, fmt, *args):
        print("fake-slack:", fmt % args, flush=True)


if __name__ == "__main__":
    port = int(os.environ.get("FAKE_SLACK_PORT", "8000"))
    ThreadingHTTPServer(("0.0.0.0", port), Handler).serve_forever()
