/**
 * The architecture's arrows (see README "Design"): adapters -> conversations, renderers;
 * conversations -> supervisor, store; supervisor -> llm, store types; renderers -> supervisor types.
 * Platform SDKs stay inside their adapter folder.
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
      from: { path: "^src/(supervisor|conversations|renderers|store|llm)/" },
      to: { path: "^src/adapters/" },
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
      to: { path: "^src/(store|llm|conversations/(?!events\\.ts$))" },
    },
    {
      name: "store-below-conversations",
      severity: "error",
      from: { path: "^src/store/" },
      to: { path: "^src/(conversations|renderers|llm)/|^src/supervisor/(?!types\\.ts$)" },
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
