import { strict as assert } from 'node:assert';
import { parseStackTrace } from '../../../../../collector/source/stackTrace';
import { corpusTrace } from './corpusFixture';

describe('Ruby backtraces', () => {
  it('reads Ruby 2.5–2.7 `N: from` tracebacks and puts the throw site first', () => {
    const r = parseStackTrace(corpusTrace('ruby-3llo-numbered-from'));
    assert.equal(r.runtime, 'ruby');
    assert.equal(r.type, 'NoMethodError');
    assert.deepEqual(r.frames.map((f) => [f.line, f.function]), [[16, 'factory'], [20, 'block in start'], [14, 'loop'], [14, 'start'],
      [45, '<top (required)>'], [23, 'load'], [23, '<main>']]);
    assert.equal(r.frames[0].file, '/home/isak/.gem/ruby/2.5.0/gems/3llo-0.3.1/lib/3llo/command_factory.rb');
  });

  it('marks rbenv bin stubs and rvm gems as not in-app', () => {
    assert.ok(parseStackTrace(corpusTrace('ruby-rbenv-bin-stub')).frames.every((f) => !f.inApp));
    assert.ok(parseStackTrace(corpusTrace('ruby-active-fulfillment-rvm')).frames.every((f) => !f.inApp));
  });

  it('reads a Ruby backtrace rendered in Python\'s form, exception first and most recent call first', () => {
    const r = parseStackTrace(corpusTrace('ruby-ebwiki-rollbar-python-style'));
    assert.equal(r.type, 'NameError');
    assert.deepEqual([r.frames[0].file, r.frames[0].line, r.frames[0].inApp], ['/Users/bonny/Projects/EBWiki/lib/tasks/null_fields_counter.rake', 8, true]);
    assert.ok(r.frames.slice(1).every((f) => !f.inApp));
  });
});
