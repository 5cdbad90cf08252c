import type { ListingEntry, ListingFeatures, ListingSort, SortKey } from "./entry.ts";
import { escapeHtml, segmentHref } from "./html-escape.ts";
import {
  ACTIONS_HEADER,
  CONTROLS_STYLE,
  deleteCell,
  SCRIPT_ELEMENT,
  scripted,
  STATUS_LINE,
  UPLOAD_FORM,
} from "./controls.ts";

/**
 * An entry's link, relative to its folder: one percent-encoded path segment (RFC 3986 §3.3), so
 * `#`, `?`, `%`, `:` and spaces stay part of the name; folders end in "/".
 */
export function entryHref(entry: ListingEntry): string {
  return segmentHref(entry.name) + (entry.kind === "directory" ? "/" : "");
}

/** The folder's path as a reader sees it (decoded): "/" or "/docs/a b/". */
export function folderPath(segments: readonly string[]): string {
  return segments.length === 0 ? "/" : `/${segments.join("/")}/`;
}

/** Sizes in binary units, one decimal: "512 B", "1.2 KiB", "3.0 MiB". */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "?";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] as const;
  let value = bytes / 1024;
  let unit = 0;
  // 1023.95 would print as "1024.0": move to the next unit instead.
  while (value >= 1023.95 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Milliseconds as ISO 8601 UTC, or null when no date has them (toISOString would throw). */
export function isoTime(ms: number): string | null {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : null;
}

const STYLE = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.4}
body{margin:0;padding:1rem}
main{max-width:60rem;margin:0 auto}
h1{font-size:1.25rem;font-weight:600;margin:0 0 1rem;white-space:pre-wrap;overflow-wrap:anywhere}
h1 a{text-decoration:none}
a{color:#0a58ca}
@media (prefers-color-scheme:dark){a{color:#6cb6ff}}
table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}
th,td{padding:.35rem .5rem;text-align:left;vertical-align:top}
th{border-bottom:2px solid #8886;white-space:nowrap;font-weight:600}
td{border-bottom:1px solid #8883}
tbody tr:hover{background:#8881}
.name{width:100%;white-space:pre-wrap;overflow-wrap:anywhere}
.size,.time{white-space:nowrap}
.size{text-align:right}
.empty,footer{color:#888}
.downloads{margin:1rem 0 0}
footer{margin-top:1rem;font-size:.875rem}
@media (max-width:36rem){body{padding:.5rem}th,td{padding:.3rem .25rem}.time{font-size:.8125rem}}
`.trim();

const COLUMNS: ReadonlyArray<readonly [SortKey, string, string]> = [
  ["name", "Name", "name"],
  ["size", "Size", "size"],
  ["time", "Modified (UTC)", "time"],
];

/** A column header: a link that sorts by it, ascending, or the other way for the active column. */
function header(key: SortKey, label: string, cls: string, sort: ListingSort): string {
  const active = sort.key === key;
  const next = active && sort.order === "asc" ? "desc" : "asc";
  const ariaSort = active ? ` aria-sort="${sort.order === "asc" ? "ascending" : "descending"}"` : "";
  const arrow = active ? ` <span aria-hidden="true">${sort.order === "asc" ? "\u25B2" : "\u25BC"}</span>` : "";
  return `<th scope="col" class="${cls}"${ariaSort}><a href="?sort=${key}&amp;order=${next}">${label}</a>${arrow}</th>`;
}

/**
 * "Index of " and a link to each folder from the root down to this one. The links are relative
 * ("../../" for the root two folders up), so they stay under any prefix a proxy removed; the
 * root shows the prefix the site is served under, when it is known.
 */
function breadcrumbs(segments: readonly string[], prefix: string): string {
  const up = (levels: number): string => (levels === 0 ? "./" : "../".repeat(levels));
  let html = `<a href="${up(segments.length)}"${segments.length === 0 ? ' aria-current="page"' : ""}>${
    escapeHtml(prefix)
  }/</a>`;
  segments.forEach((segment, i) => {
    const current = i === segments.length - 1 ? ' aria-current="page"' : "";
    html += `<a href="${up(segments.length - 1 - i)}"${current}>${escapeHtml(segment)}/</a>`;
  });
  return html;
}

function row(entry: ListingEntry, allowDelete: boolean): string {
  const isDir = entry.kind === "directory";
  const name = `<td class="name"><a href="${escapeHtml(entryHref(entry))}">${escapeHtml(entry.name)}${
    isDir ? "/" : ""
  }</a></td>`;
  const size = isDir
    ? `<td class="size">\u2014</td>`
    : `<td class="size" title="${escapeHtml(String(entry.size))} bytes">${formatSize(entry.size)}</td>`;
  const iso = isoTime(entry.mtimeMs);
  const time = iso === null
    ? `<td class="time">\u2014</td>`
    : `<td class="time"><time datetime="${iso}">${iso.slice(0, 16).replace("T", " ")}</time></td>`;
  return `<tr>${name}${size}${time}${allowDelete ? deleteCell(entry) : ""}</tr>\n`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The folder's archives (--archives): relative links, so they stay under any prefix. */
const DOWNLOADS = `<p class="downloads">Download this folder: <a href="?download=zip" download>zip</a> \u00B7 ` +
  `<a href="?download=tar.gz" download>tar.gz</a> \u00B7 <a href="?download=tar" download>tar</a></p>\n`;

/** The table's header row: the sortable columns, and the buttons' column with --allow-delete. */
function headerRow(sort: ListingSort, allowDelete: boolean): string {
  const columns = COLUMNS.map(([key, label, cls]) => header(key, label, cls, sort)).join("");
  return `<tr>${columns}${allowDelete ? ACTIONS_HEADER : ""}</tr>`;
}

/** The rows: "../" below the root, each entry, or a line saying the folder is empty. */
function bodyRows(segments: readonly string[], entries: readonly ListingEntry[], allowDelete: boolean): string {
  const extra = allowDelete ? `<td class="actions"></td>` : "";
  let rows = segments.length === 0
    ? ""
    : `<tr><td class="name"><a href="../">../</a></td><td class="size"></td><td class="time"></td>${extra}</tr>\n`;
  for (const entry of entries) rows += row(entry, allowDelete);
  if (entries.length === 0) {
    rows += `<tr><td class="empty" colspan="${allowDelete ? 4 : 3}">This folder is empty.</td></tr>\n`;
  }
  return rows;
}

/**
 * The whole page: self-contained (inline CSS, nothing fetched), entries already sorted. It has no
 * script unless it writes (--upload, --allow-delete: controls.ts); with no feature on, its bytes
 * are those of a plain listing.
 */
export function listingHtml(
  segments: readonly string[],
  entries: readonly ListingEntry[],
  sort: ListingSort,
  prefix = "",
  features: ListingFeatures = {},
): string {
  const title = escapeHtml(`Index of ${prefix}${folderPath(segments)}`);
  const folders = entries.filter((e) => e.kind === "directory").length;
  const allowDelete = features.allowDelete === true;
  const withScript = scripted(features);
  const style = withScript ? `${STYLE}\n${CONTROLS_STYLE}` : STYLE;
  const controls = (features.upload === true ? UPLOAD_FORM : "") + (withScript ? STATUS_LINE : "");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${style}</style>
</head>
<body>
<main>
<h1>Index of ${breadcrumbs(segments, prefix)}</h1>
${controls}<table>
<thead>${headerRow(sort, allowDelete)}</thead>
<tbody>
${bodyRows(segments, entries, allowDelete)}</tbody>
</table>
${features.archives === true ? DOWNLOADS : ""}<footer>${count(folders, "folder", "folders")}, ${
    count(entries.length - folders, "file", "files")
  } \u00B7 sundial</footer>
</main>
${withScript ? SCRIPT_ELEMENT : ""}</body>
</html>
`;
}
