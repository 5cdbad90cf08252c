/** The Content-Type of the Prometheus text exposition format 0.0.4 (prometheus.io, "Exposition formats", Basic info). */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
