"""A tiny API whose dependency is compiled in the image: psycopg2 (the source package, not
psycopg2-binary) needs gcc and libpq's headers to build and libpq itself to run. /health
answers only if the compiled module imports, so it proves the runtime library is there."""
import os
from http.server import BaseHTTPRequestHandler, HTTPServer
import json

import psycopg2

# Read from the environment, never printed: only whether it is set is visible.
DATABASE_PASSWORD = os.environ.get("DATABASE_PASSWORD", "")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/health":
            self.send_response(404)
            self.end_headers()
            return
        body = json.dumps({
            "status": "ok",
            "libpq": psycopg2.extensions.libpq_version(),
            "database_password_set": bool(DATABASE_PASSWORD),
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", int(os.environ.get("PORT", "8000"))), Handler).serve_forever()
