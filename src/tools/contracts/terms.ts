/**
 * The words of a contract request that name things: the parties, the purpose or services, the
 * governing law. Patterns for the common ways people write them in English and Korean; what they do
 * not catch is left to the model (and then checked against the request's own words).
 */

const COMPANY_WORDS = /^(?:주식회사|유한회사|㈜|\(주\)|재단법인|사단법인|합자회사|합명회사)$/;
/** Where a name written in an English sentence ends. */
const EN_STOP =
  /\s*(?:[,;:()]|(?<!\b(?:Inc|Corp|Co|Ltd|L\.L\.C|Pty|GmbH|S\.A|N\.V|B\.V|P\.C))\.(?=\s|$)|\s+(?:for|to|regarding|about|concerning|on|starting|from|effective|under|with|governed|beginning|in order|so that|that|which|who|covering|as of|dated)\b|$)/;

function trimName(name: string): string {
  return name
    .trim()
    .replace(/^(?:the|a|an)\s+/i, "")
    .replace(/^["'“‘(]+|["'”’),.]+$/g, "")
    .trim();
}

function untilStop(text: string): string {
  const stop = EN_STOP.exec(text);
  return trimName(stop ? text.slice(0, stop.index) : text);
}

/** A Korean name before a particle: one word, or two when one of them says what kind of company it is. */
function koreanName(words: string[]): string {
  const last = words.at(-1) ?? "";
  const before = words.at(-2);
  return trimName(
    before && (COMPANY_WORDS.test(before) || COMPANY_WORDS.test(last)) ? `${before} ${last}` : last,
  );
}

export interface PartyGuess {
  first?: string;
  second?: string;
  /** The request named the parties without saying who is which (`between A and B`). */
  unordered?: boolean;
}

const LABELS_FIRST =
  /(?:party\s*a|first\s+party|disclosing\s+party|client|customer|갑|발주자|위탁자|고객사?)\s*[:：=]\s*([^,;\n]+)/i;
const LABELS_SECOND =
  /(?:party\s*b|second\s+party|receiving\s+party|provider|contractor|vendor|supplier|을|수급자|수탁자|공급자)\s*[:：=]\s*([^,;\n]+)/i;

/** "Our company is A", "우리 회사는 A이고": the person's own side, which is the first party. */
const OWN_SIDE = [
  /\b(?:[Oo]ur company is|[Oo]ur company,|[Ww]e are|I represent|[Oo]n behalf of)\s+([A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*)*)/,
  /(?:우리\s*회사|저희\s*회사|우리\s*쪽|저희|당사)(?:는|은|가|:)?\s*([^\s,.]+)/,
];
/** "The other side is B", "상대방은 B입니다". */
const OTHER_SIDE = [
  /\b(?:[Tt]he other (?:side|party)|[Tt]he counterparty|[Cc]ounterparty)(?:\s+is|:)\s+([A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*)*)/,
  /(?:상대방|상대\s*회사|상대측|거래처)(?:은|는|이|:)?\s*([^\s,.]+)/,
];
const KOREAN_COPULA = /(?:이고|이며|입니다|이에요|예요|이다|고|며)$/;

function firstMatch(patterns: readonly RegExp[], text: string): string | undefined {
  for (const pattern of patterns) {
    const found = pattern.exec(text)?.[1];
    if (found) return untilStop(found).replace(KOREAN_COPULA, "") || undefined;
  }
  return undefined;
}

/**
 * The parties a request names: labelled (`client: A`), by side (`our company is A`, `상대방은 B`),
 * `between A and B`, `A와 B 사이`, `with B`.
 */
export function findParties(text: string): PartyGuess {
  const first = LABELS_FIRST.exec(text)?.[1];
  const second = LABELS_SECOND.exec(text)?.[1];
  if (first || second)
    return {
      ...(first ? { first: untilStop(first) } : {}),
      ...(second ? { second: untilStop(second) } : {}),
    };
  const own = firstMatch(OWN_SIDE, text);
  const other = firstMatch(OTHER_SIDE, text);
  if (own || other) return { ...(own ? { first: own } : {}), ...(other ? { second: other } : {}) };

  const between = /\bbetween\s+(.+?)\s+and\s+(.+)/i.exec(text);
  if (between) {
    const a = trimName(between[1]!);
    const b = untilStop(between[2]!);
    if (a && b) return { first: a, second: b, unordered: true };
  }
  const korean =
    /((?:\S+\s+)?\S+?)(?:와|과|하고|및|랑|이랑)\s+((?:\S+\s+)?\S+?)\s*(?:사이|간)(?:의|에|에서)?(?=\s|$)/.exec(
      text,
    );
  if (korean) {
    const a = koreanName(korean[1]!.split(/\s+/));
    const b = koreanName(korean[2]!.split(/\s+/));
    if (a && b) return { first: a, second: b, unordered: true };
  }
  const withOther = /\bwith\s+([A-Z][\w&.,'-]*(?:\s+[A-Z][\w&.'-]*)*)/.exec(text);
  if (withOther) return { second: untilStop(withOther[1]!) };
  const koreanWith = /((?:\S+\s+)?\S+?)(?:와|과)의?\s+(?:비밀유지|기밀유지|용역|계약|NDA)/i.exec(text);
  if (koreanWith) return { second: koreanName(koreanWith[1]!.split(/\s+/)) };
  return {};
}

/** Words before `를 위한` / `용역`, walking back until a word that ends in a particle (`사이의`). */
function koreanPhraseBefore(text: string, marker: RegExp): string | undefined {
  const match = marker.exec(text);
  if (!match) return undefined;
  const words = text.slice(0, match.index).trim().split(/\s+/);
  const kept: string[] = [];
  for (let i = words.length - 1; i >= 0 && kept.length < 4; i -= 1) {
    const word = words[i]!;
    if (/(?:의|에|에서|와|과|는|은|이|가|을|를|로|으로|하는|하고|해서|[.,:])$/.test(word) && kept.length > 0)
      break;
    if (/(?:의|에서|와|과|는|은|[.,:])$/.test(word)) break;
    kept.unshift(word);
  }
  const phrase = kept
    .join(" ")
    .replace(/[을를]$/, "")
    .trim();
  return phrase.length >= 2 ? phrase : undefined;
}

export function findPurpose(text: string): string | undefined {
  const english =
    /\b(?:for the purposes? of|purpose(?:\s+is|:)|in order to|so that we can|regarding|concerning)\s+(.+)/i.exec(
      text,
    ) ?? /\bto\s+((?:evaluate|explore|discuss|assess|review|negotiate|consider)\b.+)/i.exec(text);
  if (english) {
    const purpose = untilStop(english[1]!.replace(/^(?:to\s+)/i, ""));
    if (purpose.length >= 3) return purpose;
  }
  const labelled = /목적(?:은|는|:|：)\s*([^,.\n]+)/.exec(text)?.[1]?.trim();
  if (labelled) return labelled.replace(/(?:입니다|이다|임)$/, "").trim();
  return koreanPhraseBefore(text, /(?:을|를)?\s*위한|(?:을|를)?\s*위해|(?:와|과)\s*관련(?:한|된)/);
}

export function findServices(text: string): string | undefined {
  const labelled = /\bservices?\s*[:：]\s*([^;\n]+)/i.exec(text)?.[1];
  if (labelled) return untilStop(labelled);
  const verb =
    /\bto\s+((?:develop|build|design|maintain|provide|perform|deliver|create|write|translate|implement|operate|support|audit|redesign)\b.+)/i.exec(
      text,
    );
  if (verb) {
    const services = untilStop(verb[1]!);
    if (services.split(/\s+/).length >= 2) return services;
  }
  const noun = /\b(?:for|of)\s+((?:[\w-]+\s+){0,5}?[\w-]+)\s+services\b/i.exec(text);
  if (noun && !/^(?:the|our|their|his|her)$/i.test(noun[1]!)) return trimName(noun[1]!);
  return koreanPhraseBefore(text, /\s*용역|\s*(?:서비스|개발)\s*계약/);
}

/** Adjectives people use for a jurisdiction, as the template's "the laws of ..." wants it. */
const JURISDICTIONS: Record<string, string> = {
  korean: "the Republic of Korea",
  korea: "the Republic of Korea",
  "south korea": "the Republic of Korea",
  "the republic of korea": "the Republic of Korea",
  "republic of korea": "the Republic of Korea",
  english: "England and Wales",
  england: "England and Wales",
  "new york": "the State of New York",
  delaware: "the State of Delaware",
  california: "the State of California",
  californian: "the State of California",
  japanese: "Japan",
  singaporean: "Singapore",
  german: "Germany",
  french: "France",
  한국: "대한민국",
  대한민국: "대한민국",
};

export function findGoverningLaw(text: string): string | undefined {
  const lawsOf = /\blaws?\s+of\s+(.+)/i.exec(text);
  if (lawsOf) {
    const place = untilStop(lawsOf[1]!);
    if (place) return JURISDICTIONS[place.toLowerCase()] ?? place;
  }
  const adjective = /\b((?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+)\s+law\b/.exec(text);
  if (adjective && !/^(?:The|Governing|Contract|Case|Common)$/.test(adjective[1]!))
    return JURISDICTIONS[adjective[1]!.toLowerCase()] ?? adjective[1]!;
  const korean = /(대한민국|한국|미국|일본|중국|영국|싱가포르|독일|프랑스|홍콩)\s*법/.exec(text);
  if (korean) return JURISDICTIONS[korean[1]!] ?? korean[1]!;
  const labelled = /준거법(?:은|는|:|：|을|를)?\s*([^\s,.]+)/.exec(text)?.[1];
  return labelled ? (JURISDICTIONS[labelled.replace(/법$/, "")] ?? labelled.replace(/법$/, "")) : undefined;
}
