// PLACEHOLDER (helper 6 owns this file and replaces it).
export type LedgerRepo = Record<string, never>;
