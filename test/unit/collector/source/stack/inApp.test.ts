import { strict as assert } from 'node:assert';
import { dotnetInApp, isNodeInternal, javaInApp, jsInApp, pythonInApp, rubyInApp } from '../../../../../collector/source/stack/inApp';

describe('in-app without a workspace', () => {
  it('JavaScript: framework and vendor chunks are not the app, app chunks are', () => {
    for (const f of ['https://x.dev/_next/static/chunks/framework-eda46.js', 'vendors~main.chunk.js', 'https://x.dev/js/chunk-vendors.1a2b.js',
      'https://x.dev/polyfills-abc.js', 'https://x.dev/vendor/lodash.js', 'https://x.dev/_next/static/chunks/webpack-12ab.js', 'self-hosted']) {
      assert.equal(jsInApp(f), false, f);
    }
    for (const f of ['https://x.dev/_next/static/chunks/pages/index-12ab.js', '8185.2267ed13f79fe630.js', 'https://x.dev/static/js/main.chunk.js', 'https://x.dev/vendorsettings.js']) {
      assert.equal(jsInApp(f), true, f);
    }
  });

  it('Node: bare and internal names are the runtime\'s; absolute, relative and URL files are not', () => {
    for (const f of ['module.js', 'bootstrap_node.js', 'REPL3', 'evalmachine.<anonymous>']) assert.equal(isNodeInternal(f), true, f);
    for (const f of ['/app/x.js', './x.js', 'C:\\app\\x.js', 'file:///app/x.mjs']) assert.equal(isNodeInternal(f), false, f);
  });

  it('Python: site-/dist-packages, stdlib, encodings, frozen modules and script stubs', () => {
    for (const f of ['/usr/lib/python3.9/json/decoder.py', '/usr/lib64/python3.6/x.py', 'C:\\Python39\\Lib\\encodings\\cp1252.py', 'encodings\\cp1252.pyc',
      '<frozen importlib._bootstrap>', '/srv/venv/lib/python3.11/site-packages/flask/app.py', '/usr/lib/python3/dist-packages/x.py', '/opt/venv/bin/gunicorn']) {
      assert.equal(pythonInApp(f), false, f);
    }
    for (const f of ['/srv/app/views.py', '/srv/app/bin/manage.py']) assert.equal(pythonInApp(f), true, f);
  });

  it('Ruby: version managers, their bin stubs and gems', () => {
    for (const f of ['/home/u/.rbenv/versions/3.2.0/bin/bundle', '/Users/u/.rvm/gems/ruby-1.9.3/gems/x/lib/y.rb', '/usr/local/rvm/rubies/ruby-2.7/lib/x.rb',
      '/usr/local/bundle/gems/rack-2.2/lib/rack.rb', '/usr/local/bin/rails']) {
      assert.equal(rubyInApp(f), false, f);
    }
    assert.equal(rubyInApp('/srv/app/bin/rails'), true);
  });

  it('JVM and .NET: framework and well-known library packages', () => {
    for (const fn of ['java.lang.Thread.run', 'jdk.internal.reflect.X.y', 'sun.nio.ch.X.y', 'org.springframework.web.X.y', 'org.postgresql.Driver.connect', 'com.zaxxer.hikari.pool.HikariPool.x']) {
      assert.equal(javaInApp(fn), false, fn);
    }
    assert.equal(javaInApp('com.acme.orders.OrderService.place'), true);
    for (const fn of ['System.Linq.Enumerable.First', 'Microsoft.AspNetCore.Mvc.X', 'lambda_method12']) assert.equal(dotnetInApp(fn), false, fn);
    assert.equal(dotnetInApp('Acme.Orders.OrderService.Place'), true);
  });
});
