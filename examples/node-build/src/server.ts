// A tiny HTTP server with a health endpoint, written in TypeScript: the image must compile it
// (with the dev dependency `typescript`) before it can run. `ms` formats the uptime.
// Node's own types come from @types/node in real projects; two declarations keep this one small.
declare const require: (name: string) => any;
declare const process: { env: Record<string, string | undefined>; on(signal: string, f: () => void): void; exit(code: number): never };

const http = require("http");
const ms = require("ms");

const port = Number(process.env.PORT || 3000);
// Read from the environment, never printed: only whether it is set is visible.
const apiKey = process.env.PAYMENT_API_KEY || "";
const started = Date.now();

const server = http.createServer((req: any, res: any) => {
  if (req.method === "GET" && req.url === "/health") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ status: "ok", uptime: ms(Date.now() - started), api_key_set: apiKey !== "" }));
    return;
  }
  res.writeHead(404, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ error: "not found" }));
});

// Exit promptly on `docker stop` (SIGTERM) instead of waiting for the kill timeout.
process.on("SIGTERM", () => server.close(() => process.exit(0)));

server.listen(port, "0.0.0.0", () => console.log(`listening on ${port}`));
