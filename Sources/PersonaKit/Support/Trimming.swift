extension StringProtocol {
  /// The text without the spaces and tabs at its ends (what Foundation's
  /// `trimmingCharacters(in: .whitespaces)` does: tab and Unicode category Zs), without Foundation:
  /// names are checked once per entry on load, 10,000 of them at scale.
  public var trimmingSpaces: SubSequence {
    func isSpace(_ u: Unicode.Scalar) -> Bool { u == "\t" || u.properties.generalCategory == .spaceSeparator }
    let scalars = unicodeScalars
    var start = scalars.startIndex
    var end = scalars.endIndex
    while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
    while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
    return self[start..<end]
  }
}
