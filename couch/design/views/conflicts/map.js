/* Documents with unresolved conflicts: the merge tooling and reports look for them here. */
module.exports = function (doc) {
  if (doc._conflicts) {
    emit(doc._conflicts.length, doc._conflicts);
  }
};
