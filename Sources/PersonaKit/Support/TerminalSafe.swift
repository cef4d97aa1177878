/// Text from the data (names, prompts, ticket text) made safe to print on a terminal: control
/// characters are shown in caret notation (`^[`, `^G`, `^?`), and C1 controls, bidi overrides and
/// other invisible format controls as U+FFFD, so that no escape sequence in a file can reach the
/// terminal raw.
public enum TerminalSafe {
  /// Whether a scalar must never be written to a terminal as it is.
  public static func isUnsafe(_ u: Unicode.Scalar) -> Bool {
    let v = u.value
    if v < 0x20 || v == 0x7F { return true }
    if (0x80...0x9F).contains(v) { return true }  // C1 controls (0x9B is CSI on some terminals)
    if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F
      || v == 0x061C
    {
      return true  // bidi embeddings, overrides, isolates and marks
    }
    return false
  }

  /// The character starting at byte `i` of valid UTF-8, if it is one of the non-ASCII characters
  /// `isUnsafe` names (C1 controls, bidi controls): its value and length in bytes. For writers
  /// that go through bytes; `unsafeScalarAgreesWithIsUnsafe` checks the two agree.
  static func unsafeScalar(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, length: Int)? {
    let b = text[i]
    guard b == 0xC2 || b == 0xD8 || b == 0xE2, i + 1 < text.count else { return nil }
    let b1 = text[i + 1]
    switch b {
    case 0xC2: return b1 <= 0x9F ? (UInt32(b1), 2) : nil  // U+0080–U+009F
    case 0xD8: return b1 == 0x9C ? (0x061C, 2) : nil
    default:
      guard i + 2 < text.count, b1 == 0x80 || b1 == 0x81 else { return nil }
      let value = (b1 == 0x80 ? 0x2000 : 0x2040) | UInt32(text[i + 2] & 0x3F)
      return isUnsafe(Unicode.Scalar(value)!) ? (value, 3) : nil
    }
  }

  /// One line of text: every control character escaped, newlines and tabs included.
  public static func escape(_ s: String) -> String {
    escape(s, keepNewlines: false)
  }

  /// Multi-line text: newlines kept, tabs as spaces, everything else escaped.
  public static func escapeKeepingNewlines(_ s: String) -> String {
    escape(s, keepNewlines: true)
  }

  static func escape(_ s: String, keepNewlines: Bool) -> String {
    guard s.unicodeScalars.contains(where: isUnsafe) else { return s }
    var out = String.UnicodeScalarView()
    for u in s.unicodeScalars {
      if keepNewlines && u == "\n" {
        out.append(u)
      } else if keepNewlines && u == "\t" {
        out.append(contentsOf: "    ".unicodeScalars)
      } else if u.value < 0x20 {
        out.append("^")
        out.append(Unicode.Scalar(u.value + 0x40)!)
      } else if u.value == 0x7F {
        out.append(contentsOf: "^?".unicodeScalars)
      } else if isUnsafe(u) {
        out.append("\u{FFFD}")
      } else {
        out.append(u)
      }
    }
    return String(out)
  }

  /// A name in quotes, escaped: for messages.
  public static func quoted(_ s: String) -> String { "\"" + escape(s) + "\"" }
}
