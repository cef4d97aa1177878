extension StringProtocol {
  /// The text without the spaces and tabs at its ends (what Foundation's
  /// `trimmingCharacters(in: .whitespaces)` does: tab, Unicode category Zs and the zero width
  /// space U+200B), without Foundation: names are checked once per entry on load, 10,000 of them
  /// at scale. `WithoutFoundationTests` compares the two.
  public var trimmingSpaces: SubSequence {
    trimming { $0 == "\t" || $0 == "\u{200B}" || $0.properties.generalCategory == .spaceSeparator }
  }

  /// The text without white space and line ends at its ends (what Foundation's
  /// `trimmingCharacters(in: .whitespacesAndNewlines)` does: tab, U+000A–U+000D, U+0085, U+200B
  /// and the Unicode separators Zs, Zl, Zp).
  public var trimmingWhitespaceAndNewlines: SubSequence {
    trimming { u in
      switch u.value {
      case 0x09...0x0D, 0x85, 0x200B: return true
      default:
        switch u.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
      }
    }
  }

  /// The text without the scalars at its ends for which `isSpace` holds.
  private func trimming(_ isSpace: (Unicode.Scalar) -> Bool) -> SubSequence {
    let scalars = unicodeScalars
    var start = scalars.startIndex
    var end = scalars.endIndex
    while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
    while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
    return self[start..<end]
  }
}

extension Int {
  /// The integer nearest to `d`, or nil when `d` is not finite or lies beyond `Int`'s range: a
  /// number read from a file, a log or a field must never reach `Int(_: Double)`, which traps there.
  public init?(rounding d: Double) {
    guard let i = Int(exactly: d.rounded()) else { return nil }
    self = i
  }
}
