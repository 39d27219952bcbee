/**
 * This package's directory (packages/cli/), for files found beside the code. The same from the
 * TypeScript source and from the build: src/ and dist/ both sit in it and this module is one level
 * down in each (the build bundles it into a chunk directly in dist/). A path taken from a module's
 * own import.meta.url would be right in one of the two only.
 */
export const PACKAGE_DIR = new URL('../', import.meta.url);
