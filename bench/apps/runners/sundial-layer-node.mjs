// One layer of sundial's fetch path (layers.mjs) on Node, from the library build (dist/lib/node.js).
// Usage: node sundial-layer-node.mjs LAYER PORT
import * as lib from "../../../dist/lib/node.js";
import { layerFromArgs, startLayer } from "./layers.mjs";

const { layer, port } = layerFromArgs(process.argv.slice(2));
await startLayer(lib, layer, port);
