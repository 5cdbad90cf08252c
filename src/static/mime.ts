/** Content types by file extension (IANA media types; RFC 9239 for JavaScript). */
const TYPES: Readonly<Record<string, string>> = {
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  js: "text/javascript",
  mjs: "text/javascript",
  cjs: "text/javascript",
  json: "application/json",
  map: "application/json",
  webmanifest: "application/manifest+json",
  xml: "application/xml",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  ico: "image/x-icon",
  bmp: "image/bmp",
  wasm: "application/wasm",
  pdf: "application/pdf",
  zip: "application/zip",
  gz: "application/gzip",
  tar: "application/x-tar",
  mp4: "video/mp4",
  webm: "video/webm",
  ogv: "video/ogg",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  wav: "audio/wav",
  flac: "audio/flac",
  woff: "font/woff",
  woff2: "font/woff2",
  ttf: "font/ttf",
  otf: "font/otf",
};

/** Types that are text and get `charset=utf-8`. */
const TEXT_LIKE = new Set(["application/json", "application/manifest+json", "application/xml", "image/svg+xml"]);

const cache = new Map<string, string>();

/** The Content-Type for a file name; application/octet-stream when unknown. */
export function contentTypeFor(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  const ext = dot < 0 ? "" : fileName.slice(dot + 1).toLowerCase();
  let type = cache.get(ext);
  if (type === undefined) {
    const base = TYPES[ext] ?? "application/octet-stream";
    type = base.startsWith("text/") || TEXT_LIKE.has(base) ? `${base}; charset=utf-8` : base;
    if (cache.size < 256) cache.set(ext, type);
  }
  return type;
}
