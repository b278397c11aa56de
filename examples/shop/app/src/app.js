// The shop API: one Express router per resource, mounted under /api.
const express = require('express');
const products = require('./routes/products');
const orders = require('./routes/orders');
const customers = require('./routes/customers');
const checkout = require('./routes/checkout');

function createApp() {
  const app = express();
  app.use(express.json({ limit: '64kb' }));

  app.use('/api/products', products);
  app.use('/api/orders', orders);
  app.use('/api/customers', customers);
  app.use('/api/checkout', checkout);
  app.get('/health', (req, res) => res.send('ok'));

  app.use((req, res) => res.status(404).json({ error: 'not found' }));
  // Errors from handlers (through next(err) or asyncHandler) and from the body parser.
  app.use((err, req, res, next) => {
    if (err.type === 'entity.parse.failed' || err.type === 'entity.too.large') return res.status(err.status).json({ error: err.message });
    console.error(`${req.method} ${req.originalUrl} failed:`, err);
    if (res.headersSent) return next(err);
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}

module.exports = { createApp };
