const { knex } = require('../db');
const { summarize } = require('../lib/summary');

module.exports = async function authors(fastify) {
  fastify.get('/:name', async (request, reply) => {
    const author = await knex('authors').where({ name: request.params.name }).first();
    if (!author) {
      reply.code(404);
      return { error: 'no such author' };
    }
    const { n } = await knex('articles').where({ author_id: author.id }).count({ n: '*' }).first();
    return { author: { name: author.name, bio: author.bio, articles: n } };
  });

  fastify.route({
    method: 'GET',
    url: '/:name/summary',
    handler: async (request, reply) => {
      const author = await knex('authors').where('name', request.params.name).first();
      if (!author) return reply.code(404).send({ error: 'no such author' });
      const articles = await knex('articles').where({ author_id: author.id }).select('tag');
      return summarize(author, articles);
    },
  });
};
