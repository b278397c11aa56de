const { rows } = require('../db');

async function list(req, res, { db, url }) {
  const limit = Math.min(50, Number(url.searchParams.get('limit') ?? 25) || 25);
  const orders = rows(db.exec('SELECT id, customer_id, status, created_at FROM orders ORDER BY id DESC LIMIT ?', [limit]));
  for (const order of orders) {
    order.items = rows(db.exec('SELECT product_id, quantity FROM order_items WHERE order_id = ?', [order.id]));
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ orders }));
}

function show(req, res, { db, params }) {
  const id = Number(params[0]);
  const [order] = rows(db.exec('SELECT id, customer_id, status, created_at FROM orders WHERE id = ?', [id]));
  if (!order) return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such order"}');
  order.items = rows(
    db.exec(
      'SELECT i.product_id, p.sku, p.name, i.quantity FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = ?',
      [id],
    ),
  );
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(order));
}

module.exports = { list, show };
