/**
 * Where the guestbook keeps its entries: the runtime's own SQLite when it has one (`bun:sqlite`
 * on Bun, `node:sqlite` on Deno and on Node >= 22.5), else memory. The choice is made by trying
 * the imports (feature detection), so the module loads on every runtime; nothing here asks which
 * runtime it is on.
 */

export interface Entry {
  readonly name: string;
  readonly message: string;
  /** When it was signed (ISO 8601, UTC). */
  readonly at: string;
}

export interface Store {
  readonly kind: "sqlite" | "memory";
  /** One line for the log and the page: where the entries live. */
  readonly description: string;
  add(entry: Entry): void;
  /** The newest entries first. */
  latest(limit: number): Entry[];
}

/** The part of bun:sqlite's Database and node:sqlite's DatabaseSync the store uses (the same calls on both). */
interface SqlDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): { run(...params: string[]): unknown; all(...params: number[]): unknown[] };
}

type DatabaseClass = new (path: string) => SqlDatabase;

/** The first SQLite module this runtime has, with the name of its database class. */
const CANDIDATES = [
  { specifier: "bun:sqlite", className: "Database" },
  { specifier: "node:sqlite", className: "DatabaseSync" },
] as const;

/** Opens the SQLite file at `path` with the runtime's own SQLite, or a memory store when there is none. */
export async function openStore(path: string): Promise<Store> {
  for (const { specifier, className } of CANDIDATES) {
    const Database = await importClass(specifier, className);
    if (Database !== null) {
      return sqliteStore(new Database(path), `entries are stored in SQLite (${specifier}) at ${path}`);
    }
  }
  return memoryStore(
    `this runtime has no built-in SQLite (${runtimeName()}; node:sqlite came in Node 22.5): entries are kept in memory and lost when the server stops`,
  );
}

/** A class exported by an optional module, or null when the runtime has no such module. */
async function importClass(specifier: string, className: string): Promise<DatabaseClass | null> {
  try {
    // A specifier in a variable: bundlers and type checkers leave the import to run time.
    const module: Record<string, unknown> = await import(specifier);
    const found = module[className];
    return typeof found === "function" ? (found as DatabaseClass) : null;
  } catch {
    return null;
  }
}

function sqliteStore(db: SqlDatabase, description: string): Store {
  db.exec(
    "CREATE TABLE IF NOT EXISTS entries (id INTEGER PRIMARY KEY, name TEXT NOT NULL, message TEXT NOT NULL, at TEXT NOT NULL)",
  );
  const insert = db.prepare("INSERT INTO entries (name, message, at) VALUES (?, ?, ?)");
  const select = db.prepare("SELECT name, message, at FROM entries ORDER BY id DESC LIMIT ?");
  return {
    kind: "sqlite",
    description,
    add: (entry) => void insert.run(entry.name, entry.message, entry.at),
    latest: (limit) => select.all(limit).map(asEntry),
  };
}

function memoryStore(description: string): Store {
  const entries: Entry[] = [];
  return {
    kind: "memory",
    description,
    add: (entry) => void entries.push(entry),
    latest: (limit) => entries.slice(-limit).reverse(),
  };
}

function asEntry(row: unknown): Entry {
  const { name, message, at } = row as Record<string, unknown>;
  return { name: String(name), message: String(message), at: String(at) };
}

/** "Node v20.20.2" where `process` says so, else a neutral name. */
function runtimeName(): string {
  const version = (globalThis as { process?: { version?: unknown } }).process?.version;
  return typeof version === "string" ? `Node ${version}` : "this runtime";
}
