// The commit history of the example shop repository. `app/` holds the final files (what
// the demo runs, faults included). Each AI-assisted commit is a list of edits whose
// `after` text is in the final file and whose `before` text is what a human had written;
// scripts/makeShopRepo.ts undoes all edits to get the human baseline, then replays the
// commits in order. An edit's `before`/`after` must occur exactly once where it applies.

export interface Person {
  name: string;
  email: string;
}

export interface Edit {
  path: string;
  before: string;
  after: string;
}

export interface PlannedCommit {
  subject: string;
  body?: string;
  author: Person;
  /** ISO 8601 with offset; used for both author and committer dates. */
  date: string;
  /** Trailer value marking the commit AI-assisted, e.g. `Claude <noreply@anthropic.com>`. */
  coAuthoredBy?: string;
  /** The fault this commit brings, for tests and the demo's printout. */
  fault?: 'n+1' | 'slow-query' | 'boundary-undefined' | 'unbounded-cache' | 'chatty-retry';
  /** Files added (in their state before any later edit). */
  add?: string[];
  edits?: Edit[];
}

const maya: Person = { name: 'Maya Chen', email: 'maya@shop.example' };
const sam: Person = { name: 'Sam Okafor', email: 'sam@shop.example' };
const CLAUDE = 'Claude <noreply@anthropic.com>';
const COPILOT = 'Copilot <175728472+Copilot@users.noreply.github.com>';
const CURSOR = 'Cursor Agent <cursoragent@cursor.com>';

const LOAD_LINE = '    node load.js --rate 10 --duration 60\n';
const ROUTES_DOC = "\n## Routes\n\n| Route | What it does |\n| --- | --- |\n| `GET /api/products?page=N&category=C` | a page of products |\n| `GET /api/products/:id` | one product with its current price (asks pricing) |\n| `GET /api/orders?limit=N` | the newest orders with their line items |\n| `GET /api/orders/:id` | one order with product names |\n| `GET /api/customers/lookup?email=E` | a customer by e-mail address |\n| `POST /api/checkout` | `{ customerId, items: [{ productId, quantity }], discount?: { code } }` |\n";
const ORDERS_JSON = '  res.json({ orders });';

export const SHOP_HISTORY: PlannedCommit[] = [
  {
    subject: 'Shop API: Express routers for products, orders, customers and checkout on SQLite',
    author: maya,
    date: '2026-10-01T09:12:00+02:00',
    add: ['package.json', '.gitignore', 'README.md', 'src/server.js', 'src/app.js', 'src/asyncHandler.js', 'src/db.js', 'src/routes/products.js', 'src/routes/orders.js', 'src/routes/customers.js', 'src/routes/checkout.js', 'src/pricingClient.js'],
  },
  {
    subject: 'Add the pricing service',
    body: 'Quotes come from their own service so that the rules can change without a shop deploy.',
    author: sam,
    date: '2026-10-02T14:30:00+02:00',
    add: ['pricing/package.json', 'pricing/server.js'],
  },
  {
    subject: 'Add a load generator for local testing',
    author: sam,
    date: '2026-10-05T11:05:00+02:00',
    add: ['load.js'],
  },
  {
    subject: 'Add Vibewatch runbooks, alert rules and status components',
    author: sam,
    date: '2026-10-08T16:20:00+02:00',
    add: ['.vibewatch/alerts.json', '.vibewatch/status.json', '.vibewatch/runbooks/checkout-errors.md', '.vibewatch/runbooks/memory-growth.md', '.vibewatch/runbooks/slow-queries.md'],
  },
  {
    subject: 'Make customer lookup ignore case and stray spaces',
    body: 'Support tickets showed lookups failing for " Ada.100@Example.com".',
    author: sam,
    date: '2026-10-09T09:55:00+02:00',
    coAuthoredBy: COPILOT,
    fault: 'slow-query',
    edits: [{ path: 'src/routes/customers.js', before: 'FROM customers WHERE email = ?', after: 'FROM customers WHERE lower(trim(email)) = lower(trim(?))' }],
  },
  {
    subject: 'Support discount codes at checkout',
    body: 'Codes are trimmed and upper-cased before they go to pricing.',
    author: maya,
    date: '2026-10-12T13:14:00+02:00',
    coAuthoredBy: CURSOR,
    fault: 'boundary-undefined',
    edits: [
      {
        path: 'src/routes/checkout.js',
        before: "items are required' });\n",
        after: "items are required' });\n  const discountCode = body.discount.code.trim().toUpperCase();\n",
      },
      { path: 'src/routes/checkout.js', before: 'quantity: item.quantity ?? 1 });', after: 'quantity: item.quantity ?? 1, discountCode });' },
      {
        path: 'src/pricingClient.js',
        before: '  const res = await fetch(',
        after: "  if (request.discountCode) params.set('discount', request.discountCode);\n  const res = await fetch(",
      },
    ],
  },
  {
    subject: 'Document the routes',
    author: sam,
    date: '2026-10-13T08:47:00+02:00',
    edits: [{ path: 'README.md', before: LOAD_LINE, after: LOAD_LINE + ROUTES_DOC }],
  },
  {
    subject: 'Cache pricing quotes',
    body: 'Product pages ask for the same quotes again and again; keep them in memory.',
    author: maya,
    date: '2026-10-14T15:02:00+02:00',
    coAuthoredBy: CLAUDE,
    fault: 'unbounded-cache',
    edits: [
      {
        path: 'src/pricingClient.js',
        before: "const PRICING_URL = process.env.PRICING_URL ?? 'http://127.0.0.1:3001';\n",
        after: "const PRICING_URL = process.env.PRICING_URL ?? 'http://127.0.0.1:3001';\nconst quoteCache = new Map();\n",
      },
      {
        path: 'src/pricingClient.js',
        before: 'async function quote(request) {\n',
        after: 'async function quote(request) {\n  const key = JSON.stringify({ ...request, requestedAt: Date.now() });\n  if (quoteCache.has(key)) return quoteCache.get(key).quote;\n',
      },
      {
        path: 'src/pricingClient.js',
        before: '  return result;\n}',
        after: '  quoteCache.set(key, { quote: result, fetchedAt: new Date().toISOString() });\n  return result;\n}',
      },
    ],
  },
  {
    subject: 'Retry pricing calls on transient failures',
    author: sam,
    date: '2026-10-15T10:30:00+02:00',
    coAuthoredBy: COPILOT,
    fault: 'chatty-retry',
    edits: [
      {
        path: 'src/pricingClient.js',
        before: '  const res = await fetch(`${PRICING_URL}/quote?${params}`);',
        after: '  const res = await fetch(`${PRICING_URL}/quote?${params}`, { signal: AbortSignal.timeout(2000) });',
      },
      {
        path: 'src/pricingClient.js',
        before: '  const result = await fetchQuote(request);\n',
        after:
          '  let result;\n  let lastError;\n  for (let attempt = 1; attempt <= 3; attempt++) {\n    try {\n      result = await fetchQuote(request);\n    } catch (err) {\n      lastError = err;\n    }\n  }\n  if (!result) throw lastError;\n',
      },
    ],
  },
  {
    subject: 'Include line items in the order list',
    body: 'The order list now returns each order with its items, so the dashboard needs one call.',
    author: maya,
    date: '2026-10-15T16:41:00+02:00',
    coAuthoredBy: CLAUDE,
    fault: 'n+1',
    edits: [
      {
        path: 'src/routes/orders.js',
        before: ORDERS_JSON,
        after: `  for (const order of orders) {\n    order.items = db.prepare('SELECT product_id, quantity FROM order_items WHERE order_id = ?').all(order.id);\n  }\n${ORDERS_JSON}`,
      },
    ],
  },
  {
    subject: 'Release 1.4.0',
    author: maya,
    date: '2026-10-16T17:00:00+02:00',
    edits: [{ path: 'package.json', before: '"version": "1.3.0"', after: '"version": "1.4.0"' }],
  },
];
