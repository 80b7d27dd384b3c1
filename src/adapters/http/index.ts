export {
  DEFAULT_BODY_LIMIT_BYTES,
  HEALTH_PATH,
  HttpHost,
  type HttpHostOptions,
  METRICS_PATH,
  READY_PATH,
} from "./host.js";
export type {
  HttpMethod,
  HttpRoutes,
  MountedApp,
  MountedRoute,
  NodeListener,
  RawRequest,
  RawRouteHandler,
} from "./routes.js";
