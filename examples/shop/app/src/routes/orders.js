// GET /api/orders?limit=N: the newest orders with their line items.
// GET /api/orders/:id: one order with product names.
const express = require('express');
const { db } = require('../db');

function list(req, res) {
  const limit = Math.min(50, Number(req.query.limit ?? 25) || 25);
  const orders = db.prepare('SELECT id, customer_id, status, created_at FROM orders ORDER BY id DESC LIMIT ?').all(limit);
  for (const order of orders) {
    order.items = db.prepare('SELECT product_id, quantity FROM order_items WHERE order_id = ?').all(order.id);
  }
  res.json({ orders });
}

function show(req, res) {
  const id = Number(req.params.id);
  const order = db.prepare('SELECT id, customer_id, status, created_at FROM orders WHERE id = ?').get(id);
  if (!order) return res.status(404).json({ error: 'no such order' });
  order.items = db
    .prepare('SELECT i.product_id, p.sku, p.name, i.quantity FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = ?')
    .all(id);
  res.json(order);
}

const router = express.Router();
router.get('/', list);
router.get('/:id(\\d+)', show);

module.exports = router;
