/// A key (or keys) and what it does, for the help overlay.
public struct KeyBinding: Sendable, Equatable {
  public var keys: [String]
  public var help: String

  public init(_ keys: [String], _ help: String) {
    self.keys = keys
    self.help = help
  }
}

/// The keys of one widget or screen, with help text.
public struct KeyMap: Sendable, Equatable {
  public var title: String
  public var bindings: [KeyBinding]

  public init(title: String, bindings: [KeyBinding]) {
    self.title = title
    self.bindings = bindings
  }

  /// Help lines: `  keys  help`, keys padded to a common width (at most 18 columns; longer keys
  /// get a line of their own with the help below them).
  public static func helpLines(_ maps: [KeyMap]) -> [String] {
    let widths = maps.flatMap(\.bindings).map { DisplayWidth.of($0.keys.joined(separator: " / ")) }
    let keyWidth = min(18, widths.max() ?? 0)
    var lines: [String] = []
    for (n, m) in maps.enumerated() {
      if n > 0 { lines.append("") }
      lines.append(m.title)
      for b in m.bindings {
        let k = b.keys.joined(separator: " / ")
        let w = DisplayWidth.of(k)
        if w > keyWidth {
          lines.append("  " + k)
          lines.append("  " + String(repeating: " ", count: keyWidth) + "  " + b.help)
        } else {
          lines.append("  " + k + String(repeating: " ", count: keyWidth - w) + "  " + b.help)
        }
      }
    }
    return lines
  }
}
