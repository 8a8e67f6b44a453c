// A tiny HTTP server with a health endpoint; `ms` formats the uptime.
const http = require("http");
const ms = require("ms");

const port = Number(process.env.PORT || 3000);
// Read from the environment, never printed: only whether it is set is visible.
const sessionSecret = process.env.SESSION_SECRET || "";
const started = Date.now();

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/health") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({
      status: "ok",
      uptime: ms(Date.now() - started),
      session_secret_set: sessionSecret !== "",
    }));
    return;
  }
  res.writeHead(404, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ error: "not found" }));
});

// Exit promptly on `docker stop` (SIGTERM) instead of waiting for the kill timeout.
process.on("SIGTERM", () => server.close(() => process.exit(0)));

server.listen(port, "0.0.0.0", () => console.log(`listening on ${port}`));
