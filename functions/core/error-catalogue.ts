// Every error a user can see, with a stable code, a one-line cause and the fix. The
// list is data (error-catalogue.json, beside this file); the README's "Error codes"
// table is that list (a test keeps the two equal), and a test checks that every code
// the sources use is listed. Codes never change meaning; new failures get new codes.
import catalogue from './error-catalogue.json' with { type: 'json' };

export interface CatalogueEntry {
  /** Who reports it: the webhook path (function or proxy), a start-up, a tool. */
  readonly where: string;
  readonly cause: string;
  readonly fix: string;
}

export type ErrorCode = keyof typeof catalogue;

export const errorCatalogue: Readonly<Record<ErrorCode, CatalogueEntry>> = catalogue;
