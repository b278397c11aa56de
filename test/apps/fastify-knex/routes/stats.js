const { knex } = require('../db');

module.exports = async function stats(fastify) {
  // An "activity" number computed the slow way: a recursive CTE SQLite walks row by row.
  fastify.get('/activity', async () => {
    const [row] = await knex.raw('WITH RECURSIVE tick(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM tick WHERE x < ?) SELECT count(*) AS n FROM tick', [3000000]);
    return { activity: row.n };
  });

  fastify.get('/tags', async () => {
    const rows = await knex('articles').select('tag').count({ n: '*' }).groupBy('tag').orderBy('tag');
    return { tags: rows };
  });
};
