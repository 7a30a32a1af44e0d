// Node half of scripts/backup.sh: asks the H2-backed mongo-launcher for an online backup of its whole
// store (admin command pitlaneBackup: a forced commit, then H2's online copy of the file) and writes a
// manifest next to it: every database and collection with its document count, as read just after.
//
//   node scripts/lib/mongo-backup.mjs <MONGO_URL> </abs/path/backup.zip>
import { writeFileSync } from 'node:fs';

import { MongoClient } from 'mongodb';

const [url, to] = process.argv.slice(2);
if (!url || !to) {
  console.error('usage: mongo-backup.mjs MONGO_URL /abs/path/backup.zip');
  process.exit(2);
}
const client = await new MongoClient(url, { serverSelectionTimeoutMS: 10_000 }).connect();
try {
  let result;
  try {
    result = await client.db('admin').command({ pitlaneBackup: 1, to });
  } catch (error) {
    console.error(`backup: the server at ${url.replace(/\/\/[^@/]*@/, '//***@')} refused pitlaneBackup (${error.message}).`);
    console.error('backup: it needs the H2-backed mongo-launcher (npm run stack, or PITLANE_MONGO_BACKEND=h2 npm run infra:up);');
    console.error('backup: the memory backend keeps nothing on disk, and a real MongoDB is backed up with mongodump.');
    process.exit(1);
  }
  const databases = {};
  for (const { name } of (await client.db('admin').admin().listDatabases()).databases) {
    const db = client.db(name);
    databases[name] = {};
    for (const { name: coll } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      databases[name][coll] = await db.collection(coll).countDocuments();
    }
  }
  const manifest = { createdAt: new Date().toISOString(), file: result.to, storeVersion: result.version, bytes: result.bytes, ms: result.ms, databases };
  writeFileSync(to.replace(/\.zip$/, '') + '.json', `${JSON.stringify(manifest, null, 2)}\n`);
  const names = Object.keys(databases).filter((n) => n !== 'admin');
  console.error(`backup: ${result.to} (${result.bytes} bytes, store version ${result.version}, ${result.ms} ms): ${names.length} databases: ${names.join(' ')}`);
  console.log(result.to);
} finally {
  await client.close();
}
