"""A tiny API with a health endpoint."""
import os

from flask import Flask

app = Flask(__name__)

# Read from the environment, never printed: only whether it is set is visible.
API_TOKEN = os.environ.get("API_TOKEN", "")


@app.get("/health")
def health():
    return {"status": "ok", "api_token_set": bool(API_TOKEN)}


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))
