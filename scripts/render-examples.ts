import { execFile } from "node:child_process";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { renderGraphPng } from "../src/renderers/files/graph-png.js";
import { renderReportPdf } from "../src/renderers/files/report-pdf.js";
import { graphSteps } from "../src/renderers/files/result-files.js";
import { viewOf } from "../src/renderers/view.js";
import { fixtureResult } from "../test/renderers/fixtures.js";

/**
 * `npm run docs:examples`: renders the README's example pictures from the same fixtures the golden tests
 * use, so the images always show what the code draws. Writes docs/images/graph-{ko,en}.png,
 * report-{ko,en}.pdf and the PDFs' pages as report-{ko,en}-{n}.png (needs `pdftoppm`, from poppler-utils).
 */

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "docs", "images");

async function pdfPages(pdf: string, prefix: string): Promise<string[]> {
  try {
    await run("pdftoppm", ["-r", "80", "-png", pdf, path.join(out, prefix)]);
  } catch (error) {
    console.warn(
      `pdftoppm failed (${(error as Error).message.split("\n")[0]}); install poppler-utils for the page pictures`,
    );
    return [];
  }
  // pdftoppm pads page numbers by page count ("-1" or "-01"); settle on "-1" so names stay stable.
  const written = (await readdir(out)).filter(
    (file) => file.startsWith(`${prefix}-`) && file.endsWith(".png"),
  );
  const pages: string[] = [];
  for (const file of written.sort()) {
    const page = Number(file.slice(prefix.length + 1, -4));
    const target = `${prefix}-${page}.png`;
    if (file !== target) await rename(path.join(out, file), path.join(out, target));
    pages.push(target);
  }
  return pages;
}

async function main(): Promise<void> {
  await mkdir(out, { recursive: true });
  for (const file of await readdir(out))
    if (/^(graph|report)-(ko|en)/.test(file)) await rm(path.join(out, file));
  for (const locale of ["ko", "en"] as const) {
    const result = fixtureResult(locale, "all");
    const view = viewOf(result);
    const png = await renderGraphPng(graphSteps(view), view.request, locale);
    await writeFile(path.join(out, `graph-${locale}.png`), png.data);
    const pdf = path.join(out, `report-${locale}.pdf`);
    await writeFile(pdf, await renderReportPdf(result, view, locale));
    const pages = await pdfPages(pdf, `report-${locale}`);
    console.log(
      `${locale}: graph-${locale}.png (${png.width}x${png.height}), report-${locale}.pdf, ${pages.join(", ")}`,
    );
  }
}

await main();
