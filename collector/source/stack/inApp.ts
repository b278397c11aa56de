// Which frames belong to the user's code. Contract: a frame is in-app unless its file or
// function marks it as runtime, standard library or a dependency; unknown means in-app,
// because hiding the user's own frame is worse than showing a library one.

const JS_NOT_APP = /(?:^|[\\/])node_modules[\\/]|^node:|^internal[\\/]|^\[native code\]$|^native$|^<anonymous>$|^self-hosted$|^(?:chrome|moz|safari)-extension:|^resource:\/\/(?:gre|app|devtools)\/|^chrome:\/\/|^about:|^webpack\/bootstrap|^bun:|^deno:/;

/** Bundler chunks of frameworks and vendored code (Next.js `framework-*.js`, webpack `vendors~*.js`,
 *  Vue CLI `chunk-vendors.*.js`, `polyfills-*.js`, Next.js' runtime and old `commons/` chunk, copies of react-dom / jQuery / zone.js), as
 *  Sentry's default grouping rules treat them. */
const JS_VENDOR_CHUNK = /(?:^|[\\/])(?:framework|vendors?|chunk-vendors|polyfills?|react-dom|jquery|zone)(?:[-.~_][^\\/]*)?\.m?js(?:[?#]|$)|[\\/]vendors?[\\/]|[\\/]_next[\\/]static[\\/](?:chunks[\\/](?:main|webpack)-[^\\/]*\.js|commons[\\/])/i;

/** Public CDNs and third-party tags: code served from there is a dependency, not the app. */
const JS_THIRD_PARTY_HOST = /^https?:\/\/(?:cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|ajax\.googleapis\.com|www\.googletagmanager\.com|www\.google-analytics\.com|connect\.facebook\.net|js\.stripe\.com|esm\.sh|cdn\.skypack\.dev)\//;

export function jsInApp(file: string | undefined): boolean {
  if (!file) return false;
  return !JS_NOT_APP.test(file) && !JS_THIRD_PARTY_HOST.test(file) && !JS_VENDOR_CHUNK.test(file);
}

/** Node's own modules as old versions printed them: `module.js`, `events.js`, `bootstrap_node.js`, `node.js`.
 *  A fixed list (Node 20's `builtinModules`), not `node:module`: the errors panel parses stacks
 *  in the browser too. */
const NODE_CORE = new Set([
  '_http_agent', '_http_client', '_http_common', '_http_incoming', '_http_outgoing', '_http_server', '_stream_duplex',
  '_stream_passthrough', '_stream_readable', '_stream_transform', '_stream_wrap', '_stream_writable', '_tls_common', '_tls_wrap',
  'assert', 'assert/strict', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console', 'constants', 'crypto', 'dgram',
  'diagnostics_channel', 'dns', 'dns/promises', 'domain', 'events', 'fs', 'fs/promises', 'http', 'http2', 'https', 'inspector',
  'inspector/promises', 'module', 'net', 'os', 'path', 'path/posix', 'path/win32', 'perf_hooks', 'process', 'punycode',
  'querystring', 'readline', 'readline/promises', 'repl', 'stream', 'stream/consumers', 'stream/promises', 'stream/web',
  'string_decoder', 'sys', 'timers', 'timers/promises', 'tls', 'trace_events', 'tty', 'url', 'util', 'util/types', 'v8', 'vm',
  'wasi', 'worker_threads', 'zlib', 'bootstrap_node', 'node', 'bootstrap',
]);

export function isNodeCoreFile(file: string | undefined): boolean {
  return !!file && /^[\w/]+\.js$/.test(file) && NODE_CORE.has(file.slice(0, -3));
}

/** Under Node, as Sentry's Node SDK decides: a file that is neither absolute nor relative with a dot
 *  (`module.js`, `REPL3`, `evalmachine.<anonymous>`) is the runtime's, not the app's. */
export function isNodeInternal(file: string | undefined): boolean {
  if (!file) return true;
  return !file.startsWith('/') && !file.startsWith('.') && !/^[A-Za-z]:[\\/]/.test(file) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(file) && !file.startsWith('\\\\');
}

/** site-/dist-packages, the standard library (`/usr/lib/python3.9`, `lib64`, `C:\\Python39\\Lib`, any
 *  `encodings\\` copy, frozen importlib), and console-script stubs that pip / conda write into an
 *  environment's `bin/` or `Scripts\\` (files without an extension). */
const PY_NOT_APP = /[\\/](?:site-packages|dist-packages)[\\/]|[\\/]lib(?:64)?[\\/]python\d(?:\.\d+)?[\\/]|[\\/]Python\d+(?:-\d+)?[\\/]lib[\\/]|(?:^|[\\/])encodings[\\/]|^<frozen |^<(?:string|stdin)>$|[\\/](?:bin|Scripts)[\\/][\w-]+$/i;

export function pythonInApp(file: string | undefined): boolean {
  if (!file) return false;
  // Error trackers render Ruby backtraces in Python's `File "…", line N, in m` form.
  if (/\.(?:rb|rake)$/.test(file)) return rubyInApp(file);
  return !PY_NOT_APP.test(file);
}

const JAVA_NOT_APP_PREFIX = [
  'java.', 'javax.', 'jakarta.', 'jdk.', 'sun.', 'com.sun.', 'kotlin.', 'kotlinx.', 'scala.', 'groovy.',
  'android.', 'androidx.', 'dalvik.', 'com.android.', 'org.springframework.', 'org.apache.', 'org.hibernate.',
  'io.netty.', 'okhttp3.', 'okio.', 'com.google.', 'org.junit.', 'reactor.', 'io.micrometer.', 'org.eclipse.',
  'com.fasterxml.', 'io.opentelemetry.', 'net.sf.cglib.', 'org.gradle.',
  // Drivers, pools, servers and frameworks whose frames sit between the app and the JDK.
  'org.postgresql.', 'com.mysql.', 'org.mariadb.', 'oracle.jdbc.', 'com.microsoft.sqlserver.', 'org.h2.', 'org.sqlite.',
  'com.zaxxer.hikari.', 'org.jboss.', 'org.wildfly.', 'io.undertow.', 'org.glassfish.', 'io.vertx.', 'io.grpc.',
  'io.quarkus.', 'io.micronaut.', 'io.dropwizard.', 'org.mybatis.', 'org.flywaydb.', 'org.liquibase.', 'liquibase.',
  'ch.qos.logback.', 'org.slf4j.', 'org.aspectj.', 'net.bytebuddy.', 'org.mockito.', 'org.testng.', 'org.jetbrains.',
  'com.intellij.', 'io.reactivex.', 'rx.', 'retrofit2.', 'feign.', 'akka.', 'com.mongodb.', 'org.bson.', 'io.lettuce.',
  'redis.clients.', 'org.redisson.', 'org.elasticsearch.', 'com.amazonaws.', 'software.amazon.', 'org.thymeleaf.',
  'org.codehaus.', 'org.yaml.', 'com.squareup.', 'org.objectweb.', 'lombok.',
];

/** `jar` is the `~[spring-web-5.2.5.jar:...]` suffix some loggers print; `classes/` there means app code. */
export function javaInApp(fn: string | undefined, jar?: string): boolean {
  if (jar !== undefined) {
    if (/\.jar\b/.test(jar)) return false;
    if (/^classes[\\/]/.test(jar)) return true;
  }
  if (!fn) return false;
  return !JAVA_NOT_APP_PREFIX.some((p) => fn.startsWith(p));
}

const GO_NOT_APP_FILE = /^\/usr\/(?:local\/)?(?:lib\/)?go\/src\/|[\\/]go[\\/]pkg[\\/]mod[\\/]|@v\d[^\\/]*[\\/]|[\\/]Go[\\/]src[\\/]|^\$GOROOT|[\\/]vendor[\\/]|^_cgo_/;
const GO_NOT_APP_FN = /^(?:runtime|reflect|syscall|internal\/[\w/]+|net\/http|os\/exec|sync|testing)\./;

export function goInApp(file: string | undefined, fn: string | undefined): boolean {
  if (fn && GO_NOT_APP_FN.test(fn)) return false;
  if (!file) return false;
  return !GO_NOT_APP_FILE.test(file);
}

/** Framework and well-known library namespaces, and `lambda_method…` frames the runtime generates. */
const DOTNET_NOT_APP = /^(?:System|Microsoft|Newtonsoft|Mono|MS\.Internal|Windows\.|Xamarin|Npgsql|Grpc|Polly|Serilog|NUnit|Xunit|Castle|AutoMapper|Dapper|StackExchange|RabbitMQ|MediatR|FluentValidation|Swashbuckle|Hangfire|MassTransit|Pomelo|MySqlConnector|MySql\.Data|Oracle\.ManagedDataAccess|MongoDB\.Driver|Azure\.|Amazon\.|Google\.Protobuf|Moq|lambda_method\d*)\b/;

export function dotnetInApp(fn: string | undefined): boolean {
  if (!fn) return false;
  return !DOTNET_NOT_APP.test(fn);
}

/** Gems, the interpreter's own library, version managers' trees (rbenv, rvm, chruby, asdf) and the
 *  bin stubs they install (`~/.rbenv/versions/3.2.0/bin/bundle`, `/usr/local/bin/rails`), Docker's
 *  `/usr/local/bundle`. */
const RUBY_NOT_APP = /[\\/]gems[\\/]|[\\/]\.gem[\\/]|[\\/]rubies[\\/]|[\\/]lib[\\/]ruby[\\/]\d|[\\/]lib[\\/]mri[\\/]|^<internal:|[\\/]vendor[\\/]bundle[\\/]|[\\/]\.bundle[\\/]|[\\/]bundler[\\/]|[\\/]\.rbenv[\\/]|[\\/]\.?rvm[\\/]|[\\/]\.asdf[\\/]installs[\\/]|^\/usr\/(?:local\/)?bin\/|^\/usr\/local\/bundle\/|[\\/](?:site|vendor)_ruby[\\/]/;

export function rubyInApp(file: string | undefined): boolean {
  if (!file) return false;
  return !RUBY_NOT_APP.test(file);
}
