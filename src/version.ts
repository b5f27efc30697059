// Written by script/version.mjs from package.json at build time; a test keeps them equal.
export const VERSION = '1.0.0';
