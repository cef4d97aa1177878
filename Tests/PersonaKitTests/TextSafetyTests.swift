import TestSupport
import Testing

@testable import PersonaKit

@Suite struct TextSafetyTests {
  @Test func controlCharactersAreEscaped() {
    #expect(TerminalSafe.escape("a\u{1B}[31mb\u{7}c\u{7F}") == "a^[[31mb^Gc^?")
    #expect(TerminalSafe.escape("x\u{9B}2Jy") == "x\u{FFFD}2Jy")
    #expect(TerminalSafe.escape("abc\u{202E}fed") == "abc\u{FFFD}fed")
    #expect(TerminalSafe.escape("日本語 🤖 e\u{301}") == "日本語 🤖 e\u{301}")
    #expect(TerminalSafe.escapeKeepingNewlines("a\nb\u{1B}") == "a\nb^[")
  }

  @Test func jsonOutputEscapesEverythingATerminalActsOn() throws {
    let s = JSONWriter.write(.string("a\u{1B}b\u{9B}c\u{202E}d\"\\\n"))
    #expect(s == "\"a\\u001bb\\u009bc\\u202ed\\\"\\\\\\n\"")
    #expect(try JSONParser.parse(s) == .string("a\u{1B}b\u{9B}c\u{202E}d\"\\\n"))
  }

  /// Plain ASCII goes into JSON as it is; every other ASCII character is escaped as before.
  @Test func jsonStringsOfEachASCIICharacterRoundTrip() throws {
    #expect(JSONWriter.write(.string("claude-sonnet-4-5 v1.2_x")) == "\"claude-sonnet-4-5 v1.2_x\"")
    for v in UInt8(0)...0x7F {
      let text = "a" + String(UnicodeScalar(v)) + "b"
      let json = JSONWriter.write(.string(text))
      #expect(try JSONParser.parse(json) == .string(text), "\(v)")
      let plain = v >= 0x20 && v < 0x7F && v != 0x22 && v != 0x5C
      #expect((json == "\"" + text + "\"") == plain, "\(v): \(json)")
    }
  }

  @Test func jsonErrorsHaveLineAndColumn() throws {
    do {
      _ = try JSONParser.parse("[\n  {\"provider\": \"a\",}\n]")
      Issue.record("expected an error")
    } catch {
      #expect(error.line == 2 && error.column == 20)
      #expect(error.message.contains("expected a key"))
    }
    do {
      _ = try JSONParser.parse("{\"a\": 1} x")
      Issue.record("expected an error")
    } catch {
      #expect(error.line == 1 && error.column == 10)
    }
    #expect(
      try JSONParser.parse(" {\"a\": [1, 2.5, -3e2, true, null, \"\\u00e9\\ud83e\\udd16\"]} ")
        == .object([("a", .array([.number(1), .number(2.5), .number(-300), .bool(true), .null, .string("é🤖")]))]))
  }

  /// The byte-level check the JSON writer uses names exactly the non-ASCII characters `isUnsafe`
  /// names, with their values and lengths: every scalar of the first plane and a few beyond.
  @Test func unsafeScalarAgreesWithIsUnsafe() {
    let values = Array(UInt32(0x80)...0xFFFF) + [0x1_0000, 0x1_F680, 0x1_F9D1, 0x10_FFFF]
    for v in values {
      guard let u = Unicode.Scalar(v) else { continue }  // surrogates
      let bytes = Array(String(u).utf8) + [0x41]
      let found = bytes.withUnsafeBufferPointer { TerminalSafe.unsafeScalar($0, at: 0) }
      if TerminalSafe.isUnsafe(u) {
        #expect(found?.value == v && found?.length == bytes.count - 1, "U+\(String(v, radix: 16))")
      } else {
        #expect(found == nil, "U+\(String(v, radix: 16))")
      }
    }
  }

  /// The JSON of strings mixing every kind of character (plain ASCII, escapes, controls, C1, bidi,
  /// CJK, emoji, combining marks) is what escaping scalar by scalar gives, and reads back.
  @Test func jsonStringsAreWrittenAsScalarByScalarEscapingWouldWriteThem() throws {
    func reference(_ s: String) -> String {
      var out = "\""
      for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
          if TerminalSafe.isUnsafe(u) {
            let hex = String(u.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
          } else {
            out.unicodeScalars.append(u)
          }
        }
      }
      return out + "\""
    }
    let alphabet: [String] = [
      "a", "Z", " ", "~", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1B}", "\u{7F}", "\u{80}", "\u{9B}",
      "\u{9F}", "\u{A0}", "\u{FF}", "\u{61C}", "\u{61B}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{2010}",
      "\u{2029}", "\u{202A}", "\u{202E}", "\u{202F}", "\u{2065}", "\u{2066}", "\u{2069}", "\u{206A}", "审查",
      "レビュー", "🚀", "👩‍💻", "e\u{301}", "\u{FFFD}", "plain text run ",
    ]
    var rng = SplitMix(seed: 11)
    for _ in 0..<2_000 {
      let s = (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
      let json = JSONWriter.write(.string(s))
      #expect(json == reference(s), "\(Array(s.unicodeScalars))")
      #expect(try JSONParser.parse(json) == .string(s))
    }
  }
}
