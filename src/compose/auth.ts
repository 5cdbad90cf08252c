/**
 * Authentication prepared: the users from --auth and --auth-file hashed into one table, which a
 * reload (SIGHUP, server.reloadAuth()) replaces when the file reads well and keeps otherwise.
 */
import { type Credential, parseCredentialFile, type UserTable, userTable } from "../auth/credentials.ts";
import { readTextFile } from "../io/read-text.ts";
import type { FileSystem } from "../ports/file-system.ts";
import type { AuthConfig, OptionNames } from "./config.ts";
import type { Reload } from "./reload.ts";

/** An auth file is a list of users, not a database. */
const MAX_AUTH_FILE_BYTES = 1024 * 1024;

export interface PreparedAuth {
  readonly config: AuthConfig;
  /** The users now. */
  users(): UserTable;
  /** The file read again; "unchanged" without one. */
  reload(): Promise<Reload>;
}

export async function prepareAuth(
  fs: FileSystem,
  config: AuthConfig,
  names: OptionNames,
): Promise<
  { readonly kind: "ok"; readonly auth: PreparedAuth } | { readonly kind: "failed"; readonly message: string }
> {
  const first = await readUsers(fs, config, names);
  if (first.kind === "failed") return first;
  let users = first.users;
  const auth: PreparedAuth = {
    config,
    users: () => users,
    reload: async () => {
      if (config.file === null) return { kind: "unchanged", message: `nothing to reload (no ${names.authFile})` };
      const read = await readUsers(fs, config, names);
      if (read.kind === "failed") return { kind: "failed", message: `${read.message}; still using the users before` };
      users = read.users;
      return {
        kind: "reloaded",
        message: `reloaded ${config.file} (${users.size} user${users.size === 1 ? "" : "s"})`,
      };
    },
  };
  return { kind: "ok", auth };
}

async function readUsers(
  fs: FileSystem,
  config: AuthConfig,
  names: OptionNames,
): Promise<{ readonly kind: "ok"; readonly users: UserTable } | { readonly kind: "failed"; readonly message: string }> {
  let credentials: readonly Credential[] = config.credentials;
  if (config.file !== null) {
    const read = await readTextFile(fs, config.file, MAX_AUTH_FILE_BYTES);
    if (read.kind === "failed") return { kind: "failed", message: `${names.authFile}: ${read.message}` };
    const parsed = parseCredentialFile(read.text, config.file);
    if (parsed.kind === "failed") return { kind: "failed", message: `${names.authFile}: ${parsed.message}` };
    // The file's users after the inline ones: a user in both takes the file's password.
    credentials = [...credentials, ...parsed.credentials];
  }
  return { kind: "ok", users: await userTable(credentials) };
}

/** Basic sends the password in clear: said at start when nothing encrypts the connection. */
export const CLEAR_TEXT_WARNING =
  "sundial: warning: authentication without TLS: passwords cross the network in clear text (use --tls-cert/--tls-key, --tls-self-signed, or a TLS proxy named by --trust-proxy)";
