import { numbersIn } from "../../vocabulary/index.js";
import type { ContractField, ContractTemplate } from "./catalog.js";
import { findGoverningLaw, findParties, findPurpose, findServices } from "./terms.js";
import {
  type FieldValue,
  findDates,
  findDurations,
  findMoney,
  findPaymentDays,
  isoDate,
  without,
} from "./values.js";

export interface Extraction {
  values: Partial<Record<string, FieldValue>>;
  /** The request named both parties without saying who is which; the first was taken as the first field. */
  partiesUnordered: boolean;
}

const TEXT_FINDERS: Record<string, (text: string) => string | undefined> = {
  purpose: findPurpose,
  services: findServices,
};

/** What a request says about a template's fields, read without a model. */
export function extractFields(template: ContractTemplate, text: string): Extraction {
  const values: Partial<Record<string, FieldValue>> = {};
  const dates = findDates(text);
  const money = findMoney(without(text, dates));
  const rest = without(text, [...dates, ...money]);
  const durations = findDurations(rest);
  const parties = findParties(text);
  const partyFields = template.fields.filter((field) => field.type === "party");
  const guesses = [parties.first, parties.second];
  partyFields.forEach((field, index) => {
    const name = guesses[index];
    if (name) values[field.name] = { type: "party", text: name };
  });
  for (const field of template.fields) {
    const value = ((): FieldValue | undefined => {
      switch (field.type) {
        case "date":
          return dates[0] ? { type: "date", iso: dates[0].value } : undefined;
        case "money":
          return money[0] ? { type: "money", ...money[0].value } : undefined;
        case "duration":
          return durations[0] ? { type: "duration", ...durations[0].value } : undefined;
        case "days": {
          const days = findPaymentDays(rest);
          return days ? { type: "days", days } : undefined;
        }
        case "jurisdiction": {
          const law = findGoverningLaw(text);
          return law ? { type: "jurisdiction", text: law } : undefined;
        }
        case "text": {
          const found = TEXT_FINDERS[field.name]?.(text);
          return found ? { type: "text", text: found } : undefined;
        }
        case "party":
          return undefined;
      }
    })();
    if (value) values[field.name] = value;
  }
  return { values, partiesUnordered: Boolean(parties.unordered && parties.first && parties.second) };
}

/** A written value (a default, a model's answer) as the field's type, or undefined if it is not one. */
export function parseValue(field: ContractField, raw: string): FieldValue | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  switch (field.type) {
    case "party":
    case "text":
    case "jurisdiction":
      return { type: field.type, text };
    case "date": {
      const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      const value = iso ? isoDate(iso[1]!, iso[2]!, iso[3]!) : findDates(text)[0]?.value;
      return value ? { type: "date", iso: value } : undefined;
    }
    case "money": {
      const found = findMoney(text)[0];
      return found ? { type: "money", ...found.value } : undefined;
    }
    case "duration": {
      const found = findDurations(text)[0];
      return found ? { type: "duration", ...found.value } : undefined;
    }
    case "days": {
      const days = /^\d{1,3}$/.test(text) ? Number(text) : findPaymentDays(text);
      return days ? { type: "days", days } : undefined;
    }
  }
}

function squeezed(text: string): string {
  return text.toLowerCase().replace(/[\s"'“”‘’.,()]+/g, "");
}

/**
 * A model's value is kept only if the request says it: names and phrases must appear in the request
 * (spacing and punctuation aside), and every number in a typed value must be a number the request
 * wrote. A small model's invented party or date never reaches a draft.
 */
export function grounded(value: FieldValue, raw: string, text: string): boolean {
  if (value.type === "party" || value.type === "text" || value.type === "jurisdiction") {
    const needle = squeezed(raw);
    return needle.length >= 2 && squeezed(text).includes(needle);
  }
  const written = numbersIn(text);
  if (value.type === "date") {
    // The month may be written as a word ("December"); the year and the day must be written.
    const [year, , day] = value.iso.split("-").map(Number);
    return written.has(year as number) && written.has(day as number);
  }
  const used = [...numbersIn(raw)];
  return used.length > 0 && used.every((n) => written.has(n));
}
