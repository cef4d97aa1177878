/// One step of a path into a TOML document: a key, or an index into an array.
public enum PathSegment: Hashable, Sendable, CustomStringConvertible {
  case key(String)
  case index(Int)

  public var description: String {
    switch self {
    case .key(let k): return TOMLWriter.formatKey(k)
    case .index(let i): return "[\(i)]"
    }
  }
}

/// A place in a file: 1-based line and column (columns count Unicode scalars).
public struct SourcePosition: Hashable, Sendable {
  public var line: Int
  public var column: Int
  /// The order in which the scanner met the key, used to restore the file's key order.
  var order: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
    self.order = 0
  }

  init(line: Int, column: Int, order: Int) {
    self.line = line
    self.column = column
    self.order = order
  }
}

/// Where each key of a (valid) TOML document stands. TOMLKit tells where a parse error is, but not
/// where a parsed key came from; this scanner walks the text once and records the line and column
/// of every key, table header and array element, so that validation can say `file:line:col`.
public struct SourceMap: Sendable {
  private var positions: [[PathSegment]: SourcePosition] = [:]

  public init() {}

  /// The place of `path`, or of its longest prefix that has one.
  public func position(of path: [PathSegment]) -> SourcePosition? {
    var p = path[...]
    while true {
      if let found = positions[Array(p)] { return found }
      if p.isEmpty { return nil }
      p = p.dropLast()
    }
  }

  /// The place of exactly `path`, if the scanner saw it.
  public func exactPosition(of path: [PathSegment]) -> SourcePosition? { positions[path] }

  public init(scanning text: String) {
    var scanner = Scanner(Array(text.unicodeScalars))
    scanner.run()
    positions = scanner.positions
  }

  private struct Scanner {
    let s: [Unicode.Scalar]
    var i = 0
    var line = 1
    var lineStart = 0
    var order = 0
    var positions: [[PathSegment]: SourcePosition] = [:]
    var table: [PathSegment] = []
    /// For every array of tables (by its resolved path), the index of its last element.
    var arrayTables: [[PathSegment]: Int] = [:]

    init(_ s: [Unicode.Scalar]) { self.s = s }

    var atEnd: Bool { i >= s.count }
    var current: Unicode.Scalar? { i < s.count ? s[i] : nil }
    func peek(_ k: Int) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    mutating func advance() {
      if s[i] == "\n" {
        line += 1
        lineStart = i + 1
      }
      i += 1
    }

    func here() -> (Int, Int) { (line, i - lineStart + 1) }

    mutating func record(_ path: [PathSegment], at pos: (Int, Int)) {
      guard positions[path] == nil else { return }
      order += 1
      positions[path] = SourcePosition(line: pos.0, column: pos.1, order: order)
    }

    mutating func skipBlank() {
      while let c = current, c == " " || c == "\t" { advance() }
    }

    /// Skips spaces, newlines and comments (inside arrays).
    mutating func skipBlankLinesAndComments() {
      while let c = current {
        if c == " " || c == "\t" || c == "\n" || c == "\r" {
          advance()
        } else if c == "#" {
          skipToEndOfLine()
        } else {
          return
        }
      }
    }

    mutating func skipToEndOfLine() {
      while let c = current, c != "\n" { advance() }
    }

    mutating func run() {
      while !atEnd {
        skipBlankLinesAndComments()
        guard let c = current else { return }
        let start = here()
        if c == "[" {
          let isArray = peek(1) == "["
          advance()
          if isArray { advance() }
          skipBlank()
          let keys = parseKeyPath()
          skipBlank()
          while let c = current, c == "]" { advance() }
          table = resolveHeader(keys, isArray: isArray, at: start)
          skipToEndOfLine()
        } else {
          let keys = parseKeyPath()
          guard !keys.isEmpty else {
            skipToEndOfLine()
            continue
          }
          var path = table
          for k in keys {
            path.append(.key(k))
            record(path, at: start)
          }
          skipBlank()
          if current == "=" { advance() }
          skipBlank()
          parseValue(at: path)
          skipToEndOfLine()
        }
      }
    }

    /// Turns a header's keys into a resolved path, inserting the current index of every array of
    /// tables it passes through.
    mutating func resolveHeader(_ keys: [String], isArray: Bool, at pos: (Int, Int)) -> [PathSegment] {
      var path: [PathSegment] = []
      for (n, k) in keys.enumerated() {
        path.append(.key(k))
        let last = n == keys.count - 1
        if last && isArray {
          let index = (arrayTables[path] ?? -1) + 1
          arrayTables[path] = index
          record(path, at: pos)
          path.append(.index(index))
        } else if let index = arrayTables[path] {
          path.append(.index(index))
        }
        record(path, at: pos)
      }
      return path
    }

    mutating func parseKeyPath() -> [String] {
      var keys: [String] = []
      while let c = current {
        if c == "\"" {
          keys.append(parseBasicString())
        } else if c == "'" {
          keys.append(parseLiteralString())
        } else if isBare(c) {
          var k = ""
          while let c = current, isBare(c) {
            k.unicodeScalars.append(c)
            advance()
          }
          keys.append(k)
        } else {
          break
        }
        skipBlank()
        if current == "." {
          advance()
          skipBlank()
        } else {
          break
        }
      }
      return keys
    }

    func isBare(_ c: Unicode.Scalar) -> Bool {
      (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "_" || c == "-"
    }

    mutating func parseBasicString() -> String {
      advance()  // opening quote
      var out = ""
      while let c = current, c != "\"", c != "\n" {
        if c == "\\" {
          advance()
          guard let e = current else { break }
          advance()
          switch e {
          case "n": out += "\n"
          case "t": out += "\t"
          case "r": out += "\r"
          case "b": out += "\u{8}"
          case "f": out += "\u{C}"
          case "e": out += "\u{1B}"
          case "u", "U":
            let n = e == "u" ? 4 : 8
            var hex = ""
            for _ in 0..<n {
              guard let h = current else { break }
              hex.unicodeScalars.append(h)
              advance()
            }
            if let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) { out.unicodeScalars.append(u) }
          default: out.unicodeScalars.append(e)
          }
        } else {
          out.unicodeScalars.append(c)
          advance()
        }
      }
      if current == "\"" { advance() }
      return out
    }

    mutating func parseLiteralString() -> String {
      advance()
      var out = ""
      while let c = current, c != "'", c != "\n" {
        out.unicodeScalars.append(c)
        advance()
      }
      if current == "'" { advance() }
      return out
    }

    mutating func skipMultiline(_ quote: Unicode.Scalar, escapes: Bool) {
      for _ in 0..<3 { advance() }
      while let c = current {
        if escapes && c == "\\" {
          advance()
          if !atEnd { advance() }
        } else if c == quote && peek(1) == quote && peek(2) == quote {
          for _ in 0..<3 { advance() }
          // Up to two more quotes may belong to the content.
          var extra = 0
          while current == quote && extra < 2 {
            advance()
            extra += 1
          }
          return
        } else {
          advance()
        }
      }
    }

    mutating func parseValue(at path: [PathSegment]) {
      guard let c = current else { return }
      switch c {
      case "\"":
        if peek(1) == "\"" && peek(2) == "\"" {
          skipMultiline("\"", escapes: true)
        } else {
          _ = parseBasicString()
        }
      case "'":
        if peek(1) == "'" && peek(2) == "'" {
          skipMultiline("'", escapes: false)
        } else {
          _ = parseLiteralString()
        }
      case "[":
        advance()
        var index = 0
        while true {
          skipBlankLinesAndComments()
          guard let c = current else { return }
          if c == "]" {
            advance()
            return
          }
          if c == "," {
            advance()
            index += 1
            continue
          }
          let element = path + [.index(index)]
          record(element, at: here())
          let before = i
          parseValue(at: element)
          if i == before { advance() }  // never stall on text the scanner does not understand
        }
      case "{":
        advance()
        while true {
          skipBlank()
          guard let c = current else { return }
          if c == "}" {
            advance()
            return
          }
          if c == "," || c == "\n" {
            advance()
            continue
          }
          let start = here()
          let keys = parseKeyPath()
          if keys.isEmpty {
            advance()
            continue
          }
          var inner = path
          for k in keys {
            inner.append(.key(k))
            record(inner, at: start)
          }
          skipBlank()
          if current == "=" { advance() }
          skipBlank()
          parseValue(at: inner)
        }
      default:
        while let c = current, c != ",", c != "]", c != "}", c != "\n", c != "#" { advance() }
      }
    }
  }
}
