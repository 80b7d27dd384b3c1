export { DEFAULT_SANDBOX_LIMITS, QuickJsSandbox } from "./sandbox.js";
export {
  type CodeSandbox,
  SANDBOX_FAILURES,
  type SandboxFailure,
  type SandboxLimits,
  type SandboxRun,
} from "./types.js";
