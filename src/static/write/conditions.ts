import type { RequestHead } from "../../http/parser/request-head.ts";
import type { FileInfo } from "../../ports/file-system.ts";
import { evaluatePreconditions, validatorsFor } from "../validators.ts";

/**
 * RFC 9110 §13.2.2 for a write: whether it may go ahead on the file as it is now (null: none).
 * With no file, If-Match fails (§13.1.1: no current representation) and If-None-Match passes;
 * with one, the validators decide, and a "not modified" is a failure for PUT and DELETE (§13.1.2).
 */
export function writeAllowed(head: RequestHead, current: FileInfo | null): boolean {
  if (current === null) return head.fields["if-match"] === undefined;
  return evaluatePreconditions(head, validatorsFor(current)) === "proceed";
}
