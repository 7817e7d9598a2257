/*
 * validate_doc_update for every product database. CouchDB (SpiderMonkey, ES5) and the embedded
 * store both run it on every write, replication included; it holds the rules that do not
 * depend on who writes: the document belongs to the database's organization, carries its
 * required fields, and never changes its immutable ones. Role rules live in the gateway.
 * RULES is filled in per database by the provisioner: {orgId, required, immutable}. Written as
 * a CommonJS export so the file is a valid script, linted and formatted like the rest; the
 * provisioner stores only the function. The user and security arguments CouchDB also passes are
 * not needed here.
 */
module.exports = function (newDoc, oldDoc) {
  var RULES = __RULES__;
  if (newDoc._id.indexOf('_design/') === 0) return;
  if (newDoc._deleted) return;
  if (RULES.orgId && newDoc.orgId !== RULES.orgId) {
    throw { forbidden: 'orgId must be "' + RULES.orgId + '" in this database' };
  }
  for (var i = 0; i < RULES.required.length; i++) {
    var f = RULES.required[i];
    if (newDoc[f] === undefined || newDoc[f] === null) {
      throw { forbidden: 'missing required field: ' + f };
    }
  }
  if (oldDoc && !oldDoc._deleted) {
    for (var j = 0; j < RULES.immutable.length; j++) {
      var k = RULES.immutable[j];
      if (oldDoc[k] !== undefined && JSON.stringify(oldDoc[k]) !== JSON.stringify(newDoc[k])) {
        throw { forbidden: 'field cannot change: ' + k };
      }
    }
  }
};
