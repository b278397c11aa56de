import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { protoSources } from '../../../../collector/receiver/protoSources';

describe('protoSources', () => {
  it('matches the .proto files it is generated from (run proto/generate.mjs after editing them)', () => {
    const dir = join(__dirname, '../../../../collector/receiver/proto');
    for (const [name, text] of Object.entries(protoSources)) assert.equal(text, readFileSync(join(dir, name), 'utf8'), name);
    assert.deepEqual(Object.keys(protoSources).sort(), ['common.proto', 'logs.proto', 'metrics.proto', 'resource.proto', 'rpc.proto', 'service.proto', 'trace.proto', 'wellKnown.proto']);
  });
});
