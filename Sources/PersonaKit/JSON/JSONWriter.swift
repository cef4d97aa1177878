/// Writes JSON. Every character a terminal could act on (C0 and C1 controls, DEL, bidi controls)
/// is written as a `\uXXXX` escape, so that printing the output can never inject a sequence.
///
/// Written into bytes: a dry run records each request as a string inside a log event (every quote
/// and newline of the request escaped), and appending to a `String` scalar by scalar was 60 % of a
/// dry run's time.
public enum JSONWriter {
  public static func write(_ value: JSONValue, pretty: Bool = true) -> String {
    String(decoding: bytes(value, pretty: pretty), as: UTF8.self)
  }

  /// The JSON text as UTF-8 bytes.
  public static func bytes(_ value: JSONValue, pretty: Bool = true) -> [UInt8] {
    var out: [UInt8] = []
    write(value, indent: pretty ? 0 : nil, into: &out)
    return out
  }

  private static func write(_ value: JSONValue, indent: Int?, into out: inout [UInt8]) {
    switch value {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let d): out.append(contentsOf: formatNumber(d).utf8)
    case .string(let s): writeString(s, into: &out)
    case .array(let a):
      if a.isEmpty {
        out.append(contentsOf: "[]".utf8)
        return
      }
      out.append(UInt8(ascii: "["))
      for (n, v) in a.enumerated() {
        if n > 0 { out.append(UInt8(ascii: ",")) }
        newline(indent.map { $0 + 1 }, into: &out)
        write(v, indent: indent.map { $0 + 1 }, into: &out)
      }
      newline(indent, into: &out)
      out.append(UInt8(ascii: "]"))
    case .object(let o):
      if o.isEmpty {
        out.append(contentsOf: "{}".utf8)
        return
      }
      out.append(UInt8(ascii: "{"))
      for (n, (k, v)) in o.enumerated() {
        if n > 0 { out.append(UInt8(ascii: ",")) }
        newline(indent.map { $0 + 1 }, into: &out)
        writeString(k, into: &out)
        out.append(UInt8(ascii: ":"))
        if indent != nil { out.append(UInt8(ascii: " ")) }
        write(v, indent: indent.map { $0 + 1 }, into: &out)
      }
      newline(indent, into: &out)
      out.append(UInt8(ascii: "}"))
    }
  }

  private static func newline(_ indent: Int?, into out: inout [UInt8]) {
    guard let indent else { return }
    out.append(0x0A)
    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
  }

  public static func formatNumber(_ d: Double) -> String {
    if d.isNaN || d.isInfinite { return "null" }
    if d.rounded() == d && abs(d) < 1e15 { return String(Int(d)) }
    return d.description
  }

  /// A string in quotes: `"` `\` and the characters a terminal acts on escaped (`\n`, `\r`, `\t`,
  /// else `\u00xx`), everything else as it is. The size is counted first and the bytes written
  /// straight into `out` (appending run by run, or byte by byte, was most of a dry run's time).
  static func writeString(_ s: String, into out: inout [UInt8]) {
    var s = s
    s.withUTF8 { text in
      var size = text.count + 2
      var i = 0
      while i < text.count {
        if isPlain(text[i]) {
          i += 1
        } else if let e = escape(text, at: i) {
          size += (e.letter == UInt8(ascii: "u") ? 6 : 2) - e.length
          i += e.length
        } else {
          i += 1
        }
      }
      let start = out.count
      out.append(contentsOf: repeatElement(0, count: size))
      out.withUnsafeMutableBufferPointer { all in
        var o = start
        all[o] = UInt8(ascii: "\"")
        o += 1
        var i = 0
        while i < text.count {
          let b = text[i]
          guard !isPlain(b), let e = escape(text, at: i) else {
            all[o] = b
            o += 1
            i += 1
            continue
          }
          all[o] = UInt8(ascii: "\\")
          all[o + 1] = e.letter
          o += 2
          if e.letter == UInt8(ascii: "u") {
            for digit in String(format4: e.value).lowercased().utf8 {
              all[o] = digit
              o += 1
            }
          }
          i += e.length
        }
        all[o] = UInt8(ascii: "\"")
      }
    }
  }

  /// Printable ASCII other than `"` and `\`.
  @inline(__always)
  private static func isPlain(_ b: UInt8) -> Bool { b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C }

  /// How the character at byte `i` is escaped, if it is: the letter after the backslash (`u` for
  /// `\uXXXX`), the character's value and its length in bytes. A byte of a multi-byte character
  /// that is not its first (0x80–0xBF) never starts an escape.
  @inline(__always)
  private static func escape(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> (
    letter: UInt8, value: UInt32, length: Int
  )? {
    let b = text[i]
    if isPlain(b) { return nil }
    if b >= 0x80 {
      guard let u = TerminalSafe.unsafeScalar(text, at: i) else { return nil }
      return (UInt8(ascii: "u"), u.value, u.length)
    }
    switch b {
    case 0x22, 0x5C: return (b, 0, 1)
    case 0x0A: return (UInt8(ascii: "n"), 0, 1)
    case 0x0D: return (UInt8(ascii: "r"), 0, 1)
    case 0x09: return (UInt8(ascii: "t"), 0, 1)
    default: return (UInt8(ascii: "u"), UInt32(b), 1)
    }
  }
}
