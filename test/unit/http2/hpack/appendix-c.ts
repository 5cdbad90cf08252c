/**
 * RFC 7541 Appendix C's examples as data (transcribed from the RFC): each field list, its header
 * block in hex, and the dynamic table after it (newest entry first) with the table's size.
 */
export interface Example {
  readonly fields: ReadonlyArray<readonly [name: string, value: string]>;
  readonly hex: string;
  readonly table: ReadonlyArray<readonly [name: string, value: string]>;
  readonly tableSize: number;
}

/** C.2: one field in each representation (each from an empty table of 4096). */
export const C2_REPRESENTATIONS: readonly Example[] = [
  {
    fields: [
      ["custom-key", "custom-header"],
    ],
    hex: "400a637573746f6d2d6b65790d637573746f6d2d686561646572",
    table: [
      ["custom-key", "custom-header"],
    ],
    tableSize: 55,
  },
  {
    fields: [
      [":path", "/sample/path"],
    ],
    hex: "040c2f73616d706c652f70617468",
    table: [],
    tableSize: 0,
  },
  {
    fields: [
      ["password", "secret"],
    ],
    hex: "100870617373776f726406736563726574",
    table: [],
    tableSize: 0,
  },
  {
    fields: [
      [":method", "GET"],
    ],
    hex: "82",
    table: [],
    tableSize: 0,
  },
];

/** C.3: three requests on one connection, no Huffman coding (table of 4096). */
export const C3_REQUESTS: readonly Example[] = [
  {
    fields: [
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
    ],
    hex: "828684410f7777772e6578616d706c652e636f6d",
    table: [
      [":authority", "www.example.com"],
    ],
    tableSize: 57,
  },
  {
    fields: [
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
      ["cache-control", "no-cache"],
    ],
    hex: "828684be58086e6f2d6361636865",
    table: [
      ["cache-control", "no-cache"],
      [":authority", "www.example.com"],
    ],
    tableSize: 110,
  },
  {
    fields: [
      [":method", "GET"],
      [":scheme", "https"],
      [":path", "/index.html"],
      [":authority", "www.example.com"],
      ["custom-key", "custom-value"],
    ],
    hex: "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565",
    table: [
      ["custom-key", "custom-value"],
      ["cache-control", "no-cache"],
      [":authority", "www.example.com"],
    ],
    tableSize: 164,
  },
];

/** C.4: the same requests, Huffman-coded. */
export const C4_REQUESTS: readonly Example[] = [
  {
    fields: [
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
    ],
    hex: "828684418cf1e3c2e5f23a6ba0ab90f4ff",
    table: [
      [":authority", "www.example.com"],
    ],
    tableSize: 57,
  },
  {
    fields: [
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
      ["cache-control", "no-cache"],
    ],
    hex: "828684be5886a8eb10649cbf",
    table: [
      ["cache-control", "no-cache"],
      [":authority", "www.example.com"],
    ],
    tableSize: 110,
  },
  {
    fields: [
      [":method", "GET"],
      [":scheme", "https"],
      [":path", "/index.html"],
      [":authority", "www.example.com"],
      ["custom-key", "custom-value"],
    ],
    hex: "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf",
    table: [
      ["custom-key", "custom-value"],
      ["cache-control", "no-cache"],
      [":authority", "www.example.com"],
    ],
    tableSize: 164,
  },
];

/** C.5: three responses on one connection with a table of 256 octets (evictions), no Huffman coding. */
export const C5_RESPONSES: readonly Example[] = [
  {
    fields: [
      [":status", "302"],
      ["cache-control", "private"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["location", "https://www.example.com"],
    ],
    hex: "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768" +
      "747470733a2f2f7777772e6578616d706c652e636f6d",
    table: [
      ["location", "https://www.example.com"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["cache-control", "private"],
      [":status", "302"],
    ],
    tableSize: 222,
  },
  {
    fields: [
      [":status", "307"],
      ["cache-control", "private"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["location", "https://www.example.com"],
    ],
    hex: "4803333037c1c0bf",
    table: [
      [":status", "307"],
      ["location", "https://www.example.com"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["cache-control", "private"],
    ],
    tableSize: 222,
  },
  {
    fields: [
      [":status", "200"],
      ["cache-control", "private"],
      ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
      ["location", "https://www.example.com"],
      ["content-encoding", "gzip"],
      ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"],
    ],
    hex: "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69707738666f6f3d4153" +
      "444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b2076657273696f6e" +
      "3d31",
    table: [
      ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"],
      ["content-encoding", "gzip"],
      ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
    ],
    tableSize: 215,
  },
];

/** C.6: the same responses, Huffman-coded. */
export const C6_RESPONSES: readonly Example[] = [
  {
    fields: [
      [":status", "302"],
      ["cache-control", "private"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["location", "https://www.example.com"],
    ],
    hex: "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8" +
      "e9ae82ae43d3",
    table: [
      ["location", "https://www.example.com"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["cache-control", "private"],
      [":status", "302"],
    ],
    tableSize: 222,
  },
  {
    fields: [
      [":status", "307"],
      ["cache-control", "private"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["location", "https://www.example.com"],
    ],
    hex: "4883640effc1c0bf",
    table: [
      [":status", "307"],
      ["location", "https://www.example.com"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["cache-control", "private"],
    ],
    tableSize: 222,
  },
  {
    fields: [
      [":status", "200"],
      ["cache-control", "private"],
      ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
      ["location", "https://www.example.com"],
      ["content-encoding", "gzip"],
      ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"],
    ],
    hex: "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b" +
      "3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007",
    table: [
      ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"],
      ["content-encoding", "gzip"],
      ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
    ],
    tableSize: 215,
  },
];
