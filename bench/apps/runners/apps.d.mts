// The types of apps.mjs, for the TypeScript runners and the app bench (bench/apps/).
export type AppName = "hello" | "hono-json";
export interface FetchApp {
  readonly fetch: (request: Request) => Response | Promise<Response>;
}
export declare const APP_PATHS: Readonly<Record<AppName, string>>;
export declare function loadApp(name: string): Promise<FetchApp>;
export declare function appFromArgs(args: readonly string[]): Promise<{ app: FetchApp; port: number }>;
