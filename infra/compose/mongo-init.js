// Runs once, on MongoDB's first start: a database and a user of its own for each service.
for (const service of ["organisations", "members", "evaluations"]) {
  const database = db.getSiblingDB(`partyorg_${service}`);
  database.createUser({
    user: service,
    pwd: process.env[`${service.toUpperCase()}_DB_PASSWORD`],
    roles: [{ role: "readWrite", db: `partyorg_${service}` }],
  });
}
