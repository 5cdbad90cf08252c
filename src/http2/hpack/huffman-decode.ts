import { EOS, HUFFMAN_CODES } from "./huffman-codes.ts";

/** huffmanDecode(): the string holds the EOS symbol (§5.2: MUST be treated as a decoding error). */
export const HUFFMAN_EOS = -1;
/** huffmanDecode(): the padding is longer than 7 bits (§5.2: MUST be treated as a decoding error). */
export const HUFFMAN_PADDING_TOO_LONG = -2;
/** huffmanDecode(): the padding is not the EOS code's most significant bits, all 1s (§5.2). */
export const HUFFMAN_PADDING_NOT_ONES = -3;

/** A table entry's bits: the next state (bits 0-7), the symbol emitted (bits 8-15), and flags. */
const EMITS = 1 << 16;
/** After this nibble the bits read since the last symbol are valid padding: at most 7, all 1s. */
const ACCEPTS = 1 << 17;
/** This nibble completes EOS. */
const FAILS = 1 << 18;

/**
 * The code's tree (257 leaves, so 256 inner nodes, the root 0): for each inner node its two
 * children, an inner node's number or a leaf as -(symbol + 1); and each inner node's depth and
 * whether the path to it is all 1s (the only paths padding may take, §5.2).
 */
interface Tree {
  readonly zero: Int32Array;
  readonly one: Int32Array;
  readonly depth: Uint8Array;
  readonly allOnes: Uint8Array;
}

function buildTree(): Tree {
  const tree = {
    zero: new Int32Array(256),
    one: new Int32Array(256),
    depth: new Uint8Array(256),
    allOnes: new Uint8Array(256),
  };
  tree.allOnes[0] = 1;
  let nodes = 1;
  HUFFMAN_CODES.forEach(([code, bits], symbol) => {
    let node = 0;
    for (let k = bits - 1; k >= 0; k--) {
      const side = (code >>> k) & 1 ? tree.one : tree.zero;
      if (k === 0) {
        side[node] = -(symbol + 1);
      } else {
        if (side[node] === 0) {
          side[node] = nodes;
          tree.depth[nodes] = tree.depth[node]! + 1;
          tree.allOnes[nodes] = side === tree.one ? tree.allOnes[node]! : 0;
          nodes++;
        }
        node = side[node]!;
      }
    }
  });
  return tree;
}

/**
 * The decoder's state machine, read 4 bits at a time: entry (state << 4 | nibble) gives the state
 * after those 4 bits and the symbol they complete, if any (the shortest code has 5 bits, so at
 * most one). The state is the inner node reached since the last symbol; 16 entries a state.
 */
function buildTable(tree: Tree): Uint32Array {
  const table = new Uint32Array(256 * 16);
  for (let state = 0; state < 256; state++) {
    for (let nibble = 0; nibble < 16; nibble++) {
      table[(state << 4) | nibble] = step(tree, state, nibble);
    }
  }
  return table;
}

/** One table entry: walks the nibble's 4 bits down the tree from state. */
function step(tree: Tree, state: number, nibble: number): number {
  let node = state;
  let emitted = 0;
  for (let k = 3; k >= 0; k--) {
    const child = (nibble >> k) & 1 ? tree.one[node]! : tree.zero[node]!;
    if (child >= 0) {
      node = child;
      continue;
    }
    const symbol = -child - 1;
    if (symbol === EOS) return FAILS;
    emitted = EMITS | (symbol << 8);
    node = 0;
  }
  const accepts = tree.allOnes[node] === 1 && tree.depth[node]! <= 7 ? ACCEPTS : 0;
  return node | emitted | accepts;
}

const TREE = buildTree();
const TABLE = buildTable(TREE);

/** The most octets n Huffman-coded octets can decode to: the shortest code has 5 bits. */
export function huffmanDecodedBound(n: number): number {
  return Math.floor((n * 8) / 5);
}

/**
 * §5.2: decodes src[start, end) into out (room for huffmanDecodedBound(end - start) octets):
 * the number of octets decoded, or HUFFMAN_EOS, HUFFMAN_PADDING_TOO_LONG or
 * HUFFMAN_PADDING_NOT_ONES. Table-driven, a nibble a step; allocates nothing.
 */
export function huffmanDecode(src: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let state = 0;
  let accepts = true;
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = src[i]!;
    let entry = TABLE[(state << 4) | (b >> 4)]!;
    if ((entry & (EMITS | FAILS)) !== 0) {
      if ((entry & FAILS) !== 0) return HUFFMAN_EOS;
      out[n++] = (entry >> 8) & 0xff;
    }
    state = entry & 0xff;
    entry = TABLE[(state << 4) | (b & 0x0f)]!;
    if ((entry & (EMITS | FAILS)) !== 0) {
      if ((entry & FAILS) !== 0) return HUFFMAN_EOS;
      out[n++] = (entry >> 8) & 0xff;
    }
    state = entry & 0xff;
    accepts = (entry & ACCEPTS) !== 0;
  }
  return accepts ? n : paddingFailure(state);
}

/** Why the bits after the last symbol are not padding: too many 1s, or not all 1s (§5.2). */
function paddingFailure(state: number): number {
  return TREE.allOnes[state] === 1 ? HUFFMAN_PADDING_TOO_LONG : HUFFMAN_PADDING_NOT_ONES;
}
