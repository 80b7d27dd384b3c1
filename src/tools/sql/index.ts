export { DEFAULT_SQL_LIMITS, DuckDbQuerier } from "./duckdb.js";
export type {
  Cell,
  ColumnProfile,
  QueryResult,
  SqlFailure,
  SqlLimits,
  TableFile,
  TableProfile,
  TableQuerier,
  TableSession,
} from "./types.js";
export { isSqlError, SqlError } from "./types.js";
