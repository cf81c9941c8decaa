// A load generator for the webhook benchmark of bench/bounces.mjs, in a process of its own (as wrk or
// autocannon would be), so that the server it measures does not share its event loop with the client:
//   node bench/http-load.mjs <requests.json> <concurrency>
// requests.json: [{ url, headers, body }]. POSTs each once, `concurrency` at a time, over keep-alive
// connections; prints { seconds, statuses, latencies: { p50, p90, p99, max } } (ms) as JSON.
import http from 'node:http';
import { readFileSync } from 'node:fs';

const requests = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const concurrency = Number(process.argv[3] ?? 16);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

const post = (r) =>
  new Promise((resolve, reject) => {
    const body = Buffer.from(r.body);
    const req = http.request(
      r.url,
      { method: 'POST', agent, headers: { ...r.headers, 'Content-Length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const latencies = [];
const statuses = {};
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < requests.length) {
      const r = requests[next++];
      const t = performance.now();
      const status = await post(r);
      latencies.push(performance.now() - t);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
agent.destroy();
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
console.log(
  JSON.stringify({
    seconds,
    statuses,
    latencies: { p50: pct(50), p90: pct(90), p99: pct(99), max: pct(100) },
  }),
);
