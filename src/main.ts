import path from "node:path";
import { ASK_EXIT, runAsk } from "./adapters/console/index.js";
import { HttpHost } from "./adapters/http/index.js";
import { createRunViewer } from "./adapters/http/viewer/index.js";
import { type Adapter, selectAdapters } from "./adapters/index.js";
import type { AdapterContext } from "./adapters/types.js";
import { helpText, parseCommand, version } from "./cli.js";
import { type Config, isConfigError, loadConfig } from "./config.js";
import { ConversationService, settingsFromConfig, storeLedger } from "./conversations/index.js";
import { checkReadiness, connectionCheck, databaseCheck, modelCheck } from "./health/index.js";
import { t } from "./i18n/index.js";
import { createLlm } from "./llm/index.js";
import { createLogger, type Logger } from "./log.js";
import { createMetrics } from "./metrics/index.js";
import { type JobQueue, openJobQueue, openStore, type Store } from "./store/index.js";
import { openTools } from "./tools/index.js";
import type { KnowledgeBase } from "./tools/kb/index.js";
import { errorMessage, isOctoError } from "./vocabulary/index.js";

/** Exit codes: 0 done, 1 failure at run time, 2 bad configuration or usage, 3 an approval left pending. */
const EXIT_CONFIG = 2;
/** How long a stop lets runs in flight checkpoint and say they will continue; the rest of 10 s drains. */
const SHUTDOWN_GRACE_MS = 6_000;

function fail(message: string, code: number): never {
  process.stderr.write(`octostrator: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const command = parseCommand(process.argv.slice(2));
  if (command.kind === "usage") fail(`${command.message}\n${t("en", "console.ask_usage")}`, EXIT_CONFIG);
  if (command.kind === "help") {
    process.stdout.write(helpText());
    return;
  }
  if (command.kind === "version") {
    process.stdout.write(`${version()}\n`);
    return;
  }

  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (isConfigError(error)) fail(`configuration error: ${error.lines.join("; ")}`, EXIT_CONFIG);
    throw error;
  }

  const platformsConfigured = Boolean(
    config.SLACK_BOT_TOKEN || config.SLACK_APP_TOKEN || config.DISCORD_TOKEN || config.OCTO_API_TOKEN,
  );
  const interactiveConsole = command.kind === "serve" && !platformsConfigured;
  // The console owns stdout, so its logs go to a file unless one was chosen.
  const logFile =
    config.OCTO_LOG_FILE ??
    (interactiveConsole || command.kind === "ask"
      ? path.join(config.dataDir, "logs", "octo.log")
      : undefined);
  const logger = createLogger({
    level: config.OCTO_DEBUG ? "debug" : config.OCTO_LOG_LEVEL,
    file: logFile,
    secrets: config.secrets,
  });

  let store: Store;
  try {
    store = await openStore({
      postgresUrl: config.POSTGRES_URL,
      dataDir: config.dataDir,
      schema: config.OCTO_PG_SCHEMA,
      poolMax: config.OCTO_PG_POOL_MAX,
      logger,
    });
  } catch (error) {
    logger.fatal({ err: error }, "cannot open the store");
    fail(errorMessage(error), isOctoError(error, "store_locked") ? EXIT_CONFIG : 1);
  }

  // A library's stray rejection (a driver error nobody awaited) is logged; it must not stop the bot
  // while Postgres is away for a moment, which Node's default would.
  process.on("unhandledRejection", (reason) => {
    logger.error({ err: reason }, "unhandled rejection; carrying on");
  });
  const shutdown = await startServices(config, logger, store, command);
  if (command.kind === "ask") {
    // Ctrl-C suspends the run (it finishes at the next start) instead of killing it mid-write.
    for (const signal of ["SIGINT", "SIGTERM"] as const)
      process.on(
        signal,
        () => void shutdown.stop().then(() => process.exit(signal === "SIGINT" ? 130 : 143)),
      );
    const code = await shutdown.ask();
    await shutdown.stop();
    process.exit(code);
  }
}

async function startServices(
  config: Config,
  logger: Logger,
  store: Store,
  command: ReturnType<typeof parseCommand>,
) {
  let queue: JobQueue | undefined;
  // Counted from the start; the feedback and queue figures are read from the store at each scrape.
  const metrics = createMetrics({
    feedback: () => store.feedback.countsByRating(),
    queueDepth: async () => (queue ? queue.backlog() : 0),
  });
  let llm: Awaited<ReturnType<typeof createLlm>>;
  try {
    llm = await createLlm(config, { db: store.db, logger, metrics });
  } catch (error) {
    logger.fatal({ err: error }, "no language model");
    await store.close();
    fail(errorMessage(error), EXIT_CONFIG);
  }
  const settings = settingsFromConfig(config);
  let jobs: JobQueue;
  try {
    jobs = await openJobQueue({
      db: store.db,
      postgresUrl: config.POSTGRES_URL,
      schema: config.OCTO_PG_SCHEMA,
      concurrency: settings.concurrency,
      logger,
    });
  } catch (error) {
    logger.fatal({ err: error }, "cannot open the job queue");
    await store.close();
    fail(errorMessage(error), 1);
  }
  queue = jobs;
  const tools = openTools(config, {
    logger,
    userAgent: `Octostrator/${version()}`,
    knowledge: store.knowledge,
  });
  if (config.OCTO_KB_SAMPLE && config.OCTO_ROLE !== "intake") await seedKnowledgeBase(tools.tools.kb, logger);
  const conversations = new ConversationService({
    store,
    llm,
    logger,
    tools: tools.tools,
    settings,
    queue: jobs,
    takesJobs: config.OCTO_ROLE !== "intake",
    metrics,
  });
  let adapters: Adapter[] = [];
  const readiness = () =>
    checkReadiness([databaseCheck(store.db), modelCheck(llm), ...adapters.map(connectionCheck)]);
  // One HTTP server for every adapter's endpoints; it listens only if one of them mounted a route. With
  // OCTO_ADMIN_PORT the health, readiness and metrics endpoints have a listener of their own instead.
  const adminPort = command.kind === "ask" ? undefined : config.OCTO_ADMIN_PORT;
  const http = new HttpHost({
    host: config.HOST,
    port: config.PORT,
    logger,
    metrics,
    readiness,
    adminEndpoints: config.OCTO_ADMIN_PORT === undefined,
  });
  const admin =
    adminPort === undefined
      ? undefined
      : new HttpHost({ host: config.HOST, port: adminPort, logger, metrics, readiness });
  const ctx: AdapterContext = {
    config,
    conversations,
    ledger: storeLedger(store),
    logger,
    http: http.routes,
    metrics,
  };

  let stopping: Promise<void> | undefined;
  const stop = (adapters: { stop(): Promise<void> }[] = []) => {
    stopping ??= (async () => {
      // The service first, while the platforms can still be written to: runs in flight tell their threads
      // they will continue and go back to the queue; then the adapters stop taking events and drain.
      await conversations
        .close(SHUTDOWN_GRACE_MS)
        .catch((error: unknown) => logger.error({ err: error }, "service stop failed"));
      for (const adapter of adapters)
        await adapter.stop().catch((error: unknown) => logger.error({ err: error }, "adapter stop failed"));
      await http.close().catch((error: unknown) => logger.error({ err: error }, "HTTP server close failed"));
      await admin
        ?.close()
        .catch((error: unknown) => logger.error({ err: error }, "admin HTTP server close failed"));
      await llm.close?.();
      await tools.close();
      await store.close();
      logger.info("stopped");
      logger.flush();
    })();
    return stopping;
  };

  if (command.kind === "ask") {
    return {
      ask: () =>
        runAsk(ctx, {
          request: command.request,
          format: command.format,
          thread: command.thread,
          decisions: command.decisions,
          files: command.files,
        }).catch((error: unknown) => {
          logger.error({ err: error }, "ask failed");
          // Stopped by a signal: the run already said it will continue; the closed store is no news.
          if (!stopping) process.stderr.write(`octostrator: ${errorMessage(error)}\n`);
          return ASK_EXIT.failed;
        }),
      stop: () => stop(),
    };
  }

  try {
    // First, so /healthz answers and /readyz says what is still starting while the platforms connect.
    await admin?.listen();
    adapters = selectAdapters(ctx, {
      thread: command.kind === "serve" ? command.thread : undefined,
      onConsoleExit: () => void stop(adapters).then(() => process.exit(0)),
    });
    // The run pages that answers link to, when OCTO_PUBLIC_URL is set: stopped with the adapters.
    const viewer = createRunViewer(ctx);
    if (viewer) adapters.unshift(viewer);
    for (const adapter of adapters) await adapter.start();
    // Once every adapter mounted its routes (Hono seals its router at the first request).
    if (http.needed) await http.listen();
    // After the adapters attached their deliverers: every job taken from now on can be reported.
    await conversations.start();
  } catch (error) {
    logger.fatal({ err: error }, "an adapter could not start");
    await stop(adapters);
    if (isConfigError(error)) fail(`configuration error: ${error.lines.join("; ")}`, EXIT_CONFIG);
    fail(`could not start: ${errorMessage(error)}`, 1);
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    // `on`, not `once`: a wrapper (npm, tsx) may forward the same signal again, and stop() runs once anyway.
    process.on(signal, () => {
      logger.info({ signal }, "stopping");
      void stop(adapters).then(() => process.exit(0));
    });
  }
  logger.info(
    {
      adapters: adapters.map((a) => a.name),
      http: http.url ?? "off",
      admin: admin?.url ?? "off",
      role: config.OCTO_ROLE,
      store: store.db.kind,
      queue: jobs.kind,
      llm: `${llm.provider}:${llm.model}`,
    },
    "started",
  );
  return { ask: async () => ASK_EXIT.ok, stop: () => stop(adapters) };
}

/**
 * The sample pages, on a first start, so the console demo's questions find something real. A failure
 * is logged and the start goes on: the knowledge base is still there to ingest into.
 */
async function seedKnowledgeBase(kb: KnowledgeBase | undefined, logger: Logger): Promise<void> {
  try {
    const seeded = await kb?.seedIfEmpty();
    if (seeded)
      logger.info(
        { documents: seeded.length, chunks: seeded.reduce((n, d) => n + d.chunks, 0) },
        "sample knowledge base ingested",
      );
  } catch (error) {
    logger.error({ err: error }, "could not ingest the sample knowledge base");
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`octostrator: ${errorMessage(error)}\n`);
  process.exit(1);
});
