// Outside check that a file is valid MCAP, using Foxglove's reference TypeScript reader.
// Usage: node check.mjs <file.mcap>
// Prints one JSON object on stdout; exits 0 when every check passed, 1 otherwise.
//
// Checks: magics, footer and summary CRC (McapIndexedReader.Initialize); every message read
// through the chunk and message indexes with chunk CRCs validated (readMessages); log times in
// order; the data section CRC from the Data End record; a second, linear pass with the stream
// reader that must see the same messages; the Statistics record agrees with what was read.
import { open, readFile } from "node:fs/promises";
import { McapIndexedReader, McapStreamReader } from "@mcap/core";
import { FileHandleReadable } from "@mcap/nodejs";
import { crc32 } from "@foxglove/crc";

const file = process.argv[2];
if (!file) {
  console.error("usage: node check.mjs <file.mcap>");
  process.exit(2);
}

function fail(message) {
  console.log(JSON.stringify({ ok: false, file, error: message }));
  process.exit(1);
}

async function indexedPass(handle) {
  const reader = await McapIndexedReader.Initialize({ readable: new FileHandleReadable(handle) });
  const topics = {};
  let messageCount = 0;
  let lastLogTime = -1n;
  for await (const message of reader.readMessages({ validateCrcs: true })) {
    if (message.logTime < lastLogTime) {
      fail(`indexed read went back in time at log time ${message.logTime}`);
    }
    lastLogTime = message.logTime;
    const channel = reader.channelsById.get(message.channelId);
    if (!channel) {
      fail(`message on unknown channel ${message.channelId}`);
    }
    topics[channel.topic] = (topics[channel.topic] ?? 0) + 1;
    messageCount++;
  }
  const metadata = [];
  for await (const record of reader.readMetadata()) {
    metadata.push(record.name);
  }
  const channels = [...reader.channelsById.values()].map((channel) => ({
    topic: channel.topic,
    schema: reader.schemasById.get(channel.schemaId)?.name ?? null,
    schemaEncoding: reader.schemasById.get(channel.schemaId)?.encoding ?? null,
    messageEncoding: channel.messageEncoding,
  }));
  return { reader, topics, messageCount, metadata, channels };
}

function streamPass(bytes) {
  const reader = new McapStreamReader({ validateCrcs: true });
  reader.append(bytes);
  let messageCount = 0;
  for (let record; (record = reader.nextRecord()); ) {
    if (record.type === "Message") {
      messageCount++;
    }
  }
  if (!reader.done()) {
    fail("the stream reader did not reach the end of a complete file");
  }
  return messageCount;
}

try {
  const handle = await open(file, "r");
  let indexed;
  try {
    indexed = await indexedPass(handle);
  } finally {
    await handle.close();
  }
  const { reader } = indexed;

  const bytes = await readFile(file);
  let dataSectionCrcChecked = false;
  if (reader.dataSectionCrc != undefined && reader.dataSectionCrc !== 0) {
    const computed = crc32(bytes.subarray(0, Number(reader.dataEndOffset)));
    if (computed !== reader.dataSectionCrc) {
      fail(`data section CRC mismatch: computed ${computed}, the file says ${reader.dataSectionCrc}`);
    }
    dataSectionCrcChecked = true;
  }

  const streamMessageCount = streamPass(bytes);
  if (streamMessageCount !== indexed.messageCount) {
    fail(`stream reader saw ${streamMessageCount} messages, indexed reader ${indexed.messageCount}`);
  }
  const statistics = reader.statistics;
  if (statistics && statistics.messageCount !== BigInt(indexed.messageCount)) {
    fail(`statistics say ${statistics.messageCount} messages, the indexed read found ${indexed.messageCount}`);
  }

  console.log(
    JSON.stringify({
      ok: true,
      file,
      profile: reader.header.profile,
      library: reader.header.library,
      messageCount: indexed.messageCount,
      topics: indexed.topics,
      schemas: [...new Set(indexed.channels.map((channel) => channel.schema).filter((name) => name))].sort(),
      channels: indexed.channels,
      metadata: indexed.metadata,
      chunkCount: reader.chunkIndexes.length,
      statisticsMessageCount: statistics ? Number(statistics.messageCount) : null,
      dataSectionCrcChecked,
      summaryCrcChecked: true,
      chunkCrcsChecked: true,
    }),
  );
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
