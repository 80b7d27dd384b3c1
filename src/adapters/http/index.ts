export { DEFAULT_BODY_LIMIT_BYTES, HEALTH_PATH, HttpHost, type HttpHostOptions } from "./host.js";
export type {
  HttpMethod,
  HttpRoutes,
  MountedApp,
  MountedRoute,
  NodeListener,
  RawRequest,
  RawRouteHandler,
} from "./routes.js";
