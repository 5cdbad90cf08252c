// The types of layers.mjs, for the TypeScript runners and bench/apps/servers.ts.
export type Layer = "constant" | "constant-async" | "app-unread";
export declare const LAYERS: readonly Layer[];
export declare function startLayer(lib: unknown, layer: string, port: number): Promise<void>;
export declare function layerFromArgs(args: readonly string[]): { layer: string; port: number };
