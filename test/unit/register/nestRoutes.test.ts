// NestJS route sites: the line a route decorator was applied at, taken from the real
// @nestjs/common decorators while a controller is defined, found again for the controller's
// instances (and for a subclass that inherits the handler), with Nest's own metadata intact.
import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { patchRequestMapping, siteOfHandler } from '../../../register/routeSitesNest';
import { markers } from './markers';

const FIXTURE = join(__dirname, 'fixtures', 'nest-controller', 'articles.js');
const WITH_HELPER = join(__dirname, 'fixtures', 'nest-controller', 'profiles.js');
const HELPER = join(__dirname, 'fixtures', 'nest-controller', 'decorators.js');
// The module every verb decorator calls through (`exports.RequestMapping`).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mapping = require('@nestjs/common/decorators/http/request-mapping.decorator.js') as Record<string, unknown>;

interface Controllers {
  ArticlesController: new () => { findOne(): string };
  DraftsController: new () => object;
}

describe('register: NestJS route decorator sites', () => {
  const original = mapping.RequestMapping;
  const lines = markers(FIXTURE);
  let controllers: Controllers;
  before(() => {
    patchRequestMapping(mapping);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    controllers = require(FIXTURE) as Controllers;
  });
  after(() => {
    mapping.RequestMapping = original;
    for (const f of [FIXTURE, WITH_HELPER, HELPER]) delete require.cache[f];
  });

  it('remembers the line each route decorator was applied at, per method', () => {
    const articles = new controllers.ArticlesController();
    assert.deepEqual(siteOfHandler(articles, 'findOne') && { file: siteOfHandler(articles, 'findOne')!.file, line: siteOfHandler(articles, 'findOne')!.line }, { file: FIXTURE, line: lines.get });
    assert.equal(siteOfHandler(articles, 'create')?.line, lines.post);
    assert.equal(siteOfHandler(articles, 'plain'), undefined);
  });

  it('keeps the route metadata Nest reads and finds the site for a subclass that inherits the handler', () => {
    assert.equal(Reflect.getMetadata('path', controllers.ArticlesController.prototype.findOne), ':slug');
    assert.equal(siteOfHandler(new controllers.DraftsController(), 'findOne')?.line, lines.get);
  });

  it('takes the controller\'s line, not the line of a decorator helper of the app\'s own in another file', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ProfilesController } = require(WITH_HELPER) as { ProfilesController: new () => object };
    const at = markers(WITH_HELPER);
    const profiles = new ProfilesController();
    assert.deepEqual(
      ['profile', 'followers'].map((m) => siteOfHandler(profiles, m) && `${siteOfHandler(profiles, m)!.file}:${siteOfHandler(profiles, m)!.line}`),
      [`${WITH_HELPER}:${at.profile}`, `${WITH_HELPER}:${at.followers}`],
      `not ${HELPER}:${markers(HELPER).helper}`,
    );
  });

  it('patches once: a second patch leaves the wrapped decorator as it is', () => {
    const wrapped = mapping.RequestMapping;
    patchRequestMapping(mapping);
    assert.equal(mapping.RequestMapping, wrapped);
    assert.notEqual(wrapped, original);
  });
});
