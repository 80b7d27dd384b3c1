/**
 * `npm run kb:ingest <files or folders>`: puts Markdown, text, HTML and PDF files into the knowledge base
 * in the project's database (OCTO_DATA_DIR's PGlite, or POSTGRES_URL), replacing earlier ingestions of
 * the same files. `--list` shows what is in it, `--remove <source>` takes a document out. Exit 0 when
 * every file went in, 1 when some could not (each named with the reason), 2 for bad usage or configuration.
 */
import { isConfigError, loadConfig } from "../src/config.js";
import { openStore, type Store } from "../src/store/index.js";
import { KB_KINDS, KnowledgeBase } from "../src/tools/kb/index.js";
import { errorMessage } from "../src/vocabulary/index.js";

const USAGE = [
  "usage: npm run kb:ingest -- <file or folder>...   ingest (again) into the knowledge base",
  "       npm run kb:ingest -- --list                 list the documents in it",
  "       npm run kb:ingest -- --remove <source>      remove a document (its name as --list shows it)",
  `files: ${Object.keys(KB_KINDS).join(" ")}; folders are read recursively (hidden ones skipped)`,
].join("\n");

const args = process.argv.slice(2);
if (args.length === 0 || args.includes("--help") || args.includes("-h")) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(args.length === 0 ? 2 : 0);
}
const unknown = args.find((arg) => arg.startsWith("--") && arg !== "--list" && arg !== "--remove");
if (unknown) {
  process.stderr.write(`kb:ingest: unknown option ${unknown}\n${USAGE}\n`);
  process.exit(2);
}

let store: Store | undefined;
try {
  const config = loadConfig();
  store = await openStore({
    postgresUrl: config.POSTGRES_URL,
    dataDir: config.dataDir,
    schema: config.OCTO_PG_SCHEMA,
    poolMax: 2,
  });
  // No logger: every file's outcome is printed below, which is what a person running this reads.
  process.exitCode = await run(new KnowledgeBase(store.knowledge));
} catch (error) {
  process.stderr.write(`kb:ingest: ${isConfigError(error) ? error.lines.join("; ") : errorMessage(error)}\n`);
  process.exitCode = isConfigError(error) ? 2 : 1;
} finally {
  await store?.close();
}

async function run(kb: KnowledgeBase): Promise<number> {
  if (args[0] === "--list") {
    const documents = await kb.documents();
    if (documents.length === 0) process.stdout.write("the knowledge base is empty\n");
    for (const doc of documents)
      process.stdout.write(`${doc.source}\t${doc.chunks} chunks\t${doc.ingestedAt}\n`);
    return 0;
  }
  if (args[0] === "--remove") {
    const sources = args.slice(1);
    if (sources.length === 0) {
      process.stderr.write(`kb:ingest: --remove needs a source name\n${USAGE}\n`);
      return 2;
    }
    let missing = 0;
    for (const source of sources) {
      const removed = await kb.remove(source);
      if (removed === 0) missing += 1;
      process.stdout.write(removed ? `removed ${source} (${removed} chunks)\n` : `not found: ${source}\n`);
    }
    return missing > 0 ? 1 : 0;
  }
  const { ingested, failed } = await kb.ingestPaths(args.filter((arg) => !arg.startsWith("--")));
  for (const report of ingested)
    process.stdout.write(
      `ingested ${report.source} (${report.kind}): ${report.chunks} chunks${report.replaced ? `, replacing ${report.replaced}` : ""}\n`,
    );
  for (const failure of failed) process.stderr.write(`not ingested: ${failure.reason}\n`);
  if (ingested.length === 0 && failed.length === 0) process.stderr.write("no supported files found\n");
  process.stdout.write(
    `${ingested.length} ingested, ${failed.length} not; ${await kb.count()} chunks in all\n`,
  );
  return failed.length > 0 || ingested.length === 0 ? 1 : 0;
}
