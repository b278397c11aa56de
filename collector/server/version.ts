// The collector's version, from package.json (bundled by esbuild, read by tsx).
import pkg from '../../package.json';

export const COLLECTOR_VERSION: string = pkg.version;
