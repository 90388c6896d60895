// Runs on every `docker compose up` (the `mongodb-replica-set` job), before the services:
// on MongoDB's first start it makes the replica set rs0 of one member, `mongodb:27017`; then it
// waits until that member is primary, so that the services find a primary when they start.
// A three-node set is made once by hand (README, "MongoDB as a replica set"): this job then
// finds rs0 made and only waits for its primary.
//
// The root password is read from the environment here, never put on a command line.
const password = encodeURIComponent(process.env.MONGO_ROOT_PASSWORD);
const admin = connect(`mongodb://root:${password}@mongodb:27017/admin?directConnection=true`);

const NOT_YET_INITIALIZED = 94;
try {
  admin.adminCommand({ replSetGetStatus: 1 });
} catch (error) {
  if (error.code !== NOT_YET_INITIALIZED) throw error;
  admin.adminCommand({
    replSetInitiate: { _id: "rs0", members: [{ _id: 0, host: "mongodb:27017" }] },
  });
  print("rs0 made, with mongodb:27017");
}

const deadline = Date.now() + 60_000;
while (!admin.adminCommand({ hello: 1 }).isWritablePrimary) {
  if (Date.now() > deadline) throw new Error("rs0 has no primary after 60 s");
  sleep(1000);
}
print(`rs0 primary: ${admin.adminCommand({ hello: 1 }).primary}`);
