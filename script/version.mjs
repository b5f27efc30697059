// Writes src/version.ts from package.json so the bundle (and its User-Agent) carries the version.
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const text = `// Written by script/version.mjs from package.json at build time; a test keeps them equal.
export const VERSION = '${version}';
`;
const target = new URL('src/version.ts', root);
if (readFileSync(target, 'utf8') !== text) writeFileSync(target, text);
