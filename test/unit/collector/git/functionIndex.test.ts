import { strict as assert } from 'node:assert';
import { indexUnits, innermostAt, unitLanguageOf } from '../../../../collector/git/functionIndex';

const names = (text: string, lang: 'brace' | 'python' | 'ruby') => indexUnits(text, lang).map((u) => `${u.name}:${u.start}-${u.end}`);

describe('function index (syntax-level code units)', () => {
  it('finds JS/TS functions, arrows, methods and route handlers, ignoring braces in strings, comments and blocks', () => {
    const js = [
      "import x from 'y'; // a { in a comment",
      'export async function checkout(cart) {',
      '  const s = "}{";',
      '  for (const it of cart.items) {',
      '    await db.query(`select ${it.id}`);',
      '  }',
      '  if (cart.bad) { throw new Error("x"); }',
      '  return s;',
      '}',
      'const helper = (a, b) => {',
      '  return a + b;',
      '};',
      'class Shop {',
      '  async total(items: Item[]): Promise<number> {',
      '    return items.map((i) => { return i.price; }).length;',
      '  }',
      '}',
      "app.get('/orders', async (req, res) => {",
      "  res.send('ok');",
      '});',
    ].join('\n');
    assert.deepEqual(names(js, 'brace'), ['checkout:2-9', 'helper:10-12', 'total:14-16', 'map callback:15-15', 'get callback:18-20']);
  });

  it('finds Go functions and methods with result lists, and Java methods', () => {
    const go = 'package x\n\nfunc (s *Server) Handle(w http.ResponseWriter) (int, error) {\n\tif w == nil {\n\t\treturn 0, nil\n\t}\n\treturn 1, nil\n}\n\nfunc add(a int) int {\n\treturn a\n}\n';
    assert.deepEqual(names(go, 'brace'), ['Handle:3-8', 'add:10-12']);
    const java = 'class A {\n  public int total(List<Item> items) throws IOException {\n    try {\n      return 1;\n    } catch (Exception e) {\n      return 0;\n    }\n  }\n}\n';
    assert.deepEqual(names(java, 'brace'), ['total:2-8']);
  });

  it('ends a Python function where the indentation returns, skipping blank lines inside', () => {
    const py = 'import os\n\ndef a(x):\n    if x:\n        return 1\n\n    return 2\n\nclass B:\n    async def c(self):\n        pass\nprint(1)\n';
    assert.deepEqual(names(py, 'python'), ['a:3-7', 'c:10-11']);
  });

  it('matches Ruby def … end around nested blocks, skipping one-line definitions', () => {
    const rb = 'class A\n  def foo(x)\n    if x\n      1\n    end\n    [1].each do |i|\n      i\n    end\n  end\n  def bar = 1\nend\n';
    assert.deepEqual(names(rb, 'ruby'), ['foo:2-9']);
  });

  it('nests units and answers the innermost one at a line', () => {
    const units = indexUnits('function outer() {\n  const f = () => {\n    return 1;\n  };\n  return f();\n}\n', 'brace');
    assert.equal(units[innermostAt(units, 3)].name, 'f');
    assert.equal(units[innermostAt(units, 5)].name, 'outer');
    assert.equal(units[innermostAt(units, 3)].parent, 0);
    assert.equal(innermostAt(units, 7), -1);
  });

  it('knows which files it can index', () => {
    assert.deepEqual(['a.ts', 'b.jsx', 'c.py', 'd.go', 'e.cs', 'f.rb', 'README.md'].map(unitLanguageOf), ['brace', 'brace', 'python', 'brace', 'brace', 'ruby', undefined]);
  });
});
