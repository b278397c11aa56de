import { strict as assert } from 'node:assert';
import { parseStackTrace } from '../../../../../collector/source/stackTrace';
import { corpusTrace } from './corpusFixture';

describe('.NET exception text', () => {
  it('reads Mono frames (a space before the arguments, `[0x…] in <hash>:0`) as .NET, not JavaScript', () => {
    const r = parseStackTrace(corpusTrace('dotnet-jackett-mono-frames'));
    assert.equal(r.runtime, 'dotnet');
    assert.equal(r.frames.length, 8);
    assert.deepEqual(r.frames[0], { function: 'System.Runtime.CompilerServices.TaskAwaiter.HandleNonSuccessAndDebuggerNotification', inApp: false });
  });

  it('finds the exception line below a logger\'s own lines, behind CI timestamps', () => {
    const r = parseStackTrace(corpusTrace('dotnet-filterlists-actions-timestamps'));
    assert.equal(r.type, 'System.InvalidOperationException');
    assert.match(r.message ?? '', /^An error was generated for warning/);
    assert.equal(r.frames[0].function, 'Microsoft.EntityFrameworkCore.Diagnostics.EventDefinition`1.Log[TLoggerCategory]');
  });

  it('reads frames that name the assembly instead of the arguments (Application Insights)', () => {
    const r = parseStackTrace(corpusTrace('dotnet-efcore-appinsights-assemblies'));
    assert.equal(r.runtime, 'dotnet');
    assert.deepEqual(r.frames[1], { function: 'lambda_method', inApp: false });
  });
});
