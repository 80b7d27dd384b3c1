import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * `npm run bench [name...]`: runs every `bench/*.bench.ts` (or the named ones) in turn. Each module's
 * default export prints its own table; targets are printed beside the measurements, never asserted.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = (await readdir(here))
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort();

for (const file of files) {
  console.log(`\n## ${file.replace(/\.bench\.ts$/, "")}`);
  const module = (await import(pathToFileURL(path.join(here, file)).href)) as {
    default: () => Promise<void>;
  };
  await module.default();
}
