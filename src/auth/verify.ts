/** Whether a user and password match the table, in time that does not depend on where they differ. */
import { digest, type StoredUser, type UserTable } from "./credentials.ts";

/** Compared against when the user is unknown, so an unknown user costs what a wrong password does. */
const NOBODY: StoredUser = { algorithm: "SHA-256", digest: new Uint8Array(32) };

export async function verify(users: UserTable, user: string, password: string): Promise<boolean> {
  const stored = users.get(user);
  const given = await digest((stored ?? NOBODY).algorithm, password);
  const same = sameBytes(given, (stored ?? NOBODY).digest);
  return stored !== undefined && same;
}

/** Every byte compared, no early exit: the time says nothing of how many bytes matched. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}
