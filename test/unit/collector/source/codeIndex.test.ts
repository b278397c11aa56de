import { strict as assert } from 'node:assert';
import { Locator } from '../../../../collector/source/locator';
import { sqlMatchKey } from '../../../../collector/text/sql';
import { normaliseRoute } from '../../../../collector/source/routes';
import { tempWorkspace, type TempWorkspace } from './tempWorkspace';

const FILES: Record<string, string> = {
  'src/orders/repo.ts': [
    "import { db } from '../db';",
    '',
    'export async function byCustomer(id: string) {',
    '  // the customer\'s orders, newest first',
    '  return db.query(`SELECT id, total',
    '      FROM orders',
    '     WHERE customer_id = $1',
    '     ORDER BY created_at DESC`, [id]);',
    '}',
    "export const countSql = 'select count(*) from orders where status = ?';",
  ].join('\n'),
  'src/server.ts': [
    "import express from 'express';",
    'const app = express();',
    "app.get('/users/:id', getUser);",
    "router.post('/orders', createOrder);",
  ].join('\n'),
  'app/views.py': [
    'from flask import Flask',
    'app = Flask(__name__)',
    '',
    '@app.route("/items/<int:item_id>")',
    'def item(item_id):',
    '    cur.execute("""SELECT name FROM items',
    '                   WHERE id = %s""", (item_id,))',
  ].join('\n'),
  'api/main.py': ['@app.get("/carts/{cart_id}")', 'async def cart(cart_id: str): ...'].join('\n'),
  'src/main/java/shop/UserController.java': [
    '@RestController',
    '@RequestMapping("/api")',
    'public class UserController {',
    '    @GetMapping("/accounts/{id}")',
    '    public Account get(@PathVariable String id) { return null; }',
    '}',
  ].join('\n'),
  'cmd/api/main.go': ['package main', '', 'func main() {', '\tmux := http.NewServeMux()', '\tmux.HandleFunc("GET /payments/{id}", getPayment)', '}'].join('\n'),
  'Api/Controllers/InvoicesController.cs': [
    'namespace Shop.Api.Controllers;', '', '[ApiController]', '[Route("api/[controller]")]', 'public class InvoicesController : ControllerBase', '{',
    '    [HttpGet("{id}")]', '    public IActionResult Get(int id) => Ok();', '', '    [HttpPost]', '    public IActionResult Create() => Ok();', '}',
  ].join('\n'),
  'node_modules/lib/q.js': "q('SELECT id, total FROM orders WHERE customer_id = ? ORDER BY created_at DESC')",
};

describe('query and route locations', () => {
  let ws: TempWorkspace;
  let locator: Locator;
  beforeEach(() => {
    ws = tempWorkspace(FILES);
    locator = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
  });
  afterEach(() => ws.cleanup());

  it('normalises whitespace, case and every placeholder style to the same text', () => {
    const a = sqlMatchKey('SELECT *\n FROM t WHERE a = $1 AND b = :name AND c = ? AND d = @p AND e = %s');
    const b = sqlMatchKey('select * from t where a = ? and b = ? and c = ? and d = ? and e = ?');
    assert.equal(a, b);
    assert.equal(sqlMatchKey("select * from t where id in (1, 2, 3) and s = 'x'"), sqlMatchKey('select * from t where id in (?) and s = ?'));
  });

  it('finds a multi-line template literal for a db statement with different placeholders', () => {
    const loc = locator.locateSql('SELECT id, total FROM orders WHERE customer_id = ? ORDER BY created_at DESC');
    assert.deepEqual({ file: loc?.file, line: loc?.line, via: loc?.via }, { file: ws.abs('src/orders/repo.ts'), line: 5, via: 'literal' });
  });

  it('is not thrown off by an apostrophe in a comment before the literal', () => {
    assert.equal(locator.locateSql('select count(*) from orders where status = $1')?.line, 10);
  });

  it('finds a Python triple-quoted statement', () => {
    const loc = locator.locateSql('SELECT name FROM items WHERE id = ?');
    assert.equal(loc?.file, ws.abs('app/views.py'));
    assert.equal(loc?.line, 6);
  });

  it('returns nothing for a statement that is not in the workspace', () => {
    assert.equal(locator.locateSql('DELETE FROM sessions WHERE expires < ?'), undefined);
  });

  it('normalises route templates of every framework to one key', () => {
    for (const r of ['/users/:id', '/users/{id}', '/users/<id>', '/users/<int:id>', 'users/{id}/']) assert.equal(normaliseRoute(r), '/users/{}');
  });

  it('finds Express, Flask, FastAPI, Spring, ASP.NET and Go ServeMux route definitions', () => {
    assert.deepEqual(pick(locator.locateRoute('/users/{id}', 'GET')), [ws.abs('src/server.ts'), 3]);
    assert.deepEqual(pick(locator.locateRoute('/items/<item_id>')), [ws.abs('app/views.py'), 4]);
    assert.deepEqual(pick(locator.locateRoute('/carts/{cart_id}')), [ws.abs('api/main.py'), 1]);
    assert.deepEqual(pick(locator.locateRoute('/api/accounts/{id}')), [ws.abs('src/main/java/shop/UserController.java'), 4]);
    assert.deepEqual(pick(locator.locateRoute('/payments/{id}', 'GET')), [ws.abs('cmd/api/main.go'), 5]);
    assert.deepEqual(pick(locator.locateRoute('api/Invoices/{id}', 'GET')), [ws.abs('Api/Controllers/InvoicesController.cs'), 7]);
    assert.deepEqual(pick(locator.locateRoute('api/Invoices', 'POST')), [ws.abs('Api/Controllers/InvoicesController.cs'), 10]);
    assert.equal(locator.locateRoute('/users/{id}')?.via, 'route');
  });

  it('matches a route mounted under a prefix by its tail, with lower confidence', () => {
    const loc = locator.locateRoute('/v1/orders', 'POST');
    assert.equal(loc?.file, ws.abs('src/server.ts'));
    assert.ok(loc!.confidence < 0.85);
  });

  it('reads the workspace once for repeated lookups', () => {
    for (let i = 0; i < 50; i++) locator.locateSql(`select count(*) from orders where status = $${i}`);
    locator.locateRoute('/users/:id');
    const idx = (locator as unknown as { codeIndexes: Map<string, { builds: number }> }).codeIndexes.get(ws.root)!;
    assert.equal(idx.builds, 1);
  });

  it('re-reads only a changed file when told by the watcher', () => {
    assert.equal(locator.locateRoute('/invoices/{id}'), undefined);
    ws.write('src/invoices.ts', "\n\nrouter.delete('/invoices/:id', remove);\n");
    locator.fileCreated(ws.abs('src/invoices.ts'));
    assert.equal(locator.locateRoute('/invoices/{id}', 'DELETE')?.line, 3);
    ws.write('src/orders/repo.ts', "export const countSql = 'select count(*) from orders where status = ?';");
    locator.fileChanged(ws.abs('src/orders/repo.ts'));
    assert.equal(locator.locateSql('select count(*) from orders where status = ?')?.line, 1);
    assert.equal(locator.locateSql('SELECT id, total FROM orders WHERE customer_id = ? ORDER BY created_at DESC'), undefined);
    const idx = (locator as unknown as { codeIndexes: Map<string, { builds: number }> }).codeIndexes.get(ws.root)!;
    assert.equal(idx.builds, 1);
  });

  it('leaves an ambiguous statement unplaced and counts it', () => {
    ws.write('src/other.ts', "const q = 'select count(*) from orders where status = ?';");
    const fresh = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
    assert.equal(fresh.locateSql('select count(*) from orders where status = ?'), undefined);
    assert.equal(fresh.stats.ambiguous, 1);
  });
});

function pick(loc: { file: string; line: number } | undefined): [string, number] | undefined {
  return loc ? [loc.file, loc.line] : undefined;
}
