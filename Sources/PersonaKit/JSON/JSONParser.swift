/// A JSON syntax error with its place (1-based line and column).
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public var line: Int
  public var column: Int
  public var description: String { "line \(line), column \(column): \(message)" }
}

/// A strict JSON parser (RFC 8259) that says where an error is.
public struct JSONParser {
  private let s: [Unicode.Scalar]
  private var i = 0
  private var line = 1
  private var lineStart = 0
  private var depth = 0

  public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
    var p = JSONParser(s: Array(text.unicodeScalars))
    p.skipSpace()
    let value = try p.value()
    p.skipSpace()
    if p.i < p.s.count { throw p.error("unexpected \(p.describeCurrent()) after the value") }
    return value
  }

  private init(s: [Unicode.Scalar]) { self.s = s }

  private func error(_ message: String) -> JSONSyntaxError {
    JSONSyntaxError(message: message, line: line, column: i - lineStart + 1)
  }

  private func describeCurrent() -> String {
    guard i < s.count else { return "end of text" }
    let c = s[i]
    return TerminalSafe.isUnsafe(c) ? "character U+\(String(format4: c.value))" : "'\(c)'"
  }

  private mutating func skipSpace() {
    while i < s.count, s[i] == " " || s[i] == "\t" || s[i] == "\n" || s[i] == "\r" {
      if s[i] == "\n" {
        line += 1
        lineStart = i + 1
      }
      i += 1
    }
  }

  private mutating func expect(_ word: String, _ v: JSONValue) throws(JSONSyntaxError) -> JSONValue {
    for c in word.unicodeScalars {
      guard i < s.count, s[i] == c else { throw error("expected '\(word)'") }
      i += 1
    }
    return v
  }

  private mutating func value() throws(JSONSyntaxError) -> JSONValue {
    guard i < s.count else { throw error("unexpected end of text: expected a value") }
    switch s[i] {
    case "{": return try object()
    case "[": return try array()
    case "\"": return .string(try string())
    case "t": return try expect("true", .bool(true))
    case "f": return try expect("false", .bool(false))
    case "n": return try expect("null", .null)
    case "-", "0"..."9": return try number()
    default: throw error("unexpected \(describeCurrent()): expected a value")
    }
  }

  private mutating func object() throws(JSONSyntaxError) -> JSONValue {
    depth += 1
    defer { depth -= 1 }
    if depth > 512 { throw error("nesting is too deep") }
    i += 1
    var pairs: [(String, JSONValue)] = []
    skipSpace()
    if i < s.count, s[i] == "}" {
      i += 1
      return .object(pairs)
    }
    while true {
      skipSpace()
      guard i < s.count, s[i] == "\"" else {
        throw error("expected a key in double quotes, found \(describeCurrent())")
      }
      let key = try string()
      skipSpace()
      guard i < s.count, s[i] == ":" else { throw error("expected ':' after the key, found \(describeCurrent())") }
      i += 1
      skipSpace()
      pairs.append((key, try value()))
      skipSpace()
      guard i < s.count else { throw error("unexpected end of text: expected ',' or '}'") }
      if s[i] == "," {
        i += 1
        continue
      }
      if s[i] == "}" {
        i += 1
        return .object(pairs)
      }
      throw error("expected ',' or '}', found \(describeCurrent())")
    }
  }

  private mutating func array() throws(JSONSyntaxError) -> JSONValue {
    depth += 1
    defer { depth -= 1 }
    if depth > 512 { throw error("nesting is too deep") }
    i += 1
    var items: [JSONValue] = []
    skipSpace()
    if i < s.count, s[i] == "]" {
      i += 1
      return .array(items)
    }
    while true {
      skipSpace()
      items.append(try value())
      skipSpace()
      guard i < s.count else { throw error("unexpected end of text: expected ',' or ']'") }
      if s[i] == "," {
        i += 1
        continue
      }
      if s[i] == "]" {
        i += 1
        return .array(items)
      }
      throw error("expected ',' or ']', found \(describeCurrent())")
    }
  }

  private mutating func string() throws(JSONSyntaxError) -> String {
    i += 1
    var out = String.UnicodeScalarView()
    while true {
      guard i < s.count else { throw error("unterminated string") }
      let c = s[i]
      if c == "\"" {
        i += 1
        return String(out)
      }
      if c.value < 0x20 { throw error("control character U+\(String(format4: c.value)) in a string: escape it") }
      if c == "\\" {
        i += 1
        guard i < s.count else { throw error("unterminated string") }
        let e = s[i]
        i += 1
        switch e {
        case "\"": out.append("\"")
        case "\\": out.append("\\")
        case "/": out.append("/")
        case "b": out.append("\u{8}")
        case "f": out.append("\u{C}")
        case "n": out.append("\n")
        case "r": out.append("\r")
        case "t": out.append("\t")
        case "u":
          var v = try hex4()
          if (0xD800...0xDBFF).contains(v), i + 1 < s.count, s[i] == "\\", s[i + 1] == "u" {
            i += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid surrogate pair") }
            v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
          }
          out.append(Unicode.Scalar(v) ?? "\u{FFFD}")
        default:
          i -= 1
          throw error("invalid escape '\\\(e)'")
        }
      } else {
        out.append(c)
        i += 1
      }
    }
  }

  private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
    guard i + 4 <= s.count else { throw error("expected four hex digits after \\u") }
    var text = ""
    for k in 0..<4 { text.unicodeScalars.append(s[i + k]) }
    guard let v = UInt32(text, radix: 16) else { throw error("expected four hex digits after \\u") }
    i += 4
    return v
  }

  private mutating func number() throws(JSONSyntaxError) -> JSONValue {
    let start = i
    if s[i] == "-" { i += 1 }
    guard i < s.count, ("0"..."9").contains(s[i]) else { throw error("expected a digit") }
    if s[i] == "0" {
      i += 1
      if i < s.count, ("0"..."9").contains(s[i]) { throw error("leading zeros are not allowed") }
    } else {
      while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
    }
    if i < s.count, s[i] == "." {
      i += 1
      guard i < s.count, ("0"..."9").contains(s[i]) else { throw error("expected a digit after '.'") }
      while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
    }
    if i < s.count, s[i] == "e" || s[i] == "E" {
      i += 1
      if i < s.count, s[i] == "+" || s[i] == "-" { i += 1 }
      guard i < s.count, ("0"..."9").contains(s[i]) else { throw error("expected a digit in the exponent") }
      while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
    }
    var text = ""
    for k in start..<i { text.unicodeScalars.append(s[k]) }
    return .number(Double(text) ?? 0)
  }
}
