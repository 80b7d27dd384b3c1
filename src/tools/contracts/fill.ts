import type { ContractField, ContractLocale, ContractTemplate } from "./catalog.js";
import { parseValue } from "./extract.js";
import { describeValue, formatValue } from "./format.js";
import type { FieldValue } from "./values.js";

export interface FilledContract {
  markdown: string;
  /** Each field given and how it reads (`30 days`), in manifest order. */
  filled: { field: ContractField; value: FieldValue; shown: string }[];
  /** Fields the template's defaults filled, which the person should confirm. */
  assumed: { field: ContractField; value: FieldValue; shown: string }[];
  /** Required fields nobody gave: left as `[label]` in the text, asked for in the result. */
  missing: ContractField[];
}

/**
 * The template in `locale` with every placeholder replaced: the value given, else the field's default
 * (an assumption to confirm), else a visible `[label]` marker; dates and amounts formatted for the
 * language. Nothing is left as `{{field}}`.
 */
export function fillTemplate(
  template: ContractTemplate,
  locale: ContractLocale,
  values: Partial<Record<string, FieldValue>>,
): FilledContract {
  const filled: FilledContract["filled"] = [];
  const assumed: FilledContract["assumed"] = [];
  const missing: ContractField[] = [];
  const shown = new Map<string, string>();
  for (const field of template.fields) {
    const given = values[field.name];
    const fallback = field.default?.[locale];
    const value = given ?? (fallback ? parseValue(field, fallback) : undefined);
    if (value) {
      shown.set(field.name, formatValue(value, locale));
      (given ? filled : assumed).push({ field, value, shown: describeValue(value, locale) });
    } else {
      shown.set(field.name, `[${field.label[locale]}]`);
      if (field.required) missing.push(field);
    }
  }
  const markdown = template.bodies[locale].replace(
    /\{\{([a-z_]+)\}\}/g,
    (_, name: string) => shown.get(name) ?? "",
  );
  return { markdown, filled, assumed, missing };
}
