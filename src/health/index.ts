export {
  CHECK_TIMEOUT_MS,
  type CheckResult,
  checkReadiness,
  connectionCheck,
  databaseCheck,
  modelCheck,
  type ReadinessCheck,
  type ReadinessReport,
} from "./readiness.js";
