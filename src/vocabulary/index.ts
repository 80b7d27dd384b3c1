/**
 * The words every layer shares (locale, output format, error codes and the error type, the one way
 * text is shortened). A leaf: it imports nothing from src/, so store, i18n, llm, supervisor,
 * conversations, renderers and adapters can all depend on it downward.
 */
export { ERROR_CODES, type ErrorCode, errorMessage, isOctoError, OctoError } from "./errors.js";
export { feedbackValue, parseFeedbackValue, RATINGS, type Rating } from "./feedback.js";
export { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from "./formats.js";
export { hiddenLinkHost, revealLinkHosts } from "./links.js";
export { detectLocale, LOCALES, type Locale } from "./locale.js";
export { markdownCell, markdownTable, monospaceWidth } from "./markdown-table.js";
export { clip, ELLIPSIS, numbersIn, oneLine, safeCut } from "./text.js";
