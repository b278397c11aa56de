const { knex } = require('../db');

const newArticle = {
  body: {
    type: 'object',
    required: ['title', 'body', 'author'],
    properties: { title: { type: 'string', minLength: 3 }, body: { type: 'string' }, author: { type: 'string' } },
  },
};

module.exports = async function articles(fastify) {
  fastify.get('/', async (request) => {
    const limit = Math.min(Number(request.query.limit) || 20, 50);
    const rows = await knex('articles').orderBy('id', 'desc').limit(limit);
    const out = [];
    for (const article of rows) {
      const author = await knex('authors').where({ id: article.author_id }).first();
      const { n } = await knex('comments').where({ article_id: article.id }).count({ n: '*' }).first();
      out.push({ slug: article.slug, title: article.title, author: author.name, comments: n });
    }
    return { articles: out, count: out.length };
  });

  fastify.get('/:slug', async (request, reply) => {
    const article = await knex('articles').where({ slug: request.params.slug }).first();
    if (!article) {
      reply.code(404);
      return { error: 'no such article' };
    }
    return { article };
  });

  fastify.post('/', { schema: newArticle }, async (request, reply) => {
    const { title, body, author } = request.body;
    const writer = await knex('authors').where({ name: author }).first();
    if (!writer) return reply.code(422).send({ error: `unknown author ${author}` });
    const slug = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Date.now().toString(36)}`;
    const [id] = await knex('articles').insert({ slug, title, body, author_id: writer.id, tag: 'new' });
    reply.code(201);
    return { article: { id, slug } };
  });

  fastify.get('/:slug/comments', async (request, reply) => {
    const article = await knex('articles').where({ slug: request.params.slug }).first();
    if (!article) return reply.code(404).send({ error: 'no such article' });
    const comments = await knex('comments').where({ article_id: article.id }).select('id', 'body');
    return { comments };
  });
};
