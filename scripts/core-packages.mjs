// Prints the Debian packages of the libretro cores that cores/*.json name, one per line, so `npm run setup`
// installs what the descriptors (and so `retro doctor`) expect without a second list to keep in step.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../cores', import.meta.url));
const packages = new Set();
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  for (const core of JSON.parse(readFileSync(join(dir, file), 'utf8')).cores ?? []) {
    // A core may need several packages (mupen64plus: the core and its RSP plugin).
    for (const name of core.debianPackage?.split(/\s+/) ?? []) packages.add(name);
  }
}
console.log([...packages].join('\n'));
