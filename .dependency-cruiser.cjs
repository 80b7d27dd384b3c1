/**
 * The architecture's arrows (see README "Design"): adapters -> delivery, conversations, renderers;
 * delivery -> conversations' contract, renderers; conversations -> supervisor's runner, store;
 * supervisor -> llm, store; renderers -> the event contract and the shared vocabulary. Store, i18n and
 * vocabulary are low. Platform SDKs stay inside their adapter folder.
 */
module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
    {
      name: "slack-sdk-only-in-slack-adapter",
      severity: "error",
      from: { pathNot: "^src/adapters/slack/" },
      to: { path: "node_modules/@slack/" },
    },
    {
      name: "discord-sdk-only-in-discord-adapter",
      severity: "error",
      from: { pathNot: "^src/adapters/discord/" },
      to: { path: "node_modules/(discord\\.js|@discordjs)/" },
    },
    {
      name: "core-never-imports-adapters",
      severity: "error",
      from: { path: "^src/(supervisor|conversations|renderers|store|llm|delivery|i18n|vocabulary)/" },
      to: { path: "^src/adapters/" },
    },
    {
      name: "adapters-talk-to-conversations-only",
      comment: "Adapters and delivery reach the graph, the database and the models through ConversationApi.",
      severity: "error",
      from: { path: "^src/(adapters|delivery)/" },
      to: { path: "^src/(store|supervisor|llm)/" },
    },
    {
      name: "core-never-imports-delivery",
      severity: "error",
      from: { path: "^src/(supervisor|conversations|renderers|store|llm|i18n|vocabulary)/" },
      to: { path: "^src/delivery/" },
    },
    {
      name: "conversations-do-not-render",
      severity: "error",
      from: { path: "^src/conversations/" },
      to: { path: "^src/renderers/" },
    },
    {
      name: "supervisor-is-platform-neutral",
      severity: "error",
      from: { path: "^src/supervisor/" },
      to: { path: "^src/(conversations|renderers)/" },
    },
    {
      name: "renderers-see-only-contracts",
      severity: "error",
      from: { path: "^src/renderers/" },
      to: { path: "^src/(store|llm|conversations/(?!events\\.ts$)|supervisor/(?!types\\.ts$))" },
    },
    {
      name: "store-below-conversations",
      severity: "error",
      from: { path: "^src/store/" },
      to: { path: "^src/(conversations|renderers|llm|i18n)/|^src/supervisor/(?!types\\.ts$)" },
    },
    {
      name: "i18n-is-low",
      severity: "error",
      from: { path: "^src/i18n/" },
      to: { path: "^src/(?!vocabulary/|i18n/)" },
    },
    {
      name: "conversations-without-langgraph",
      comment: "LangGraph sits behind the supervisor's runner (src/supervisor/runner).",
      severity: "error",
      from: { path: "^src/conversations/" },
      to: { path: "node_modules/@langchain/" },
    },
    {
      name: "conversations-without-raw-sql",
      comment: "SQL stays in the store's repositories; checkpoints are the runner's.",
      severity: "error",
      from: { path: "^src/conversations/" },
      to: {
        path: "^src/store/(checkpoints|checkpointer|database|migrations|pglite|postgres)\\.ts$|node_modules/(pg|@electric-sql)/",
      },
    },
    {
      name: "vocabulary-is-a-leaf",
      severity: "error",
      from: { path: "^src/vocabulary/" },
      to: { path: "^src/(?!vocabulary/)" },
    },
    {
      name: "llm-below-supervisor",
      severity: "error",
      from: { path: "^src/llm/" },
      to: { path: "^src/(conversations|renderers|supervisor)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
