// Drives the shop with a realistic mix of requests, for a bounded time or count.
//   node load.js [--url http://127.0.0.1:3000] [--rate 10] [--duration 60] [--max 100000]
// Loopback only: it refuses any other host.
const http = require('node:http');

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const base = new URL(flag('url', process.env.SHOP_URL ?? 'http://127.0.0.1:3000'));
if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) {
  console.error(`load: refusing to send traffic to ${base.hostname}; loopback only`);
  process.exit(2);
}
const rate = Math.min(200, Number(flag('rate', 10)));
const durationS = Math.min(24 * 3600, Number(flag('duration', 60)));
const max = Number(flag('max', 1_000_000));

let seed = 7;
const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const NAMES = ['ada', 'grace', 'alan', 'edsger', 'barbara', 'ken', 'linus', 'margaret', 'dennis', 'frances'];

// [weight, make request]: browsing dominates, checkouts are rarer; about one checkout in
// three has no discount code.
const MIX = [
  [30, () => ['GET', `/api/products?page=${int(0, 9)}`]],
  [15, () => ['GET', `/api/products/${int(1, 200)}`]],
  [15, () => ['GET', '/api/orders?limit=25']],
  [10, () => ['GET', `/api/orders/${int(1, 20000)}`]],
  [10, () => { const i = int(1, 200000); return ['GET', `/api/customers/lookup?email=${NAMES[i % NAMES.length]}.${i}@example.com`]; }],
  [20, () => {
    const items = Array.from({ length: int(2, 5) }, () => ({ productId: int(1, 200), quantity: int(1, 4) }));
    const body = { customerId: int(1, 200000), items };
    if (rnd() < 0.66) body.discount = { code: rnd() < 0.5 ? 'welcome10' : ' beans20 ' };
    return ['POST', '/api/checkout', body];
  }],
];
const totalWeight = MIX.reduce((s, [w]) => s + w, 0);
function next() {
  let r = rnd() * totalWeight;
  for (const [w, make] of MIX) if ((r -= w) < 0) return make();
  return MIX[0][1]();
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const stats = { sent: 0, ok: 0, failed: 0, byStatus: {} };
function send([method, path, body]) {
  stats.sent++;
  const data = body ? JSON.stringify(body) : undefined;
  const req = http.request(new URL(path, base), { method, agent, headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {} }, (res) => {
    stats.byStatus[res.statusCode] = (stats.byStatus[res.statusCode] ?? 0) + 1;
    res.statusCode < 500 ? stats.ok++ : stats.failed++;
    res.resume();
  });
  req.on('error', () => stats.failed++);
  req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
  req.end(data);
}

const started = Date.now();
const timer = setInterval(() => {
  if (stats.sent >= max || Date.now() - started >= durationS * 1000) return stop();
  send(next());
}, 1000 / rate);
const report = setInterval(() => console.log(`load: ${stats.sent} sent, ${stats.ok} ok, ${stats.failed} failed ${JSON.stringify(stats.byStatus)}`), 10_000);
function stop() {
  clearInterval(timer);
  clearInterval(report);
  agent.destroy();
  console.log(`load: done, ${stats.sent} sent, ${stats.ok} ok, ${stats.failed} failed ${JSON.stringify(stats.byStatus)}`);
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
console.log(`load: ${rate} req/s for ${durationS} s against ${base.origin}`);
