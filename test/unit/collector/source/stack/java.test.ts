import { strict as assert } from 'node:assert';
import { parseStackTrace } from '../../../../../collector/source/stackTrace';
import { corpusTrace } from './corpusFixture';

describe('Java stack traces', () => {
  it('reports the wrapper (ExceptionInInitializerError) as the type and the cause after `... N more`', () => {
    const r = parseStackTrace(corpusTrace('java-lipreading-initializer'));
    assert.equal(r.type, 'java.lang.ExceptionInInitializerError');
    assert.equal(r.frames.length, 7);
    assert.equal(r.causes?.[0].type, 'java.lang.IllegalStateException');
    assert.equal(r.causes?.[0].frames.length, 4);
  });

  it('keeps a wrapper printed without frames of its own as the outer exception', () => {
    const text = ['Exception in thread "main" java.lang.ExceptionInInitializerError', 'Caused by: java.lang.NullPointerException: cfg',
      '\tat com.acme.Config.<clinit>(Config.java:10)', '\t... 1 more'].join('\n');
    const r = parseStackTrace(text);
    assert.equal(r.type, 'java.lang.ExceptionInInitializerError');
    assert.equal(r.frames.length, 0);
    assert.deepEqual([r.causes?.[0].type, r.causes?.[0].frames[0].file], ['java.lang.NullPointerException', 'com/acme/Config.java']);
  });

  it('reads `Caused by:` behind a log timestamp', () => {
    const r = parseStackTrace(corpusTrace('java-serverpack-timestamped-jars'));
    assert.equal(r.type, 'org.postgresql.util.PSQLException');
  });

  it('takes the header from the line that names a class when the message runs over several lines', () => {
    const text = ['java.lang.IllegalStateException: first line', 'second line of the message', '\tat com.acme.A.run(A.java:3)'].join('\n');
    assert.equal(parseStackTrace(text).type, 'java.lang.IllegalStateException');
  });

  it('finds the file of a lower-case class from its file name', () => {
    const r = parseStackTrace(corpusTrace('java-lipreading-initializer'));
    assert.equal(r.causes?.[0].frames[3].function, 'com.googlecode.javacv.cpp.opencv_core.<clinit>');
    assert.equal(r.causes?.[0].frames[3].file, 'com/googlecode/javacv/cpp/opencv_core.java');
  });

  it('marks JDBC drivers and connection pools as not in-app, the app class as in-app', () => {
    const r = parseStackTrace(corpusTrace('java-cclearner-caused-by-native'));
    assert.deepEqual(r.frames.filter((f) => f.inApp).map((f) => f.function), ['vt.cs.CCLearner_Feature.main']);
  });

  it('reads Google Play console frames (`at X.y (File.java:1)`, bare `at X.y`)', () => {
    const r = parseStackTrace(corpusTrace('java-sanmill-play-console'));
    assert.equal(r.runtime, 'java');
    assert.equal(r.frames.length, 12);
    assert.deepEqual([r.frames[0].file, r.frames[0].line], ['android/app/ActivityThread.java', 2195]);
    assert.deepEqual(r.causes?.[0].frames[0], { function: 'com.calcitem.sanmill.MainActivity.attachBaseContext', inApp: true });
  });
});
