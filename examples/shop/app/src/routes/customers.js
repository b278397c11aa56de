const { rows } = require('../db');

function lookup(req, res, { db, url }) {
  const email = url.searchParams.get('email');
  if (!email) return res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"email is required"}');
  const [customer] = rows(db.exec('SELECT id, email, name, created_at FROM customers WHERE lower(trim(email)) = lower(trim(?))', [email]));
  if (!customer) return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such customer"}');
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(customer));
}

module.exports = { lookup };
