"""A tiny notes API with a health endpoint, served by bottle."""
import os

from bottle import Bottle, request, response, run

app = Bottle()
NOTES: list[str] = []

# Read from the environment, never printed: only whether it is set is visible.
ADMIN_TOKEN = os.environ.get("ADMIN_TOKEN", "")


@app.get("/health")
def health():
    return {"status": "ok", "notes": len(NOTES), "admin_token_set": bool(ADMIN_TOKEN)}


@app.get("/notes")
def list_notes():
    return {"notes": NOTES}


@app.post("/notes")
def add_note():
    if ADMIN_TOKEN and request.get_header("Authorization") != f"Bearer {ADMIN_TOKEN}":
        response.status = 401
        return {"error": "unauthorized"}
    NOTES.append((request.json or {}).get("text", ""))
    response.status = 201
    return {"id": len(NOTES) - 1}


if __name__ == "__main__":
    run(app, host="0.0.0.0", port=int(os.environ.get("PORT", "8000")), quiet=True)
