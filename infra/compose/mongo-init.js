// Runs once, on MongoDB's first start: for each service a database, a role allowed there only
// what the service does, and a user holding that role alone.
//
// Services find, insert, upsert and update documents and build their indexes (an index declared
// anew with other options replaces the old one: dropIndex); none deletes, drops a collection or
// renames anything, so the role has no remove, drop or rename. The personal-data
// access log (personal_data_access) is append-only: insert and find, never update. Every other
// collection a service writes is listed below; tests/unit/test_compose_matches_local.py fails
// when the code uses one that is not.
const UPDATED = {
  organisations: [
    "campaign_progress",
    "clock",
    "campaigns",
    "restructuring_campaigns",
    "restructuring_cases",
    "directives",
    "dissolution_cases",
    "inbox",
    "leases",
    "organisations",
  ],
  members: [
    "candidates",
    "clock",
    "dissolution_cases",
    "inbox",
    "known_organisations",
    "member_cells",
    "member_counts",
    "members",
    "name_bands",
    "outbox",
    "restructuring_hand_overs",
    "stamps",
    "transfers",
    "upgrades",
  ],
  evaluations: [
    "assessment_counts",
    "assignments",
    "clock",
    "evaluation_counts",
    "evaluations",
    "excellent_places",
    "host_feedback",
    "inbox",
    "known_organisations",
    "roster",
    "roster_counts",
    "roster_increments",
    "stamps",
    "supervision_feedback",
    "upgrades",
    "workplace_assessments",
  ],
};
const EVERYWHERE = [
  "find",
  "insert",
  "createIndex",
  "dropIndex",
  "createCollection",
  "listIndexes",
  "listCollections",
  "killCursors",
];

for (const [service, updated] of Object.entries(UPDATED)) {
  const name = `partyorg_${service}`;
  const database = db.getSiblingDB(name);
  database.createRole({
    role: "partyorg_service",
    privileges: [
      { resource: { db: name, collection: "" }, actions: EVERYWHERE },
      ...updated.map((collection) => ({
        resource: { db: name, collection },
        actions: ["update"],
      })),
    ],
    roles: [],
  });
  database.createUser({
    user: service,
    pwd: process.env[`${service.toUpperCase()}_DB_PASSWORD`],
    roles: [{ role: "partyorg_service", db: name }],
  });
}
