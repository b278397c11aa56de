const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const Knex = require('knex');

// A fresh SQLite file per run (in a temp folder unless $DB_FILE names one).
const filename = process.env.DB_FILE || join(mkdtempSync(join(tmpdir(), 'fastify-knex-')), 'blog.sqlite');
const knex = Knex({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true });

async function prepare() {
  await knex.schema.createTable('authors', (t) => {
    t.increments('id');
    t.string('name').notNullable().unique();
    t.text('bio');
  });
  await knex.schema.createTable('articles', (t) => {
    t.increments('id');
    t.string('slug').notNullable().unique();
    t.string('title').notNullable();
    t.text('body').notNullable();
    t.integer('author_id').references('authors.id');
    t.string('tag');
  });
  await knex.schema.createTable('comments', (t) => {
    t.increments('id');
    t.integer('article_id').references('articles.id');
    t.text('body').notNullable();
  });
  const names = ['ada', 'brian', 'carol', 'dmitri'];
  // dmitri has no bio: the summary helper does not expect that.
  await knex('authors').insert(names.map((name) => ({ name, bio: name === 'dmitri' ? null : `I am ${name}, I write about ${name.length} things` })));
  const authors = await knex('authors').select('id', 'name');
  const articles = [];
  for (let i = 0; i < 24; i++) {
    articles.push({ slug: `article-${i}`, title: `Article number ${i}`, body: 'Lorem ipsum '.repeat(20), author_id: authors[i % authors.length].id, tag: ['node', 'sql', 'editors'][i % 3] });
  }
  await knex('articles').insert(articles);
  const ids = await knex('articles').pluck('id');
  await knex('comments').insert(ids.flatMap((id) => [{ article_id: id, body: 'Nice one' }, { article_id: id, body: 'Thanks' }]));
}

module.exports = { knex, prepare };
