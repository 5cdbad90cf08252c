/**
 * The listing's writing controls: the upload form (--upload) and the delete buttons
 * (--allow-delete), their style, script and Content-Security-Policy. With neither flag, none of
 * this is in the page, which stays script-free.
 */
import type { ListingEntry, ListingFeatures } from "./entry.ts";
import { escapeHtml, segmentHref } from "./html-escape.ts";
import { LISTING_SCRIPT, LISTING_SCRIPT_HASH } from "./script.ts";

/** Whether the page carries the script (and the status line it writes to). */
export function scripted(features: ListingFeatures): boolean {
  return features.upload === true || features.allowDelete === true;
}

/**
 * The page's policy: it loads nothing, and runs no script but its own (by hash); it may post
 * its form and send its requests only to its own origin, and only when it has them.
 */
export function listingPolicy(features: ListingFeatures): string {
  const script = scripted(features) ? `; script-src '${LISTING_SCRIPT_HASH}'; connect-src 'self'` : "";
  const forms = features.upload === true ? "'self'" : "'none'";
  return `default-src 'none'; style-src 'unsafe-inline'${script}; base-uri 'none'; form-action ${forms}`;
}

export const CONTROLS_STYLE = `
.upload{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin:0 0 1rem;padding:.75rem;border:1px solid #8884;border-radius:.375rem}
.upload label{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}
.upload progress{flex:1 1 8rem}
.status{margin:0 0 1rem;white-space:pre-wrap;overflow-wrap:anywhere}
.status:empty{display:none}
.actions{white-space:nowrap;text-align:right}
`.trim();

/**
 * The upload form: a plain multipart form posted to the folder itself ("./", relative like the
 * listing's links, so it stays under any prefix), which works without the script; the script
 * sends the same fields with a progress bar.
 */
export const UPLOAD_FORM = `<form id="upload" class="upload" method="post" action="./" enctype="multipart/form-data">
<label>Files <input type="file" name="file" multiple></label>
<label>New folder <input type="text" name="folder" autocomplete="off" spellcheck="false"></label>
<button type="submit">Upload</button>
<progress hidden max="1" value="0"></progress>
</form>
`;

/** Where the script says how an upload or a delete went. */
export const STATUS_LINE = `<p id="status" class="status" role="status"></p>\n`;

export const SCRIPT_ELEMENT = `<script>${LISTING_SCRIPT}</script>\n`;

/** The header of the buttons' column. */
export const ACTIONS_HEADER = `<th scope="col" class="actions" aria-label="Actions"></th>`;

/**
 * An entry's delete button, hidden until the script shows it (a plain page cannot send DELETE).
 * It targets the name without a folder's trailing slash, which a DELETE refuses (409).
 */
export function deleteCell(entry: ListingEntry): string {
  const shown = entry.name + (entry.kind === "directory" ? "/" : "");
  return `<td class="actions"><button type="button" class="delete" hidden data-href="${
    escapeHtml(segmentHref(entry.name))
  }" data-name="${escapeHtml(shown)}">Delete</button></td>`;
}
