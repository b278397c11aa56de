const fastify = require('fastify')({ logger: false });
const { prepare } = require('./db');

fastify.register(require('./routes/articles'), { prefix: '/api/articles' });
fastify.register(require('./routes/authors'), { prefix: '/api/authors' });
fastify.register(require('./routes/stats'), { prefix: '/api/stats' });

// Errors that declare a client status (Fastify's validation errors) answer with it; anything
// else is a 500. Nothing is logged.
fastify.setErrorHandler((error, request, reply) => {
  if (error.validation) return reply.code(400).send({ error: 'invalid input', details: error.message });
  if (error.statusCode && error.statusCode < 500) return reply.code(error.statusCode).send({ error: error.message });
  return reply.code(500).send({ error: 'internal error' });
});

prepare().then(() => fastify.listen({ port: Number(process.env.PORT || 0), host: '127.0.0.1' })).then(() => {
  process.stdout.write(`listening on http://127.0.0.1:${fastify.server.address().port}\n`);
});
