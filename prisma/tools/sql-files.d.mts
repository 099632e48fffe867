// Types of sql-files.mjs for the TypeScript tests (prisma/test/sql-files.test.ts).
export type SqlObjectKind = "function" | "view" | "trigger";

/** One file under prisma/sql: `path` is relative to that directory (e.g. functions/hold_seats.sql). */
export interface SqlFile {
  kind: SqlObjectKind;
  name: string;
  path: string;
  text: string;
  /** The CREATE statements found in the file. */
  defines: { kind: string; name: string }[];
}

/** A function, trigger or view of a database with its definition as PostgreSQL prints it. */
export interface CatalogObject {
  kind: SqlObjectKind;
  name: string;
  identity: string;
  definition: string;
}

export interface SqlFileChange {
  path: string;
  /** What the next migration runs for this file: any DROP it needs, then the file's full text. */
  sql: string;
}

export declare const SQL_DIR: string;
export declare function readSqlFiles(directory?: string): SqlFile[];
export declare function readCatalog(client: { query(sql: string): Promise<{ rows: unknown[] }> }): Promise<CatalogObject[]>;
export declare function homeProblems(catalog: CatalogObject[], files: SqlFile[]): string[];
export declare function changedSqlFiles(databaseUrl: string, files?: SqlFile[], options?: { prelude?: string }): Promise<SqlFileChange[]>;
