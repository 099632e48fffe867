/**
 * The presale panel's GraphQL: the event's presale summary, new access codes, and verified-fan
 * uploads. A verified-fan file can be far larger than one GraphQL request may be (256 KB), so it is
 * sent in pieces of whole lines (`csvPieces`), each with the file's header line and the number of its
 * first line, so the API's report names lines of the promoter's own file; the results add up.
 */
import { userErrorsToHttpError, type GraphQLTransport, type UserError } from "../dataProvider/graphql-client";

export interface PresaleSummary {
  presaleEnabled: boolean;
  codes: number;
  codeUses: number;
  codeUsesLeft: number;
  verifiedFans: number;
  verifiedFansJoined: number;
}

export interface ImportResult {
  rows: number;
  added: number;
  alreadyListed: number;
  unknownEmails: string[];
  unknownCount: number;
  invalidLines: number[];
  invalidCount: number;
  repeatedCount: number;
}

const SUMMARY = "presaleEnabled codes codeUses codeUsesLeft verifiedFans verifiedFansJoined";
const ERRORS = "errors { code message field }";

export const PRESALE_DOCUMENTS = {
  adminPresale: `query adminPresale($eventId: ID!) { adminPresale(eventId: $eventId) { ${SUMMARY} } }`,
  createPresaleCodes: `mutation createPresaleCodes($input: CreatePresaleCodesInput!) { createPresaleCodes(input: $input) { codes presale { ${SUMMARY} } ${ERRORS} } }`,
  importVerifiedFans: `mutation importVerifiedFans($input: ImportVerifiedFansInput!) {
  importVerifiedFans(input: $input) { result { rows added alreadyListed unknownEmails unknownCount invalidLines invalidCount repeatedCount } presale { ${SUMMARY} } ${ERRORS} }
}`,
};

/** Characters per piece: at most 3 bytes each in UTF-8, so a piece stays well under the request limit. */
export const PIECE_CHARACTERS = 60_000;
/** Rows per piece (the API takes at most 20,000). */
export const PIECE_ROWS = 10_000;

export interface CsvPiece {
  csv: string;
  /** Line number of the piece's first line (its header, when the file has one) in the whole file. */
  firstLine: number;
}

/**
 * Splits a CSV file into pieces of whole lines. A file whose first line holds no email address has a
 * header line: each piece starts with it, and numbers its first line so that its data lines keep
 * their numbers in the file. (A quoted field spanning lines would be cut; email lists have none.)
 */
export function csvPieces(text: string, maxCharacters = PIECE_CHARACTERS, maxRows = PIECE_ROWS): CsvPiece[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  if (lines.length === 0) return [];
  const hasHeader = !lines[0]!.includes("@");
  const header = hasHeader ? lines[0]! : null;
  const pieces: CsvPiece[] = [];
  let start = hasHeader ? 1 : 0;
  while (start < lines.length) {
    let end = start;
    let size = header?.length ?? 0;
    while (end < lines.length && end - start < maxRows && (end === start || size + lines[end]!.length + 1 <= maxCharacters)) {
      size += lines[end]!.length + 1;
      end++;
    }
    const body = lines.slice(start, end).join("\n");
    // Line numbers are 1-based: data line `start` (0-based) is file line start + 1; its header sits just before.
    pieces.push(header === null ? { csv: `${body}\n`, firstLine: start + 1 } : { csv: `${header}\n${body}\n`, firstLine: start });
    start = end;
  }
  return pieces;
}

/** Adds one piece's result to the running total (reported lists stay at 50, as the API's). */
export function addResults(total: ImportResult, piece: ImportResult): ImportResult {
  return {
    rows: total.rows + piece.rows,
    added: total.added + piece.added,
    alreadyListed: total.alreadyListed + piece.alreadyListed,
    unknownEmails: [...total.unknownEmails, ...piece.unknownEmails].slice(0, 50),
    unknownCount: total.unknownCount + piece.unknownCount,
    invalidLines: [...total.invalidLines, ...piece.invalidLines].slice(0, 50),
    invalidCount: total.invalidCount + piece.invalidCount,
    repeatedCount: total.repeatedCount + piece.repeatedCount,
  };
}

export const EMPTY_RESULT: ImportResult = { rows: 0, added: 0, alreadyListed: 0, unknownEmails: [], unknownCount: 0, invalidLines: [], invalidCount: 0, repeatedCount: 0 };

interface Payload {
  errors: UserError[];
  [field: string]: unknown;
}

export function presaleApi(transport: GraphQLTransport) {
  async function mutate(field: keyof typeof PRESALE_DOCUMENTS, input: Record<string, unknown>): Promise<Payload> {
    const data = await transport({ query: PRESALE_DOCUMENTS[field], variables: { input } });
    const payload = data[field] as Payload;
    if (payload.errors.length) throw userErrorsToHttpError(payload.errors);
    return payload;
  }
  return {
    async summary(eventId: string): Promise<PresaleSummary | null> {
      return (await transport({ query: PRESALE_DOCUMENTS.adminPresale, variables: { eventId } })).adminPresale as PresaleSummary | null;
    },
    async createCodes(eventId: string, count: number, maxUses: number): Promise<{ codes: string[]; presale: PresaleSummary }> {
      const payload = await mutate("createPresaleCodes", { eventId, count, maxUses });
      return { codes: payload.codes as string[], presale: payload.presale as PresaleSummary };
    },
    /** Sends the file piece by piece, reporting progress; stops at the first refusal. */
    async importVerifiedFans(eventId: string, text: string, onProgress: (done: number, total: number) => void): Promise<{ result: ImportResult; presale: PresaleSummary | null }> {
      const pieces = csvPieces(text);
      let result = EMPTY_RESULT;
      let presale: PresaleSummary | null = null;
      onProgress(0, pieces.length);
      for (const [index, piece] of pieces.entries()) {
        const payload = await mutate("importVerifiedFans", { eventId, csv: piece.csv, firstLine: piece.firstLine });
        result = addResults(result, payload.result as ImportResult);
        presale = payload.presale as PresaleSummary;
        onProgress(index + 1, pieces.length);
      }
      return { result, presale };
    },
  };
}
