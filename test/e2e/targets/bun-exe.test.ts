import { TARGETS } from "../../support/server-process.ts";
import { defineSuite } from "../suite.ts";

defineSuite(TARGETS.find((t) => t.name === "bun-exe")!);
