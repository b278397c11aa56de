// Which frames belong to the user's code. Contract: a frame is in-app unless its file or
// function marks it as runtime, standard library or a dependency; unknown means in-app,
// because hiding the user's own frame is worse than showing a library one.

const JS_NOT_APP = /(?:^|[\\/])node_modules[\\/]|^node:|^internal[\\/]|^\[native code\]$|^native$|^<anonymous>$|^(?:chrome|moz|safari)-extension:|^resource:|^webpack\/bootstrap|^bun:|^deno:/;

/** Public CDNs and third-party tags: code served from there is a dependency, not the app. */
const JS_THIRD_PARTY_HOST = /^https?:\/\/(?:cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|ajax\.googleapis\.com|www\.googletagmanager\.com|www\.google-analytics\.com|connect\.facebook\.net|js\.stripe\.com|esm\.sh|cdn\.skypack\.dev)\//;

export function jsInApp(file: string | undefined): boolean {
  if (!file) return false;
  return !JS_NOT_APP.test(file) && !JS_THIRD_PARTY_HOST.test(file);
}

const PY_NOT_APP = /[\\/](?:site-packages|dist-packages)[\\/]|[\\/]lib[\\/]python\d(?:\.\d+)?[\\/]|[\\/]Python\d+(?:-\d+)?[\\/]lib[\\/]|^<frozen |^<string>$/i;

export function pythonInApp(file: string | undefined): boolean {
  if (!file) return false;
  return !PY_NOT_APP.test(file);
}

const JAVA_NOT_APP_PREFIX = [
  'java.', 'javax.', 'jakarta.', 'jdk.', 'sun.', 'com.sun.', 'kotlin.', 'kotlinx.', 'scala.', 'groovy.',
  'android.', 'androidx.', 'dalvik.', 'com.android.', 'org.springframework.', 'org.apache.', 'org.hibernate.',
  'io.netty.', 'okhttp3.', 'okio.', 'com.google.', 'org.junit.', 'reactor.', 'io.micrometer.', 'org.eclipse.',
  'com.fasterxml.', 'io.opentelemetry.', 'net.sf.cglib.', 'org.gradle.',
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

const GO_NOT_APP_FILE = /^\/usr\/(?:local\/)?(?:lib\/)?go\/src\/|[\\/]go[\\/]pkg[\\/]mod[\\/]|[\\/]Go[\\/]src[\\/]|^\$GOROOT|[\\/]vendor[\\/]|^_cgo_/;
const GO_NOT_APP_FN = /^(?:runtime|reflect|syscall|internal\/[\w/]+|net\/http|os\/exec|sync|testing)\./;

export function goInApp(file: string | undefined, fn: string | undefined): boolean {
  if (fn && GO_NOT_APP_FN.test(fn)) return false;
  if (!file) return false;
  return !GO_NOT_APP_FILE.test(file);
}

const DOTNET_NOT_APP = /^(?:System|Microsoft|Newtonsoft|Mono|MS\.Internal|Windows\.|Xamarin|Npgsql|Grpc|Polly|Serilog|NUnit|Xunit)\b/;

export function dotnetInApp(fn: string | undefined): boolean {
  if (!fn) return false;
  return !DOTNET_NOT_APP.test(fn);
}

const RUBY_NOT_APP = /[\\/]gems[\\/]|[\\/]\.gem[\\/]|[\\/]rubies[\\/]|[\\/]lib[\\/]ruby[\\/]\d|[\\/]lib[\\/]mri[\\/]|^<internal:|[\\/]vendor[\\/]bundle[\\/]|[\\/]\.bundle[\\/]|[\\/]bundler[\\/]/;

export function rubyInApp(file: string | undefined): boolean {
  if (!file) return false;
  return !RUBY_NOT_APP.test(file);
}
