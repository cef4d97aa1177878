/// A terminal colour: the terminal's default, one of the 16 ANSI colours, or one of 256.
public enum Color: Hashable, Sendable, CustomStringConvertible {
  case `default`
  case ansi(UInt8)  // 0…15
  case indexed(UInt8)  // 0…255

  public static let black = Color.ansi(0)
  public static let red = Color.ansi(1)
  public static let green = Color.ansi(2)
  public static let yellow = Color.ansi(3)
  public static let blue = Color.ansi(4)
  public static let magenta = Color.ansi(5)
  public static let cyan = Color.ansi(6)
  public static let white = Color.ansi(7)
  public static let brightBlack = Color.ansi(8)
  public static let brightWhite = Color.ansi(15)

  /// The colour number for curses (-1 for the default).
  public var number: Int {
    switch self {
    case .default: return -1
    case .ansi(let n): return Int(n)
    case .indexed(let n): return Int(n)
    }
  }

  public var description: String {
    switch self {
    case .default: return "default"
    case .ansi(let n):
      let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
      return n < 8 ? names[Int(n)] : "bright-" + names[Int(n) - 8]
    case .indexed(let n): return "c\(n)"
    }
  }
}

/// Text attributes.
public struct Attributes: OptionSet, Hashable, Sendable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  public static let bold = Attributes(rawValue: 1)
  public static let dim = Attributes(rawValue: 2)
  public static let reverse = Attributes(rawValue: 4)
  public static let underline = Attributes(rawValue: 8)
}

/// How a cell looks.
public struct Style: Hashable, Sendable, CustomStringConvertible {
  public var fg: Color
  public var bg: Color
  public var attributes: Attributes

  public init(fg: Color = .default, bg: Color = .default, _ attributes: Attributes = []) {
    self.fg = fg
    self.bg = bg
    self.attributes = attributes
  }

  public static let plain = Style()

  public func adding(_ a: Attributes) -> Style {
    var s = self
    s.attributes.formUnion(a)
    return s
  }

  /// `bold reverse fg=blue bg=default`: for snapshot legends.
  public var description: String {
    var parts: [String] = []
    if attributes.contains(.bold) { parts.append("bold") }
    if attributes.contains(.dim) { parts.append("dim") }
    if attributes.contains(.reverse) { parts.append("reverse") }
    if attributes.contains(.underline) { parts.append("underline") }
    if fg != .default { parts.append("fg=\(fg)") }
    if bg != .default { parts.append("bg=\(bg)") }
    return parts.isEmpty ? "plain" : parts.joined(separator: " ")
  }
}
