const express = require('express');
const { ValidationError } = require('sequelize');
const { seed } = require('./db');
const { HttpError } = require('./errors');

const app = express();
app.use(express.json());
app.use('/api', require('./routes'));

// One error middleware: known errors answer their status, the rest 500. Nothing is logged.
app.use((err, req, res, next) => {
  if (err instanceof HttpError) return res.status(err.status).json({ errors: { message: err.message } });
  if (err instanceof ValidationError) return res.status(422).json({ errors: err.errors.map((e) => e.message) });
  res.status(500).json({ errors: { message: 'internal error' } });
});

seed().then(() => {
  const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
    process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
  });
});
