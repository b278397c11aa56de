// The NestJS + Sequelize test app as a user ships it: its TypeScript compiled by `tsc` (with
// source maps) into dist/ of a fresh project folder, beside src/ and a node_modules link;
// the app runs from dist/*.js under `node --require <register bundle>` (no TypeScript
// loader, so source maps are the collector's job). Also its routes and scripted traffic.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { REPO } from '../register/spawnApp';
import type { Request } from './appTraffic';

export const NEST_SEQUELIZE = join(REPO, 'test', 'apps', 'nest-sequelize');

/** Each route of the app: template → [file, the route decorator's text]. */
export const NEST_ROUTES: Record<string, [string, string]> = {
  'GET /api/articles': ['src/articles/articles.controller.ts', '@Get()'],
  'GET /api/articles/feed': ['src/articles/articles.controller.ts', "@Get('feed')"],
  'GET /api/articles/:slug': ['src/articles/articles.controller.ts', "@Get(':slug')"],
  'POST /api/articles': ['src/articles/articles.controller.ts', '@Post()'],
  'GET /api/articles/:slug/comments': ['src/articles/articles.controller.ts', "@Get(':slug/comments')"],
  'GET /api/profiles/:username': ['src/profiles/profiles.controller.ts', "@Get(':username')"],
  'GET /api/profiles/:username/boom': ['src/profiles/profiles.controller.ts', "@Get(':username/boom')"],
  'GET /api/tags': ['src/tags/tags.controller.ts', '@Get()'],
};

/** The files a request of each controller may run in (its controller and its service). */
export const NEST_FILES_OF_CONTROLLER: Record<string, string[]> = {
  'src/articles/articles.controller.ts': ['src/articles/articles.controller.ts', 'src/articles/articles.service.ts'],
  'src/profiles/profiles.controller.ts': ['src/profiles/profiles.controller.ts', 'src/profiles/profiles.service.ts'],
  'src/tags/tags.controller.ts': ['src/tags/tags.controller.ts'],
};

export interface BuiltNestApp {
  /** The project folder (the collector's workspace): src/, dist/, tsconfig.json, node_modules. */
  dir: string;
  /** vibewatch/register bundled as the package ships it (outside the project). */
  register: string;
  remove(): void;
}

const run = promisify(execFile);

/** Copies the app into a fresh folder, compiles it with tsc and bundles the register. */
export async function buildNestApp(): Promise<BuiltNestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'vw-nest-app-'));
  const bundleDir = mkdtempSync(join(tmpdir(), 'vw-nest-register-'));
  const remove = () => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(bundleDir, { recursive: true, force: true });
  };
  try {
    for (const f of ['src', 'tsconfig.json', 'package.json']) cpSync(join(NEST_SEQUELIZE, f), join(dir, f), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const register = join(bundleDir, 'register.js');
    await Promise.all([
      run(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { cwd: dir }),
      // As scripts/build.mjs bundles it: the OpenTelemetry packages stay external.
      build({ entryPoints: [join(REPO, 'register', 'register.ts')], outfile: register, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['@opentelemetry/*'], logLevel: 'warning' }),
    ]);
    return { dir, register, remove };
  } catch (err) {
    remove();
    throw err;
  }
}

/** A fixed mix over every route, good and bad input: 84 requests. */
export function nestTraffic(): Request[] {
  const out: Request[] = [];
  const users = ['ada', 'brian', 'carol', 'dmitri'];
  for (let i = 0; i < 6; i++) out.push({ method: 'GET', path: `/api/articles?limit=${12 + i}`, route: 'GET /api/articles' });
  for (let i = 0; i < 4; i++) out.push({ method: 'GET', path: '/api/articles/feed', route: 'GET /api/articles/feed' });
  for (let i = 0; i < 20; i++) out.push({ method: 'GET', path: `/api/articles/article-${i < 15 ? i : 100 + i}`, route: 'GET /api/articles/:slug' });
  for (let i = 0; i < 10; i++) out.push({ method: 'GET', path: `/api/articles/article-${i < 8 ? i : 'gone' + i}/comments`, route: 'GET /api/articles/:slug/comments' });
  for (let i = 0; i < 12; i++) out.push({ method: 'GET', path: `/api/profiles/${i < 9 ? users[i % 4] : 'nobody' + i}`, route: 'GET /api/profiles/:username' });
  for (let i = 0; i < 10; i++) out.push({ method: 'GET', path: `/api/profiles/${i < 5 ? users[i % 4] : 'ghost' + i}/boom`, route: 'GET /api/profiles/:username/boom' });
  for (let i = 0; i < 8; i++) out.push({ method: 'GET', path: '/api/tags', route: 'GET /api/tags' });
  for (let i = 0; i < 14; i++) {
    // Every fourth title is too short (400), every seventh author unknown (404).
    const article = { title: i % 4 === 3 ? 'x' : `Post ${i}`, body: 'text', author: i % 7 === 6 ? 'nobody' : users[i % 4] };
    out.push({ method: 'POST', path: '/api/articles', body: { article }, route: 'POST /api/articles' });
  }
  return out;
}
