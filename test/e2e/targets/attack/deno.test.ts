import { TARGETS } from "../../../support/server-process.ts";
import { defineAttackSuite } from "../../attack-suite.ts";

defineAttackSuite(TARGETS.find((t) => t.name === "deno")!);
