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
}
