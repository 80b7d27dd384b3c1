export {
  CONTRACT_LOCALES,
  type ContractField,
  type ContractLocale,
  type ContractTemplate,
  contractTemplates,
  placeholdersOf,
} from "./catalog.js";
export { type Extraction, extractFields, grounded, parseValue } from "./extract.js";
export { type FilledContract, fillTemplate } from "./fill.js";
export { describeValue, formatValue } from "./format.js";
export type { FieldValue } from "./values.js";
