import { strict as assert } from 'node:assert';
import { recordFromInput, RecordInputError } from '../../../../collector/git/recordDiff';
import { hashLines } from '../../../../collector/git/hash';

const files: Record<string, string> = {
  '/repo/src/orders.ts': 'import db\n\nexport async function list() {\n  const rows = await db.all();\n  for (const r of rows) await db.items(r.id);\n  return rows;\n}\n',
};
const opts = {
  timeMs: 5,
  relativize: (p: string) => p.replace(/^\/repo\//, ''),
  readText: async (p: string) => files[p],
};
const spans = (d: { files: { path: string; ranges: { start: number; end: number }[] }[] }) => d.files.map((f) => [f.path, f.ranges.map((r) => [r.start, r.end])]);

describe('record-diff input', () => {
  it('records the added lines of a unified diff', async () => {
    const diff = [
      'diff --git a/src/orders.ts b/src/orders.ts',
      '--- a/src/orders.ts',
      '+++ b/src/orders.ts',
      '@@ -2,3 +2,5 @@ import db',
      ' ',
      ' export async function list() {',
      '   const rows = await db.all();',
      '+  for (const r of rows) await db.items(r.id);',
      '+  return rows;',
      '',
    ].join('\n');
    const d = (await recordFromInput(diff, { ...opts, tool: 'aider' }))!;
    assert.equal(d.source, 'hook');
    assert.equal(d.tool, 'aider');
    assert.deepEqual(spans(d), [['src/orders.ts', [[5, 6]]]]);
    assert.equal(d.files[0].ranges[0].hash, hashLines(['  for (const r of rows) await db.items(r.id);', '  return rows;']));
  });

  it("locates a Claude Code Edit hook's new_string in the edited file", async () => {
    const payload = {
      session_id: 's', transcript_path: '/t.jsonl', cwd: '/repo', hook_event_name: 'PostToolUse', tool_name: 'Edit',
      tool_input: { file_path: '/repo/src/orders.ts', old_string: '  return [];', new_string: '  for (const r of rows) await db.items(r.id);\n  return rows;' },
      tool_response: { filePath: '/repo/src/orders.ts', success: true },
    };
    const d = (await recordFromInput(JSON.stringify(payload), { ...opts, model: 'claude-sonnet-4-5' }))!;
    assert.equal(d.tool, 'claude-code');
    assert.equal(d.model, 'claude-sonnet-4-5');
    assert.equal(d.confirmedBy, 'hook: Edit');
    assert.deepEqual(spans(d), [['src/orders.ts', [[5, 6]]]]);
  });

  it("uses the hook's structuredPatch when the agent reports one", async () => {
    const payload = {
      hook_event_name: 'PostToolUse', tool_name: 'Edit',
      tool_input: { file_path: '/repo/src/orders.ts', old_string: 'x', new_string: 'y' },
      tool_response: { structuredPatch: [{ oldStart: 3, oldLines: 3, newStart: 3, newLines: 4, lines: [' export async function list() {', '-  return [];', '+  const rows = await db.all();', '+  for (const r of rows) await db.items(r.id);', '+  return rows;', ' }'] }] },
    };
    assert.deepEqual(spans((await recordFromInput(JSON.stringify(payload), opts))!), [['src/orders.ts', [[4, 6]]]]);
  });

  it('records a Write hook as the whole file', async () => {
    const payload = { hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: '/repo/src/orders.ts', content: files['/repo/src/orders.ts'] } };
    assert.deepEqual(spans((await recordFromInput(JSON.stringify(payload), opts))!), [['src/orders.ts', [[1, 7]]]]);
  });

  it('records every edit of a MultiEdit payload', async () => {
    const payload = { hook_event_name: 'PostToolUse', tool_name: 'MultiEdit', tool_input: { file_path: '/repo/src/orders.ts', edits: [{ old_string: 'a', new_string: 'import db' }, { old_string: 'b', new_string: '  return rows;' }] } };
    assert.deepEqual(spans((await recordFromInput(JSON.stringify(payload), opts))!), [['src/orders.ts', [[1, 1], [6, 6]]]]);
  });

  it('records nothing for a pure deletion', async () => {
    const payload = { tool_input: { file_path: '/repo/src/orders.ts', old_string: 'gone', new_string: '' } };
    assert.equal(await recordFromInput(JSON.stringify(payload), opts), undefined);
  });

  it('says clearly when stdin is neither a diff nor hook JSON', async () => {
    await assert.rejects(recordFromInput('hello', opts), RecordInputError);
    await assert.rejects(recordFromInput('{"tool_input":{}}', opts), /names no file/);
    await assert.rejects(recordFromInput('{bad', opts), /does not parse/);
  });
});
