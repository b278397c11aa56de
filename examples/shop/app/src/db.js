// The shop's database: an in-memory SQLite (sql.js) created and seeded at start-up, with
// the same deterministic data on every run.
const initSqlJs = require('sql.js');

const SCHEMA = `
CREATE TABLE products (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT NOT NULL, category TEXT NOT NULL, stock INTEGER NOT NULL);
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX idx_customers_email ON customers(email);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX idx_orders_customer ON orders(customer_id);
CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, product_id INTEGER NOT NULL, quantity INTEGER NOT NULL);
CREATE INDEX idx_order_items_order ON order_items(order_id);
`;

const CATEGORIES = ['coffee', 'tea', 'mugs', 'grinders', 'filters'];
const STATUSES = ['paid', 'shipped', 'delivered', 'refunded'];
const FIRST = ['ada', 'grace', 'alan', 'edsger', 'barbara', 'ken', 'linus', 'margaret', 'dennis', 'frances'];

/** A small seeded PRNG so that the data is the same on every start. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function seed(db, sizes) {
  const rnd = prng(42);
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  db.run('BEGIN');
  const p = db.prepare('INSERT INTO products (sku, name, category, stock) VALUES (?, ?, ?, ?)');
  for (let i = 1; i <= sizes.products; i++) {
    const category = pick(CATEGORIES);
    p.run([`SKU-${String(i).padStart(5, '0')}`, `${category} #${i}`, category, Math.floor(rnd() * 500)]);
  }
  p.free();
  const c = db.prepare('INSERT INTO customers (email, name, created_at) VALUES (?, ?, ?)');
  for (let i = 1; i <= sizes.customers; i++) {
    const first = FIRST[i % FIRST.length];
    c.run([`${first}.${i}@example.com`, `${first[0].toUpperCase()}${first.slice(1)} ${i}`, new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString()]);
  }
  c.free();
  const o = db.prepare('INSERT INTO orders (customer_id, status, created_at) VALUES (?, ?, ?)');
  const it = db.prepare('INSERT INTO order_items (order_id, product_id, quantity) VALUES (?, ?, ?)');
  for (let i = 1; i <= sizes.orders; i++) {
    o.run([1 + Math.floor(rnd() * sizes.customers), pick(STATUSES), new Date(Date.UTC(2026, 0, 1) + i * 600_000).toISOString()]);
    const lines = 1 + Math.floor(rnd() * 4);
    for (let l = 0; l < lines; l++) it.run([i, 1 + Math.floor(rnd() * sizes.products), 1 + Math.floor(rnd() * 3)]);
  }
  o.free();
  it.free();
  db.run('COMMIT');
}

const DEFAULT_SIZES = { products: 200, customers: 200_000, orders: 20_000 };

async function openDatabase(sizes = DEFAULT_SIZES) {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.exec(SCHEMA);
  seed(db, sizes);
  return db;
}

/** Rows of the first result of `db.exec` as objects. */
function rows(result) {
  if (!result.length) return [];
  const { columns, values } = result[0];
  return values.map((v) => Object.fromEntries(columns.map((c, i) => [c, v[i]])));
}

module.exports = { openDatabase, rows };
