export { AddressGuard, type AddressGuardOptions, parseAllowEntry, type Refusal } from "./address-guard.js";
export { isWebFetchError, WEB_FAILURES, type WebFailure, WebFetchError } from "./errors.js";
export { excerpt } from "./excerpt.js";
export {
  type FetchPageOptions,
  GuardedWebFetcher,
  WEB_DEFAULTS,
  type WebFetcher,
  type WebFetcherOptions,
  type WebPage,
} from "./fetcher.js";
export { htmlToMarkdown, type PageText } from "./markdown.js";
export { urlsIn } from "./urls.js";
