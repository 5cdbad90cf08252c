import { TARGETS } from "../../../support/server-process.ts";
import { defineTlsSuite } from "../../tls-suite.ts";

defineTlsSuite(TARGETS.find((t) => t.name === "node")!);
